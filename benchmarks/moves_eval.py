"""Quality of move analysis on text the shipped classifier was not trained on.

    .venv/bin/python benchmarks/moves_eval.py [--cv] [--wikitactics-limit N]

Evaluation sets:

* the labelled UN General Debate sentences (1970-1994) of the speeches held out from
  training and model selection (``datasets.is_held_out_speech``), English and the
  project's Chinese translations, all and the random part alone (real text);
* the 20 % of the project's own examples held out from training (by SHA-256 of the text,
  ``training/moves/datasets.py``), split by language and register; the *formal* part is the
  "formal political text" of the goal;
* WikiTactics train+val (no licence: evaluation only), labels mapped to moves by
  ``datasets.WIKITACTICS_MAP``;
* with ``--cv``: five-fold cross-validation over all the project's examples (folds by the
  same hash; CaSiNo always in training), which gives a larger, less noisy estimate.

Scores:

* **balanced pressure/dialogue** = mean of the pressure F1 and the dialogue F1, computed on
  the items whose true move is a dialogue or a pressure move (an item predicted "other"
  counts as a miss for its true kind), so the mix of the two kinds cannot flatter it;
* **macro-F1** over the moves present in the set's true labels (nine for our examples).

Also the hint before posting (precision and recall on the held-out speeches) and the share
of unsure readings. Goals (issue 14): balanced >= 0.85 and macro-F1 >= 0.65 on real formal
text, hint precision >= 0.90.

Goals (issue 6): balanced >= 0.85 on formal political text and >= 0.70 on WikiTactics;
nine-move macro-F1 >= 0.65.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.metrics import confusion_matrix, f1_score

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "training" / "moves"))

import datasets  # type: ignore[import-not-found]  # noqa: E402
import embed_cache  # type: ignore[import-not-found]  # noqa: E402
import train  # type: ignore[import-not-found]  # noqa: E402

from alteram.moves import MoveResult, classify  # noqa: E402
from alteram.moves.labels import MOVES, kind_of  # noqa: E402
from alteram.moves.model import MoveModel, load_model  # noqa: E402
from alteram.moves.thresholds import HINT_CONFIDENCE, UNSURE_BELOW  # noqa: E402


def balanced_kind_score(truth: Sequence[str], predicted: Sequence[str]) -> float:
    """Mean of pressure F1 and dialogue F1 over items whose true kind is one of the two."""
    pairs = [(kind_of(t), kind_of(p)) for t, p in zip(truth, predicted, strict=True)]
    pairs = [(t, p) for t, p in pairs if t != "other"]
    t = [a for a, _ in pairs]
    p = [b for _, b in pairs]
    scores = f1_score(t, p, labels=["pressure", "dialogue"], average=None, zero_division=0)
    return float(np.mean(scores))


def scores(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    """Balanced kind score, pressure and dialogue F1, macro-F1, accuracy."""
    labels = [m for m in MOVES if m in set(truth)]
    kinds_t = [kind_of(t) for t in truth]
    kinds_p = [kind_of(p) for p in predicted]
    mask = [k != "other" for k in kinds_t]
    kt = [k for k, m in zip(kinds_t, mask, strict=True) if m]
    kp = [k for k, m in zip(kinds_p, mask, strict=True) if m]
    pressure_f1, dialogue_f1 = f1_score(
        kt, kp, labels=["pressure", "dialogue"], average=None, zero_division=0
    )
    return {
        "n": float(len(truth)),
        "balanced": float((pressure_f1 + dialogue_f1) / 2),
        "pressure_f1": float(pressure_f1),
        "dialogue_f1": float(dialogue_f1),
        "macro_f1": float(
            f1_score(truth, predicted, labels=labels, average="macro", zero_division=0)
        ),
        "accuracy": float(np.mean([a == b for a, b in zip(truth, predicted, strict=True)])),
    }


def predict(model: MoveModel, texts: list[str]) -> list[str]:
    """The move :func:`alteram.moves.classify` gives each text with ``model``."""
    return [result.move for result in classify(texts, model=model)]


def report(name: str, truth: list[str], predicted: list[str]) -> None:
    """Print one line of scores."""
    s = scores(truth, predicted)
    print(
        f"| {name} | {int(s['n'])} | {s['balanced']:.3f} | {s['pressure_f1']:.3f} | "
        f"{s['dialogue_f1']:.3f} | {s['macro_f1']:.3f} | {s['accuracy']:.3f} |"
    )


def confusion(truth: list[str], predicted: list[str]) -> None:
    """Print a confusion matrix (rows: truth, columns: predicted)."""
    matrix = confusion_matrix(truth, predicted, labels=list(MOVES))
    print("truth \\ predicted: " + " ".join(f"{m[:5]:>5}" for m in MOVES))
    for move, row in zip(MOVES, matrix, strict=True):
        print(f"{move:>18}: " + " ".join(f"{v:5d}" for v in row))


def per_move(sets: dict[str, tuple[list[str], list[str]]]) -> None:
    """Print one row per move: its F1 in each set (and how many true items it has)."""
    print("| move | " + " | ".join(sets) + " |")
    print("|---|" + "---|" * len(sets))
    for move in MOVES:
        cells = []
        for truth, predicted in sets.values():
            n = truth.count(move)
            if n == 0:
                cells.append("—")
                continue
            f1 = f1_score(truth, predicted, labels=[move], average=None, zero_division=0)[0]
            cells.append(f"{f1:.2f} ({n})")
        print(f"| {move} | " + " | ".join(cells) + " |")


def hint_report(name: str, truth: list[str], results: list[MoveResult]) -> None:
    """Precision and recall of the hint (a confident pressure move), and the unsure share."""
    true_p = np.array([kind_of(t) == "pressure" for t in truth])
    fired = np.array([r.confident_pressure for r in results])
    unsure = np.array([r.unsure for r in results])
    n = int(fired.sum())
    precision = float(true_p[fired].mean()) if n else float("nan")
    recall = float((fired & true_p).sum() / max(int(true_p.sum()), 1))
    right = np.array([t == r.move for t, r in zip(truth, results, strict=True)])
    print(
        f"| {name} | {len(truth)} | {int(true_p.sum())} | {n} | {precision:.3f} | "
        f"{recall:.3f} | {unsure.mean():.3f} | {right[~unsure].mean():.3f} | "
        f"{right[unsure].mean() if unsure.any() else float('nan'):.3f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", action="store_true", help="also 5-fold CV on own examples")
    parser.add_argument("--confusion", action="store_true", help="print confusion matrices")
    parser.add_argument("--wikitactics-limit", type=int, default=0, help="0 = all")
    parser.add_argument("--embedding-cache", default="", help="an .npz embedding cache")
    args = parser.parse_args()
    embed_cache.use_cache(args.embedding_cache)
    data = datasets.shared_data_dir()
    model = load_model()

    ungd = {
        language: [e for e in datasets.ungd(language) if datasets.is_held_out_speech(e.group)]
        for language in ("en", "zh")
    }
    ungd_results = {
        language: classify([e.text for e in items], model=model) for language, items in ungd.items()
    }
    own = [e for lang in ("en", "zh") for e in datasets.own_examples(lang)]
    held = [e for e in own if datasets.is_held_out(e.text)]
    predicted = predict(model, [e.text for e in held])
    by_text = {e.text: p for e, p in zip(held, predicted, strict=True)}
    per_move_sets: dict[str, tuple[list[str], list[str]]] = {}

    print("| set | n | balanced P/D | pressure F1 | dialogue F1 | macro-F1 | accuracy |")
    print("|---|---|---|---|---|---|---|")
    for language in ("en", "zh"):
        items, results = ungd[language], ungd_results[language]
        truth, moves = [e.move for e in items], [r.move for r in results]
        report(f"UNGD held-out speeches, {language}, all", truth, moves)
        random_part = [i for i, e in enumerate(items) if e.register == "random"]
        report(
            f"UNGD held-out speeches, {language}, random part",
            [truth[i] for i in random_part],
            [moves[i] for i in random_part],
        )
        per_move_sets[f"UNGD held-out {language}"] = (truth, moves)
    subsets = {
        "held-out own, all": held,
        "held-out own, formal (en+zh)": [e for e in held if e.register == "formal"],
        "held-out own, everyday (en+zh)": [e for e in held if e.register == "everyday"],
        "held-out own, online (en+zh)": [e for e in held if e.register == "online"],
        "held-out own, en": [e for e in held if e.language == "en"],
        "held-out own, zh": [e for e in held if e.language == "zh"],
    }
    for name, subset in subsets.items():
        report(name, [e.move for e in subset], [by_text[e.text] for e in subset])
    for language in ("en", "zh"):
        subset = subsets[f"held-out own, {language}"]
        per_move_sets[f"own held-out {language}"] = (
            [e.move for e in subset],
            [by_text[e.text] for e in subset],
        )
    if args.confusion:
        confusion([e.move for e in held], predicted)
        for language in ("en", "zh"):
            confusion(*per_move_sets[f"UNGD held-out {language}"])

    if data is not None:
        wiki = datasets.wikitactics(data)
        if args.wikitactics_limit:
            wiki = wiki[: args.wikitactics_limit]
        wiki_pred = predict(model, [e.text for e in wiki])
        report("WikiTactics train+val (en)", [e.move for e in wiki], wiki_pred)
        per_move_sets["WikiTactics en"] = ([e.move for e in wiki], wiki_pred)
        if args.confusion:
            confusion([e.move for e in wiki], wiki_pred)
    else:
        print("(WikiTactics skipped: shared data not found)")

    print("\nF1 per move (true items in brackets):\n")
    per_move(per_move_sets)

    print(
        "\nHint before posting (a pressure move with pressure probability >= "
        f"{HINT_CONFIDENCE}) and unsure readings (confidence < {UNSURE_BELOW}):\n"
    )
    print(
        "| set | n | true pressure | hints | hint precision | hint recall | unsure share |"
        " accuracy when sure | accuracy when unsure |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for language in ("en", "zh"):
        hint_report(
            f"UNGD held-out, {language}", [e.move for e in ungd[language]], ungd_results[language]
        )
    both = ungd["en"] + ungd["zh"]
    hint_report(
        "UNGD held-out, en+zh", [e.move for e in both], ungd_results["en"] + ungd_results["zh"]
    )
    random_idx = [i for i, e in enumerate(ungd["en"]) if e.register == "random"]
    hint_report(
        "UNGD held-out, en, random part",
        [ungd["en"][i].move for i in random_idx],
        [ungd_results["en"][i] for i in random_idx],
    )

    if args.cv and data is not None:
        casino = datasets.casino(data, per_move=train.CASINO_PER_MOVE)
        ungd_train = [
            e
            for language in ("en", "zh")
            for e in datasets.ungd(language)
            if not datasets.is_held_out_speech(e.group)
        ]
        truth: list[str] = []
        cv_pred: list[str] = []
        formal: list[bool] = []
        for fold in range(5):

            def in_fold(text: str, fold: int = fold) -> bool:
                return bool(datasets.int_hash(text) % 5 == fold)

            fit_on = [e for e in own if not in_fold(e.text)] + casino + ungd_train
            test_on = [e for e in own if in_fold(e.text)]
            fold_model = train.fit(fit_on)
            truth += [e.move for e in test_on]
            cv_pred += predict(fold_model, [e.text for e in test_on])
            formal += [e.register == "formal" for e in test_on]
        report("5-fold CV own, all", truth, cv_pred)
        report(
            "5-fold CV own, formal",
            [t for t, f in zip(truth, formal, strict=True) if f],
            [p for p, f in zip(cv_pred, formal, strict=True) if f],
        )
        if args.confusion:
            confusion(truth, cv_pred)


if __name__ == "__main__":
    main()
