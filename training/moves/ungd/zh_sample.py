"""Choose the labelled UNGD sentences to translate into Chinese, show them, write the set.

    python3 training/moves/ungd/zh_sample.py                  # writes zh_ids.txt
    python3 training/moves/ungd/zh_sample.py --show 0 50      # rows 0-49 of zh_ids.txt
    python3 training/moves/ungd/zh_sample.py --apply zh.txt   # merge into labels_zh.tsv
    python3 training/moves/ungd/zh_sample.py --stats          # counts of labels_zh.tsv

The choice (issue #14) is 660 ids of ``labels.tsv`` (600 asked, a few spare), drawn
deterministically from seeded shuffles:

1. **Per move**: every move gets at least ``FLOOR`` (50) sentences, or all it has
   (``lecture`` has 43); the rest is shared among the others in proportion to their
   counts in ``labels.tsv`` (largest remainders), so ``explain`` stays the largest move
   as in real speeches while the rare moves are all well represented.
2. **Within a move**, in proportion to its sentences in each stratum part x decade x
   region (largest remainders), so the random/enriched share and the spread over the
   1970s, 1980s, 1990-94 and the five regions follow the labelled set.
3. **Within a stratum**, a seeded shuffle taken in order, sentences from speeches not yet
   chosen first (so as many speeches as possible are represented).

``zh_ids.txt`` lists the ids one a line, in a seeded shuffled order that mixes the moves,
so that translating in batches of ~50 never meets one move at a time. ``--show`` prints a
batch with its labels (the translator must keep the move). ``--apply`` reads lines
``ID<TAB>Chinese sentence`` and writes ``labels_zh.tsv`` in ``zh_ids.txt`` order, with the
speech id, part and label copied from ``labels.tsv``; earlier translations are kept unless
the file gives the id again.
"""

from __future__ import annotations

import argparse
import csv
import random
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = HERE / "labels.tsv"
IDS = HERE / "zh_ids.txt"
LABELS_ZH = HERE / "labels_zh.tsv"

SEED = "alteram-14/zh"
TOTAL = 660
FLOOR = 50
TRANSLATED_BY = "project, by hand from the English"
ZH_COLUMNS = ("id", "speech_id", "part", "label", "sentence_zh", "translated_by")
MOVES = (
    "explain", "inquire", "acknowledge", "bridge",
    "demand", "pressure", "lecture", "accuse", "other",
)  # fmt: skip

Row = dict[str, str]


def read_tsv(path: Path) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def largest_remainder(weights: Mapping[str, float], total: int) -> dict[str, int]:
    """Split ``total`` in proportion to ``weights``, rounding by largest remainders.

    Ties are broken by key so the split is deterministic.
    """
    mass = sum(weights.values())
    exact = {k: total * w / mass for k, w in weights.items()}
    shares = {k: int(v) for k, v in exact.items()}
    left = total - sum(shares.values())
    for key in sorted(exact, key=lambda k: (shares[k] - exact[k], k))[:left]:
        shares[key] += 1
    return shares


def move_quotas(
    counts: Mapping[str, int], total: int = TOTAL, floor: int = FLOOR
) -> dict[str, int]:
    """At least ``floor`` per move (or all it has), the rest in proportion to the counts.

    A move whose proportional share falls below the floor is fixed at the floor and the
    remainder shared again among the others, until every share holds.
    """
    if total > sum(counts.values()):
        raise ValueError(f"cannot choose {total} of {sum(counts.values())} sentences")
    fixed: dict[str, int] = {}
    while True:
        free = {m: n for m, n in counts.items() if m not in fixed}
        shares = largest_remainder(free, total - sum(fixed.values()))
        low = {m: min(counts[m], floor) for m, s in shares.items() if s < min(counts[m], floor)}
        over = {m: counts[m] for m, s in shares.items() if s > counts[m]}
        if not low and not over:
            return {**fixed, **shares}
        fixed.update(low or over)


def choose(rows: Sequence[Row]) -> list[str]:
    """The chosen ids, in the seeded order in which they are to be translated."""
    by_move: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_move[row["label"]].append(row)
    quotas = move_quotas({m: len(by_move[m]) for m in MOVES})
    used_speeches: set[str] = set()
    chosen: list[str] = []
    for move in MOVES:
        strata: dict[str, list[Row]] = defaultdict(list)
        for row in by_move[move]:
            strata["/".join((row["part"], row["decade"], row["region"]))].append(row)
        shares = largest_remainder({k: len(v) for k, v in strata.items()}, quotas[move])
        for key in sorted(strata):
            pool = sorted(strata[key], key=lambda r: r["id"])
            random.Random(f"{SEED}/{move}/{key}").shuffle(pool)
            fresh = [r for r in pool if r["speech_id"] not in used_speeches]
            seen = [r for r in pool if r["speech_id"] in used_speeches]
            for row in (fresh + seen)[: shares[key]]:
                chosen.append(row["id"])
                used_speeches.add(row["speech_id"])
    random.Random(f"{SEED}/order").shuffle(chosen)
    return chosen


def read_ids(path: Path = IDS) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def show(rows: Sequence[Row], ids: Sequence[str], start: int, count: int) -> None:
    by_id = {r["id"]: r for r in rows}
    for n in range(start, min(start + count, len(ids))):
        r = by_id[ids[n]]
        print(f"{n}\t{r['id']}\t{r['label']}\t{r['sentence']}")  # noqa: T201


def apply(rows: Sequence[Row], ids: Sequence[str], batch: Path, out: Path = LABELS_ZH) -> int:
    """Merge ``ID<TAB>sentence`` lines of ``batch`` into ``out``; return how many."""
    by_id = {r["id"]: r for r in rows}
    done = {r["id"]: r["sentence_zh"] for r in read_tsv(out)} if out.exists() else {}
    new = 0
    for number, line in enumerate(batch.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        ident, tab, text = line.partition("\t")
        if not tab or not text.strip():
            raise SystemExit(f"{batch}:{number}: expected 'ID<TAB>Chinese sentence'")
        if ident not in ids:
            raise SystemExit(f"{batch}:{number}: {ident} is not in {IDS.name}")
        done[ident] = text.strip()
        new += 1
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, ZH_COLUMNS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        for ident in ids:
            if ident in done:
                r = by_id[ident]
                writer.writerow({
                    "id": ident, "speech_id": r["speech_id"], "part": r["part"],
                    "label": r["label"], "sentence_zh": done[ident],
                    "translated_by": TRANSLATED_BY,
                })  # fmt: skip
    return new


def stats(rows: Sequence[Row], zh: Sequence[Row]) -> str:
    """A Markdown table of the translated rows per move: parts, decades and regions."""
    by_id = {r["id"]: r for r in rows}
    full = [by_id[r["id"]] for r in zh]
    columns = ("random", "enriched", "1970s", "1980s", "1990-94",
               "Africa", "Americas", "Asia", "Europe", "Oceania")  # fmt: skip
    counts = Counter((r["label"], v) for r in full for v in (r["part"], r["decade"], r["region"]))
    lines = [f"| move | {' | '.join(columns)} | all |", "|---" * (len(columns) + 2) + "|"]
    for move in (*MOVES, "all"):
        cells = [
            counts[(move, c)] if move != "all" else sum(counts[(m, c)] for m in MOVES)
            for c in columns
        ]
        total = sum(1 for r in full if move in (r["label"], "all"))
        lines.append(f"| {move} | {' | '.join(map(str, cells))} | {total} |")
    speeches = len({r["speech_id"] for r in full})
    return "\n".join(lines) + f"\n\n{len(full)} sentences from {speeches} speeches."


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", nargs=2, type=int, metavar=("FROM", "COUNT"))
    parser.add_argument("--apply", type=Path, metavar="FILE")
    parser.add_argument("--stats", action="store_true")
    args = parser.parse_args(argv)
    rows = read_tsv(LABELS)
    if args.show:
        show(rows, read_ids(), *args.show)
    elif args.apply:
        count = apply(rows, read_ids(), args.apply)
        print(f"{count} translations written into {LABELS_ZH.name}")  # noqa: T201
    elif args.stats:
        print(stats(rows, read_tsv(LABELS_ZH)))  # noqa: T201
    else:
        ids = choose(rows)
        IDS.write_text("".join(f"{i}\n" for i in ids), encoding="utf-8")
        print(f"{len(ids)} ids written into {IDS.name}")  # noqa: T201


if __name__ == "__main__":
    main()
