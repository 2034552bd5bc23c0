"""The labelled UNGD set (training/moves/ungd/, issue #14) is whole and consistent.

What a user of the set relies on: every row labelled with one of the nine moves, stable
unique ids that name the speech, no speech after 1994, the random part capped at three
sentences per speech, the labels file holding exactly the sampled sentences, the guide's
examples really being labelled as the guide says, and `sample.py` drawing the same
sentences again from the corpus.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from alteram.moves.labels import MOVES
from tests.conftest import REPO

UNGD = REPO / "training" / "moves" / "ungd"
GUIDE = REPO / "training" / "moves" / "LABELLING.md"
SAMPLE_COLUMNS = [
    "id", "speech_id", "country", "year", "session", "decade", "region",
    "part", "cue", "cues", "sentence",
]  # fmt: skip
LABEL_COLUMNS = [c for c in SAMPLE_COLUMNS if c != "cues"] + ["label"]
RARE = {"inquire", "acknowledge", "bridge", "pressure"}


def read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def labels() -> list[dict[str, str]]:
    columns, rows = read(UNGD / "labels.tsv")
    assert columns == LABEL_COLUMNS
    return rows


@pytest.fixture(scope="module")
def sample() -> list[dict[str, str]]:
    columns, rows = read(UNGD / "sample.tsv")
    assert columns == SAMPLE_COLUMNS
    return rows


def test_at_least_3000_rows_all_labelled_with_one_of_the_nine_moves(labels: list) -> None:
    assert len(labels) >= 3000
    unknown = Counter(r["label"] for r in labels if r["label"] not in MOVES)
    assert not unknown, f"labels outside the nine moves: {unknown}"


def test_every_move_is_present(labels: list) -> None:
    counts = Counter(r["label"] for r in labels)
    assert set(counts) == set(MOVES)
    assert min(counts.values()) >= 40, counts


def test_columns_are_complete(labels: list) -> None:
    for row in labels:
        empty = [c for c in LABEL_COLUMNS if not row[c] and c != "cue"]
        assert not empty, f"{row['id']}: empty {empty}"
        assert (row["part"] == "enriched") == bool(row["cue"]), row["id"]
        assert row["part"] in {"random", "enriched"}
        assert row["part"] == "random" or row["cue"] in RARE


def test_ids_are_unique_and_name_their_speech(labels: list) -> None:
    ids = [r["id"] for r in labels]
    assert len(set(ids)) == len(ids)
    for row in labels:
        assert row["speech_id"] == f"{row['country']}-{row['year']}"
        assert re.fullmatch(rf"{row['speech_id']}-\d{{3,4}}", row["id"]), row["id"]


def test_no_speech_after_1994_and_strata_follow_the_year(labels: list) -> None:
    regions = {r["iso3"]: r["region"] for r in read(UNGD / "regions.tsv")[1]}
    for row in labels:
        year = int(row["year"])
        assert 1970 <= year <= 1994, row["id"]
        assert int(row["session"]) == year - 1945, row["id"]
        expected = "1970s" if year < 1980 else "1980s" if year < 1990 else "1990-94"
        assert row["decade"] == expected, row["id"]
        assert row["region"] == regions[row["country"]], row["id"]


def test_random_part_has_at_most_three_sentences_per_speech(labels: list) -> None:
    per_speech = Counter(r["speech_id"] for r in labels if r["part"] == "random")
    assert max(per_speech.values()) <= 3
    assert sum(per_speech.values()) >= 2000


def test_no_sentence_twice(labels: list) -> None:
    texts = Counter(" ".join(r["sentence"].lower().split()) for r in labels)
    assert max(texts.values()) == 1


def test_labels_hold_exactly_the_sampled_sentences(labels: list, sample: list) -> None:
    assert [r["id"] for r in labels] == [r["id"] for r in sample]
    for lab, sam in zip(labels, sample, strict=True):
        assert {c: lab[c] for c in LABEL_COLUMNS[:-1]} == {c: sam[c] for c in LABEL_COLUMNS[:-1]}


def test_guide_examples_are_labelled_as_the_guide_says(labels: list) -> None:
    by_id = {r["id"]: r for r in labels}
    section = GUIDE.read_text(encoding="utf-8").split("## Ten real examples of each move")[1]
    found: Counter[str] = Counter()
    for block in section.split("\n### ")[1:]:
        move = block.split("\n", 1)[0].strip()
        assert move in MOVES, move
        for sentence, ident in re.findall(r"^- (.+) \(`([A-Z]{3}-\d{4}-\d+)`\)$", block, re.M):
            assert by_id[ident]["label"] == move, f"{ident} is {by_id[ident]['label']}"
            assert by_id[ident]["sentence"] == sentence
            found[move] += 1
    assert found == Counter({m: 10 for m in MOVES})
    # ids cited anywhere in the guide exist and carry the label the guide gives them
    for text, ident in re.findall(r"\((\w+), `([A-Z]{3}-\d{4}-\d+)`", GUIDE.read_text()):
        assert by_id[ident]["label"] == text, ident


@pytest.mark.data
@pytest.mark.slow
def test_sample_script_reproduces_the_sample(shared_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "sample.tsv"
    env = {"ALTERAM_SHARED_DATA": str(shared_data), "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [sys.executable, str(UNGD / "sample.py"), "--out", str(out)],
        check=True, env=env, capture_output=True, timeout=900,
    )  # fmt: skip
    assert out.read_bytes() == (UNGD / "sample.tsv").read_bytes()


def test_sample_refuses_speeches_after_1994() -> None:
    sys.path.insert(0, str(UNGD))
    try:
        import sample  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    with pytest.raises(ValueError, match="1994"):
        sample.decade_of(1995)
    assert sample.decade_of(1994) == "1990-94"


def test_readme_counts_are_current(capsys: pytest.CaptureFixture[str]) -> None:
    sys.path.insert(0, str(UNGD))
    try:
        import stats  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    stats.main()
    printed = capsys.readouterr().out.strip()
    assert printed in (UNGD / "README.md").read_text(encoding="utf-8")
