"""Draw the 10 % of the UNGD move set that is labelled a second time, blind (issue #14).

    python3 training/moves/ungd/second_sample.py               # writes second_ids.txt
    python3 training/moves/ungd/second_sample.py --show 0 50   # rows 0-49, to label

The draw is **stratified by the ``part`` column**, in proportion: 10 % of the random part
(240 of 2,400) and 10 % of the enriched part (90 of 900), 330 ids in all. Stratifying
keeps the 240 random-part sentences a plain random sample of real General Debate text
(agreement on them describes that text), while the 90 enriched ones add cases of the
rare moves. Within each part the ids are sorted, shuffled with a string seed (which
``random`` hashes with SHA-512, so the draw does not depend on ``PYTHONHASHSEED`` or the
platform) and the first 10 % taken; the 330 ids are then written in one more seeded
shuffle, so that labelling in file order mixes the two parts.

The draw reads ``sample.tsv`` only: it never opens ``labels.tsv``, so it cannot look at
the first labels, and ``--show`` prints the id (delegation and year) and the sentence,
nothing else (not the part, not the cues), for a blind second labelling.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE / "sample.tsv"
IDS = HERE / "second_ids.txt"
SEED = "alteram-14/second"
SHARE = 0.10
PARTS = ("random", "enriched")


def read_sample(path: Path = SAMPLE) -> list[dict[str, str]]:
    """The rows of ``sample.tsv`` (sentences without labels)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def draw(rows: list[dict[str, str]], share: float = SHARE, seed: str = SEED) -> list[str]:
    """The ids drawn: ``round(share * n)`` of each part, in a seeded mixed order."""
    chosen: list[str] = []
    for part in PARTS:
        ids = sorted(r["id"] for r in rows if r["part"] == part)
        random.Random(f"{seed}/{part}").shuffle(ids)
        chosen.extend(ids[: round(share * len(ids))])
    random.Random(f"{seed}/order").shuffle(chosen)
    return chosen


def read_ids(path: Path = IDS) -> list[str]:
    """The drawn ids, in labelling order."""
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line]


def show(start: int, count: int) -> None:
    """Print rows ``start`` to ``start + count - 1`` of the draw: number, id, sentence."""
    sentences = {r["id"]: r["sentence"] for r in read_sample()}
    ids = read_ids()
    for n in range(start, min(start + count, len(ids))):
        print(f"{n}\t{ids[n]}\t{sentences[ids[n]]}")  # noqa: T201


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", nargs=2, type=int, metavar=("FROM", "COUNT"))
    args = parser.parse_args()
    if args.show:
        if not IDS.exists():
            sys.exit(f"{IDS.name} not found: run this script without --show first to draw it")
        show(*args.show)
        return
    ids = draw(read_sample())
    IDS.write_text("".join(f"{i}\n" for i in ids), encoding="utf-8")
    print(f"wrote {len(ids)} ids to {IDS}")  # noqa: T201


if __name__ == "__main__":
    main()
