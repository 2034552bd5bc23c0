"""Counts of the labelled UNGD sentences per move, by part, decade and region.

    .venv/bin/python training/moves/ungd/stats.py          # Markdown tables

The random part describes General Debate text as it is; the enriched part only adds
examples of the rare moves, so report quality on the random part alone when the question
is "how does the classifier do on real speeches".
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
MOVES = (
    "explain", "inquire", "acknowledge", "bridge",
    "demand", "pressure", "lecture", "accuse", "other",
)  # fmt: skip
DECADES = ("1970s", "1980s", "1990-94")
REGIONS = ("Africa", "Americas", "Asia", "Europe", "Oceania")


def read_labels(path: Path = HERE / "labels.tsv") -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def table(rows: list[dict[str, str]], column: str, values: Sequence[str]) -> str:
    """A Markdown table: one row per move, one column per value of ``column``."""
    counts = Counter((r["label"], r[column]) for r in rows)
    totals = Counter(r[column] for r in rows)
    head = f"| move | {' | '.join(values)} | all |"
    rule = "|---" * (len(values) + 2) + "|"
    lines = [head, rule]
    for move in MOVES:
        cells = [str(counts[(move, v)]) for v in values]
        lines.append(f"| {move} | {' | '.join(cells)} | {sum(counts[(move, v)] for v in values)} |")
    lines.append(f"| all | {' | '.join(str(totals[v]) for v in values)} | {len(rows)} |")
    return "\n".join(lines)


def shares(rows: list[dict[str, str]]) -> str:
    """Share of each move in the random part (what real General Debate text looks like)."""
    random_rows = [r for r in rows if r["part"] == "random"]
    counts = Counter(r["label"] for r in random_rows)
    cells = [f"{m} {100 * counts[m] / len(random_rows):.1f} %" for m in MOVES]
    return "Random part: " + ", ".join(cells) + "."


def main() -> None:
    rows = read_labels()
    sections = [
        ("By part", table(rows, "part", ("random", "enriched"))),
        ("By decade", table(rows, "decade", DECADES)),
        ("By region", table(rows, "region", REGIONS)),
        ("Enriched part, by the cue that drew the sentence",
         table([r for r in rows if r["part"] == "enriched"], "cue",
               ("inquire", "acknowledge", "bridge", "pressure"))),
    ]  # fmt: skip
    out = [f"{len(rows)} sentences, {len({r['speech_id'] for r in rows})} speeches.", ""]
    for title, text in sections:
        out += [f"**{title}**", "", text, ""]
    out.append(shares(rows))
    print("\n".join(out))  # noqa: T201


if __name__ == "__main__":
    main()
