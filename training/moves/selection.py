# ruff: noqa: T201
"""Choose the head's hyper-parameters and the confidence thresholds by grouped CV.

    .venv/bin/python training/moves/selection.py --embedding-cache $TMPDIR/moves-embeddings.npz

Validation data: the UNGD sentences (English and Chinese) of the speeches *not* held out
(``datasets.is_held_out_speech``), cut into five folds by ``StratifiedGroupKFold`` grouped
by speech (``speech_id``), so that no speech, in either language, is in both training and
validation. In every fold the model (its TF-IDF vocabulary and idf included) is trained on the
other four folds plus the project's own training examples and CaSiNo, exactly as ``train.py``
trains, and read through
``classify`` (the shipped code path). The held-out speeches are never read here: they are
for the report (``benchmarks/moves_eval.py``).

Prints, per setting, the out-of-fold balanced pressure/dialogue F1 and nine-move macro-F1
(all validation sentences and the random part alone), and for the chosen setting the
thresholds: the lowest confidence at which a pressure move's hint reaches a precision of
0.90 on the out-of-fold predictions, and the "unsure" confidence.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent / "benchmarks"))

import datasets  # noqa: E402
import embed_cache  # noqa: E402
import train  # noqa: E402

from alteram.moves import classify  # noqa: E402
from alteram.moves.labels import kind_of  # noqa: E402

SEED = 14
TARGET_PRECISION = 0.90


def scores(truth: list[str], predicted: list[str]) -> tuple[float, float]:
    from moves_eval import scores as eval_scores  # type: ignore[import-not-found]

    s = eval_scores(truth, predicted)
    return s["balanced"], s["macro_f1"]


def folds(examples: list[datasets.Example]) -> list[np.ndarray]:
    """Fold number of each example (grouped by speech, stratified by move)."""
    splitter = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=SEED)
    y = [e.move for e in examples]
    groups = [e.group for e in examples]
    out = np.zeros(len(examples), dtype=int)
    for k, (_, val) in enumerate(splitter.split(np.zeros(len(y)), y, groups)):
        out[val] = k
    return [out == k for k in range(5)]


def hint_curve(
    truth: list[str], moves: list[str], confidence: np.ndarray
) -> list[tuple[float, float, float, int]]:
    """(threshold, precision, recall, hints) of "hint if pressure move and conf >= t"."""
    true_p = np.array([kind_of(t) == "pressure" for t in truth])
    pred_p = np.array([kind_of(m) == "pressure" for m in moves])
    out = []
    for t in np.round(np.arange(0.30, 0.99, 0.02), 2):
        fired = pred_p & (confidence >= t)
        n = int(fired.sum())
        precision = float(true_p[fired].mean()) if n else float("nan")
        recall = float((fired & true_p).sum() / max(true_p.sum(), 1))
        out.append((float(t), precision, recall, n))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedding-cache", default="")
    parser.add_argument("--C", default="1,4,16")
    parser.add_argument("--ungd-weight", default="1,2")
    parser.add_argument("--balance", default="0,0.5")
    parser.add_argument(
        "--max-features", default="0,4000,8000", help="TF-IDF n-grams; 0 = no TF-IDF block"
    )
    parser.add_argument("--tfidf-scale", default="1")
    args = parser.parse_args()
    embed_cache.use_cache(args.embedding_cache)
    data = datasets.shared_data_dir()
    assert data is not None, "shared data not found"
    base = [
        e
        for language in ("en", "zh")
        for e in datasets.own_examples(language)
        if not datasets.is_held_out(e.text)
    ] + datasets.casino(data, per_move=train.CASINO_PER_MOVE)
    ungd = [
        e
        for language in ("en", "zh")
        for e in datasets.ungd(language)
        if not datasets.is_held_out_speech(e.group)
    ]
    masks = folds(ungd)
    truth = [e.move for e in ungd]
    random_part = np.array([e.register == "random" for e in ungd])
    grid = itertools.product(
        [float(v) for v in args.C.split(",")],
        [float(v) for v in args.ungd_weight.split(",")],
        [float(v) for v in args.balance.split(",")],
        [int(v) for v in args.max_features.split(",")],
        [float(v) for v in args.tfidf_scale.split(",")],
    )
    print(
        "| C | UNGD weight | balance | TF-IDF n-grams | TF-IDF scale | balanced (all) |"
        " macro-F1 (all) | balanced (random) | macro-F1 (random) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    Setting = tuple[float, float, float, int, float]
    best: tuple[float, Setting, list[str], np.ndarray, np.ndarray] | None = None
    for c, w, b, features, scale in grid:
        if not features and scale != float(args.tfidf_scale.split(",")[0]):
            continue  # without a TF-IDF block its scale means nothing
        moves = [""] * len(ungd)
        confidence = np.zeros(len(ungd))
        pressure_p = np.zeros(len(ungd))
        for mask in masks:
            fit_on = base + [e for e, m in zip(ungd, mask, strict=True) if not m]
            model = train.fit(
                fit_on, C=c, ungd_weight=w, balance=b, max_features=features, tfidf_scale=scale
            )
            idx = np.flatnonzero(mask)
            for i, r in zip(idx, classify([ungd[i].text for i in idx], model=model), strict=True):
                moves[i] = r.move
                confidence[i] = r.confidence
                pressure_p[i] = r.pressure_probability
        bal, mf1 = scores(truth, moves)
        rt = [t for t, r in zip(truth, random_part, strict=True) if r]
        rm = [m for m, r in zip(moves, random_part, strict=True) if r]
        rbal, rmf1 = scores(rt, rm)
        print(
            f"| {c:g} | {w:g} | {b:g} | {features} | {scale:g} | {bal:.3f} | {mf1:.3f} | "
            f"{rbal:.3f} | {rmf1:.3f} |",
            flush=True,
        )
        key = (bal + mf1) / 2
        if best is None or key > best[0]:
            best = (key, (c, w, b, features, scale), moves, confidence, pressure_p)
    assert best is not None
    _, chosen, moves, confidence, pressure_p = best
    print(
        f"\nchosen: C={chosen[0]:g}, UNGD weight={chosen[1]:g}, balance={chosen[2]:g}, "
        f"TF-IDF n-grams={chosen[3]}, TF-IDF scale={chosen[4]:g}"
    )
    print("\n| hint threshold | precision | recall | hints |\n|---|---|---|---|")
    for t, p, r, n in hint_curve(truth, moves, confidence):
        print(f"| {t:.2f} | {p:.3f} | {r:.3f} | {n} |")
    print("\n(hint on the probability of any pressure move instead of the move's)")
    print("\n| hint threshold | precision | recall | hints |\n|---|---|---|---|")
    for t, p, r, n in hint_curve(truth, moves, pressure_p):
        print(f"| {t:.2f} | {p:.3f} | {r:.3f} | {n} |")
    right = np.array([t == m for t, m in zip(truth, moves, strict=True)])
    print("\n| unsure below | share unsure | accuracy of the rest | accuracy of the unsure |")
    print("|---|---|---|---|")
    for t in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6):
        low = confidence < t
        print(
            f"| {t:.2f} | {low.mean():.3f} | {right[~low].mean():.3f} | "
            f"{right[low].mean() if low.any() else float('nan'):.3f} |"
        )


if __name__ == "__main__":
    main()
