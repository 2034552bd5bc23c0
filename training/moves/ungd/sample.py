"""Draw the sample of General Debate sentences to label with the nine moves (issue #14).

    .venv/bin/python training/moves/ungd/sample.py            # writes sample.tsv here
    .venv/bin/python training/moves/ungd/sample.py --out X    # elsewhere (the test does)

Reads ``diplomatic/ungd-1970-1994.jsonl.gz`` from ``$ALTERAM_SHARED_DATA`` or
``../shared/data`` (relative to the repository). Every speech is cut into sentences
(``speech_text``); fragments are dropped. Two parts are drawn, both stratified by decade
(1970s, 1980s, 1990-94) and region (``regions.tsv``, UN geoscheme):

- **random** (2,400): in each of the 15 strata, in proportion to the stratum's sentences
  but at least 45, a seeded shuffle taken in order, at most 3 sentences per speech;
- **enriched** (4 x 225): for each rare move in turn (inquire, acknowledge, bridge,
  pressure), sentences matching its cues (``prescreen``) and not drawn yet, allocated to
  strata in proportion to the matches, at most 2 enriched sentences per speech.

No sentence text appears twice. Rows are written in a seeded shuffled order so that the
two parts are mixed when labelled in batches. The same corpus gives the same file, byte
for byte (seeds are strings, which ``random`` hashes with SHA-512, not ``hash()``).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
sys.path.insert(0, str(HERE))

from prescreen import CUES, cues_of  # noqa: E402
from speech_text import Vocabulary, clean_speech, is_fragment, split_sentences  # noqa: E402

SEED = "alteram-14"
N_RANDOM = 2400
N_ENRICHED_PER_MOVE = 225
MIN_PER_STRATUM = 45
PER_SPEECH_RANDOM = 3
PER_SPEECH_ENRICHED = 2
LAST_YEAR = 1994
DECADES = ("1970s", "1980s", "1990-94")
REGIONS = ("Africa", "Americas", "Asia", "Europe", "Oceania")
COLUMNS = (
    "id", "speech_id", "country", "year", "session", "decade", "region",
    "part", "cue", "cues", "sentence",
)  # fmt: skip


@dataclass(frozen=True)
class Sentence:
    """One eligible sentence of the corpus, with where it comes from."""

    id: str
    speech_id: str
    country: str
    year: int
    session: int
    decade: str
    region: str
    text: str
    cues: tuple[str, ...]

    @property
    def stratum(self) -> tuple[str, str]:
        return (self.decade, self.region)


def corpus_path() -> Path:
    env = os.environ.get("ALTERAM_SHARED_DATA")
    base = Path(env) if env else REPO.parent / "shared" / "data"
    return base / "diplomatic" / "ungd-1970-1994.jsonl.gz"


def read_regions(path: Path = HERE / "regions.tsv") -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["iso3"]: row["region"] for row in csv.DictReader(handle, delimiter="\t")}


def decade_of(year: int) -> str:
    if not 1970 <= year <= LAST_YEAR:
        raise ValueError(
            f"speech year must be 1970-{LAST_YEAR} (later ones are kept for "
            f"evaluation and must not be used); got {year}"
        )
    return "1970s" if year < 1980 else "1980s" if year < 1990 else "1990-94"


def eligible_sentences(speeches: Sequence[dict[str, object]]) -> list[Sentence]:
    """Every whole sentence of every speech, in corpus order."""
    regions = read_regions()
    vocabulary = Vocabulary(str(s["text"]) for s in speeches)
    out: list[Sentence] = []
    for speech in speeches:
        country, year = str(speech["country"]), int(str(speech["year"]))
        speech_id = f"{country}-{year}"
        text = clean_speech(str(speech["text"]), vocabulary)
        for index, sentence in enumerate(split_sentences(text), start=1):
            if is_fragment(sentence):
                continue
            out.append(Sentence(
                f"{speech_id}-{index:03d}", speech_id, country, year,
                int(str(speech["session"])), decade_of(year), regions[country], sentence,
                tuple(cues_of(sentence)),
            ))  # fmt: skip
    return out


def allocate(total: int, weights: dict[tuple[str, str], int], floor: int = 0) -> dict:
    """Split ``total`` over strata in proportion to ``weights`` (largest remainder), each
    stratum getting at least ``floor`` (or all it has, if fewer)."""
    fixed: dict[tuple[str, str], int] = {}
    while True:
        free = {k: w for k, w in weights.items() if k not in fixed and w > 0}
        left = total - sum(fixed.values())
        mass = sum(free.values())
        exact = {k: left * w / mass for k, w in free.items()}
        counts = {k: int(v) for k, v in exact.items()}
        by_remainder = sorted(free, key=lambda k: (counts[k] - exact[k], k))
        for k in by_remainder[: left - sum(counts.values())]:
            counts[k] += 1
        low = {k for k, n in counts.items() if n < min(floor, weights[k])}
        if not low:
            return {**fixed, **counts}
        fixed.update({k: min(floor, weights[k]) for k in low})


def draw(
    pool: list[Sentence],
    n: int,
    rng: random.Random,
    cap: int,
    per_speech: Counter[str],
    seen: set[str],
) -> list[Sentence]:
    """Up to ``n`` sentences of ``pool`` in shuffled order, at most ``cap`` per speech
    (counted in ``per_speech``), never a text already in ``seen``."""
    order = list(pool)
    rng.shuffle(order)
    chosen: list[Sentence] = []
    for s in order:
        if len(chosen) == n:
            break
        key = " ".join(s.text.lower().split())
        if per_speech[s.speech_id] >= cap or key in seen:
            continue
        chosen.append(s)
        per_speech[s.speech_id] += 1
        seen.add(key)
    return chosen


def sample(sentences: list[Sentence]) -> list[dict[str, str]]:
    """The rows of the sample, random and enriched parts mixed in a seeded order."""
    by_stratum: dict[tuple[str, str], list[Sentence]] = defaultdict(list)
    for s in sentences:
        by_stratum[s.stratum].append(s)
    seen: set[str] = set()
    rows: list[dict[str, str]] = []

    def add(chosen: list[Sentence], part: str, cue: str) -> None:
        for s in chosen:
            rows.append({
                "id": s.id, "speech_id": s.speech_id, "country": s.country,
                "year": str(s.year), "session": str(s.session), "decade": s.decade,
                "region": s.region, "part": part, "cue": cue, "cues": ",".join(s.cues),
                "sentence": s.text,
            })  # fmt: skip

    per_speech: Counter[str] = Counter()
    quota = allocate(N_RANDOM, {k: len(v) for k, v in by_stratum.items()}, MIN_PER_STRATUM)
    for stratum in sorted(quota):
        rng = random.Random(f"{SEED}/random/{'/'.join(stratum)}")
        add(
            draw(by_stratum[stratum], quota[stratum], rng, PER_SPEECH_RANDOM, per_speech, seen),
            "random",
            "",
        )
    per_speech = Counter()
    for move in CUES:
        pools = {k: [s for s in v if move in s.cues] for k, v in by_stratum.items()}
        quota = allocate(N_ENRICHED_PER_MOVE, {k: len(v) for k, v in pools.items()})
        for stratum in sorted(quota):
            rng = random.Random(f"{SEED}/{move}/{'/'.join(stratum)}")
            add(
                draw(pools[stratum], quota[stratum], rng, PER_SPEECH_ENRICHED, per_speech, seen),
                "enriched",
                move,
            )
    random.Random(f"{SEED}/order").shuffle(rows)
    return rows


def read_speeches(path: Path) -> list[dict[str, object]]:
    if not path.is_file():
        raise SystemExit(
            f"corpus not found at {path}: set ALTERAM_SHARED_DATA or put the "
            "shared data at ../shared/data"
        )
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def write_tsv(rows: list[dict[str, str]], path: Path, columns: Sequence[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, columns, delimiter="\t", lineterminator="\n", extrasaction="ignore"
        )
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "sample.tsv")
    args = parser.parse_args(argv)
    rows = sample(eligible_sentences(read_speeches(corpus_path())))
    write_tsv(rows, args.out, COLUMNS)
    parts = Counter(r["part"] for r in rows)
    summary = f"{parts['random']} random, {parts['enriched']} enriched"
    print(f"wrote {args.out}: {len(rows)} sentences, {summary}")  # noqa: T201


if __name__ == "__main__":
    main()
