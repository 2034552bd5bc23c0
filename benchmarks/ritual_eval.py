"""Ritual index: does repeat detection find paraphrases and translations and leave new claims alone?

The test set, ``benchmarks/data/ritual_pairs.jsonl``, is written by the project: pairs of an
earlier and a later statement on the themes of a Chinese-American human rights dialogue,
labelled repeat (paraphrases in English and in Chinese, translations EN->ZH and ZH->EN)
or not (deliberately hard: same topic and similar words but a different claim or the
opposite stance; plus some on another topic). Both texts are embedded with
``alteram.moves.embed.embed`` and a pair is a detected repeat when the cosine similarity
is at least the threshold.

Honest figures: the pairs are split in two halves, stratified by kind (within each kind,
alternate pairs); the threshold is chosen on the *tune* half (highest F1 over a grid of
0.01 steps; ties go to the higher threshold) and precision, recall and F1 are reported on
the *test* half. Two settings: *pair* (each later statement against its own earlier one)
and *round*, through :func:`alteram.engine.ritual.ritual_index` itself, with all later
statements as the round and all distinct earlier statements as the earlier rounds: there a
new claim is compared with every earlier statement, as in a real dialogue, whose topics
recur, so false repeats are likelier than in the pair setting.

Run: ``.venv/bin/python benchmarks/ritual_eval.py [--write]`` (``--write`` rewrites
``benchmarks/RESULTS-ritual.md``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from alteram.engine.ritual import DEFAULT_THRESHOLD, ritual_index
from alteram.moves.embed import EMBEDDING_NAME, embed

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "ritual_pairs.jsonl"
RESULTS = HERE / "RESULTS-ritual.md"
KINDS = [
    "paraphrase_en",
    "paraphrase_zh",
    "translation_en_zh",
    "translation_zh_en",
    "new_same_topic",
    "new_other_topic",
]
GRID = np.round(np.arange(0.40, 0.901, 0.01), 2)


def load() -> list[dict[str, object]]:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]
    for row in rows:
        assert row["kind"] in KINDS, row
        assert row["repeat"] == str(row["kind"]).startswith(("paraphrase", "translation")), row
    return rows


def split(rows: list[dict[str, object]]) -> np.ndarray:
    """True for the tune half: within each kind, pairs 0, 2, 4, ... in file order."""
    tune = np.zeros(len(rows), dtype=bool)
    seen: dict[object, int] = {}
    for i, row in enumerate(rows):
        k = seen.get(row["kind"], 0)
        tune[i] = k % 2 == 0
        seen[row["kind"]] = k + 1
    return tune


def prf(truth: np.ndarray, pred: np.ndarray) -> tuple[float, float, float, int, int, int]:
    tp = int(np.sum(truth & pred))
    fp = int(np.sum(~truth & pred))
    fn = int(np.sum(truth & ~pred))
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, tp, fp, fn


def fbeta(p: float, r: float, beta: float) -> float:
    b2 = beta * beta
    return (1 + b2) * p * r / (b2 * p + r) if p + r else 0.0


def choose(sim: np.ndarray, truth: np.ndarray, beta: float = 1.0) -> float:
    """The grid threshold with the highest F-beta on these pairs (ties: the higher one)."""
    scores = [(fbeta(*prf(truth, sim >= t)[:2], beta), float(t)) for t in GRID]
    return max(scores)[1]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    system = f"{platform.system()} {platform.release()}"
    return f"{cpu}, {os.cpu_count()} CPUs, {system}, Python {platform.python_version()}"


def table(
    emit: Callable[[str], None], sim: np.ndarray, truth: np.ndarray, tune: np.ndarray, t: float
) -> None:
    emit("| pairs | n | precision | recall | F1 | TP | FP | FN |")
    emit("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, mask in [("**test half**", ~tune), ("tune half", tune), ("all", tune | ~tune)]:
        p, r, f, tp, fp, fn = prf(truth[mask], sim[mask] >= t)
        emit(f"| {name} | {int(mask.sum())} | {p:.3f} | {r:.3f} | {f:.3f} | {tp} | {fp} | {fn} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"rewrite {RESULTS.name}")
    args = parser.parse_args()

    rows = load()
    pool = list(dict.fromkeys(str(r["earlier"]) for r in rows))
    started = time.perf_counter()
    earlier = embed([str(r["earlier"]) for r in rows])
    later = embed([str(r["later"]) for r in rows])
    pool_emb = embed(pool)
    seconds = time.perf_counter() - started
    truth = np.array([bool(r["repeat"]) for r in rows])
    kinds = np.array([r["kind"] for r in rows])
    tune = split(rows)
    t = DEFAULT_THRESHOLD

    # Pair setting: each later statement against its own earlier statement.
    sim = np.einsum("ij,ij->i", earlier, later)
    # Round setting, through the engine: the later statements are a round, all distinct
    # earlier statements are the earlier rounds; a statement is flagged when its nearest
    # earlier statement is close enough (whichever it is).
    res = ritual_index(
        later, pool_emb, current_ids=list(range(len(rows))), earlier_ids=pool, threshold=t
    )
    rsim = np.array([m.similarity for m in res.matches], dtype=np.float64)
    chosen = choose(sim[tune], truth[tune])
    chosen_round = choose(rsim[tune], truth[tune])

    out: list[str] = []

    def emit(line: str = "") -> None:
        print(line)
        out.append(line)

    emit(
        f"pairs: {len(rows)} ({int(truth.sum())} repeats, {int((~truth).sum())} not); "
        f"tune half {int(tune.sum())}, test half {int((~tune).sum())}; "
        f"{len(pool)} distinct earlier statements"
    )
    emit()
    emit(
        f"Threshold chosen on the tune half (max F1): {chosen:.2f} in the pair setting, "
        f"{chosen_round:.2f} in the round setting; "
        f"`DEFAULT_THRESHOLD` in `alteram.engine.ritual`: **{t:.2f}**"
    )
    emit()
    emit(f"### Pair setting (each later statement against its own earlier one), threshold {t:.2f}")
    emit()
    table(emit, sim, truth, tune, t)
    emit()
    emit(
        f"### Round setting (`ritual_index` of the {len(rows)} later statements against all "
        f"{len(pool)} earlier ones), threshold {t:.2f}"
    )
    emit()
    table(emit, rsim, truth, tune, t)
    flagged = np.array([m.repeat for m in res.matches])
    own = np.array([m.earlier_id == rows[i]["earlier"] for i, m in enumerate(res.matches)])
    emit()
    emit(f"- ritual index of that round: {res.index:.3f}; true share of repeats {truth.mean():.3f}")
    emit(
        f"- repeats flagged beside their own twin: {int(np.sum(truth & flagged & own))}; "
        f"beside another earlier statement: {int(np.sum(truth & flagged & ~own))} (listed "
        "below; the set holds some claims in both languages, so some are right)"
    )
    for i, m in enumerate(res.matches):
        if m.repeat and truth[i] and not own[i]:
            emit(f"  - {m.similarity:.3f} {rows[i]['later']} → {m.earlier_id}")
    emit(
        f"- non-repeats flagged beside an earlier statement other than their pair's: "
        f"{int(np.sum(~truth & flagged & ~own))} (listed; a few are arguably loose repeats, "
        "the labels were written for the pairs)"
    )
    for i, m in enumerate(res.matches):
        if m.repeat and not truth[i] and not own[i]:
            emit(f"  - {m.similarity:.3f} {rows[i]['kind']}: {rows[i]['later']} → {m.earlier_id}")
    alt = choose(rsim[tune], truth[tune], beta=0.5)
    p, r, f, tp, fp, fn = prf(truth[~tune], rsim[~tune] >= alt)
    emit(
        f"- for comparison (not shipped): max F0.5 (precision weighed more) on the tune half "
        f"of the round setting chooses {alt:.2f}; test half precision {p:.3f}, recall "
        f"{r:.3f}, F1 {f:.3f} (TP {tp}, FP {fp}, FN {fn})"
    )
    emit()
    emit(
        f"### Per kind at {t:.2f}: share flagged as repeat (recall for repeat kinds, "
        "false-positive rate for the others)"
    )
    emit()
    emit(
        "| kind | n test (all) | pair: test | pair: all | round: test | round: all "
        "| pair similarity median [min, max] |"
    )
    emit("|---|---:|---:|---:|---:|---:|---|")
    for kind in KINDS:
        k_all = kinds == kind
        k_test = k_all & ~tune
        s = sim[k_all]
        emit(
            f"| {kind} | {int(k_test.sum())} ({int(k_all.sum())}) "
            f"| {np.mean(sim[k_test] >= t):.3f} | {np.mean(s >= t):.3f} "
            f"| {np.mean(rsim[k_test] >= t):.3f} | {np.mean(rsim[k_all] >= t):.3f} "
            f"| {np.median(s):.3f} [{s.min():.3f}, {s.max():.3f}] |"
        )
    emit()
    emit("### Threshold sweep (test half)")
    emit()
    emit(
        "| threshold | pair P | pair R | pair F1 | pair FP | round P | round R | round F1 "
        "| round FP |"
    )
    emit("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for th in np.round(np.arange(0.45, 0.801, 0.025), 3):
        a = prf(truth[~tune], sim[~tune] >= th)
        b = prf(truth[~tune], rsim[~tune] >= th)
        emit(
            f"| {th:.3f} | {a[0]:.3f} | {a[1]:.3f} | {a[2]:.3f} | {a[4]} "
            f"| {b[0]:.3f} | {b[1]:.3f} | {b[2]:.3f} | {b[4]} |"
        )
    wrong = [(float(sim[i]), i) for i in range(len(rows)) if (sim[i] >= t) != truth[i]]
    emit()
    emit(f"### Errors in the pair setting at {t:.2f} (all pairs, {len(wrong)})")
    emit()
    for s_i, i in sorted(wrong, reverse=True):
        row = rows[i]
        emit(f"- {s_i:.3f} {row['kind']}: {row['earlier']} → {row['later']}")
    emit()
    emit(
        f"embedding: {EMBEDDING_NAME}; {2 * len(rows) + len(pool)} texts embedded in "
        f"{seconds:.2f} s (model load included)"
    )

    if args.write:
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        head = [
            "# Ritual index: repeat detection",
            "",
            f"- date: {now}",
            f"- machine: {machine()}",
            "- command: `.venv/bin/python benchmarks/ritual_eval.py --write`",
            f"- data: `benchmarks/data/ritual_pairs.jsonl` ({len(rows)} hand-written pairs)",
            "- method: the docstring of `benchmarks/ritual_eval.py`: threshold chosen on the "
            "tune half (max F1, rule fixed before the first run), figures on the test half",
            f"- chosen threshold: **{chosen:.2f}**, shipped as `DEFAULT_THRESHOLD = {t:.2f}`",
            "- reading: translations are found best and English paraphrases worst; the hard",
            "  non-repeats (same topic and words, another claim or the opposite stance) are the",
            "  main error, since the embedding encodes topic more than stance, and their",
            "  similarities overlap those of loose paraphrases, so no threshold separates the",
            "  two. In the round setting every new claim meets all earlier statements on its",
            "  topic, so false repeats rise and the index overstates ritual; a higher threshold",
            "  (see the sweep) trades recall for precision. The halves are small (about 35",
            "  repeats each): differences of a few points are noise.",
            "",
        ]
        RESULTS.write_text("\n".join(head + out) + "\n", encoding="utf-8")
        print(f"wrote {RESULTS}", file=sys.stderr)


if __name__ == "__main__":
    main()
