"""Print a batch of the sample for labelling, or write a batch's labels into labels.tsv.

    python training/moves/ungd/show.py --from 300 --count 150     # rows 300-449
    python training/moves/ungd/show.py --apply batch.txt          # write labels

Only the row number, id, speaker and sentence are shown: not the part (random or
enriched) nor the cues that drew it, so that they cannot sway the label.

A batch file has lines ``N: CODES``: ``N`` is the row number of the first code and
``CODES`` one letter per row (spaces ignored), from ``CODES`` below. Rows already labelled
are overwritten only with ``--force``.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = HERE / "labels.tsv"

CODES = {
    "E": "explain", "Q": "inquire", "A": "acknowledge", "B": "bridge",
    "D": "demand", "P": "pressure", "L": "lecture", "C": "accuse", "O": "other",
}  # fmt: skip


def read_rows(path: Path = LABELS) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        return list(reader.fieldnames or []), list(reader)


def write_rows(columns: list[str], rows: list[dict[str, str]], path: Path = LABELS) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def show(rows: list[dict[str, str]], start: int, count: int) -> None:
    for n in range(start, min(start + count, len(rows))):
        if (n - start) % 10 == 0:
            print(f"-- {n}")  # noqa: T201
        r = rows[n]
        print(f"{n} {r['country']}-{r['year']}: {r['sentence']}")  # noqa: T201


def apply(rows: list[dict[str, str]], batch: Path, force: bool) -> int:
    written = 0
    for number, line in enumerate(batch.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        head, _, codes = line.partition(":")
        start = int(head)
        letters = codes.replace(" ", "")
        for offset, code in enumerate(letters):
            if code not in CODES:
                raise SystemExit(f"{batch}:{number}: unknown code {code!r}; use {''.join(CODES)}")
            row = rows[start + offset]
            if row["label"] and row["label"] != CODES[code] and not force:
                raise SystemExit(
                    f"{batch}:{number}: row {start + offset} ({row['id']}) is "
                    f"already {row['label']}; pass --force to change it"
                )
            row["label"] = CODES[code]
            written += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="start", type=int, default=0)
    parser.add_argument("--count", type=int, default=150)
    parser.add_argument("--apply", type=Path)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args()
    columns, rows = read_rows()
    if args.apply is None:
        show(rows, args.start, args.count)
        return
    written = apply(rows, args.apply, args.force)
    write_rows(columns, rows)
    done = sum(bool(r["label"]) for r in rows)
    print(f"{written} labels written; {done} of {len(rows)} rows labelled", file=sys.stderr)  # noqa: T201


if __name__ == "__main__":
    main()
