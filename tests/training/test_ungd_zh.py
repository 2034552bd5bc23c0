"""The Chinese translations of the labelled UNGD sentences (labels_zh.tsv, issue #14).

What the Chinese side of the move classifier relies on: at least 600 translated rows, each
tied by id to an English sentence of labels.tsv with the same label, speech and part (so
cross-validation can group both languages by speech), each a real Chinese sentence marked
as the project's translation, none twice, and every number of the English kept. The choice
of ids is the one ``zh_sample.py`` draws, so it can be checked and redrawn.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from alteram.moves.labels import MOVES
from tests.conftest import REPO

UNGD = REPO / "training" / "moves" / "ungd"
ZH_COLUMNS = ["id", "speech_id", "part", "label", "sentence_zh", "translated_by"]
CJK = re.compile(r"[\u4e00-\u9fff]")
SENTENCE_END = ("。", "？", "！", "”", "’", "」")


def read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def english() -> dict[str, dict[str, str]]:
    return {r["id"]: r for r in read(UNGD / "labels.tsv")[1]}


@pytest.fixture(scope="module")
def chinese() -> list[dict[str, str]]:
    columns, rows = read(UNGD / "labels_zh.tsv")
    assert columns == ZH_COLUMNS
    return rows


@pytest.fixture(scope="module")
def zh_sample():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(UNGD))
    try:
        import zh_sample  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    return zh_sample


# --- numbers -------------------------------------------------------------------------

_EN_NUMBER = re.compile(
    r"(?<![A-Za-z\d.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(s|st|nd|rd|th)?(?![A-Za-z\d])"
    r"(?:\s*(million|billion|thousand))?"
)
_ZH_NUMBER = re.compile(r"(\d+(?:,\d{3})*)(\.\d+)?\s*(万|亿)?")
_SCALE = {None: 1, "thousand": 10**3, "million": 10**6, "billion": 10**9, "万": 10**4, "亿": 10**8}
_DIGITS = "零一二三四五六七八九"


def english_numbers(text: str) -> list[tuple[str, set[float]]]:
    """Each number written in digits, with the values a faithful translation may show.

    OCR slips inside words ("peop1e") are not numbers; "1970s" may be written 70 or 1970.
    """
    found = []
    for m in _EN_NUMBER.finditer(text):
        whole, frac, suffix, scale = m.groups()
        value = float(whole.replace(",", "") + (frac or "")) * _SCALE[scale]
        accepted = {value}
        if suffix == "s" and value >= 1900:  # a decade: the 1970s, 20世纪70年代
            accepted.add(value % 100)
        found.append((m.group(0), accepted))
    return found


def chinese_values(text: str) -> set[float]:
    values: set[float] = set()
    for whole, frac, scale in _ZH_NUMBER.findall(text):
        number = float(whole.replace(",", "") + frac)
        values |= {number, number * _SCALE[scale or None]}
    return values


def chinese_numeral(n: int) -> str:
    """1-99 in Chinese numerals: 5 五, 10 十, 25 二十五, 40 四十."""
    tens, units = divmod(n, 10)
    head = "" if tens == 0 else "十" if tens == 1 else _DIGITS[tens] + "十"
    return head + (_DIGITS[units] if units else "")


def number_kept(accepted: set[float], zh: str, values: set[float]) -> bool:
    if any(abs(v - a) <= 1e-9 * max(1.0, a) for v in values for a in accepted):
        return True
    small = [int(a) for a in accepted if a == int(a) and 0 < a < 100]
    return any(chinese_numeral(n) in zh or (n == 2 and "两" in zh) for n in small)


def test_number_helpers_read_what_translations_write() -> None:
    assert [v for _, v in english_numbers("$30 million in 1,800,000 votes")] == [
        {3e7}, {1.8e6},
    ]  # fmt: skip
    assert english_numbers("the peop1e of the 1970s") == [("1970s", {1970.0, 70.0})]
    assert {3e7, 1.8e6, 7.5e8} <= chinese_values("3000万美元，180万人，7.5亿人")
    assert chinese_numeral(25) == "二十五" and chinese_numeral(10) == "十"
    assert not number_kept({435.0}, "第453(1978)号决议", chinese_values("第453(1978)号决议"))


# --- the set -------------------------------------------------------------------------


def test_at_least_600_rows_without_duplicates(chinese: list) -> None:
    assert len(chinese) >= 600
    ids = Counter(r["id"] for r in chinese)
    assert max(ids.values()) == 1, [i for i, n in ids.items() if n > 1]
    texts = Counter(r["sentence_zh"] for r in chinese)
    assert max(texts.values()) == 1, [t for t, n in texts.items() if n > 1]


def test_every_row_is_an_english_sentence_with_the_same_label_and_speech(
    chinese: list, english: dict
) -> None:
    for row in chinese:
        assert row["id"] in english, f"{row['id']} is not in labels.tsv"
        source = english[row["id"]]
        assert row["label"] == source["label"], row["id"]
        assert row["speech_id"] == source["speech_id"], row["id"]
        assert row["part"] == source["part"], row["id"]


def test_every_move_is_well_represented(chinese: list, english: dict) -> None:
    counts = Counter(r["label"] for r in chinese)
    available = Counter(r["label"] for r in english.values())
    for move in MOVES:
        assert counts[move] >= min(50, available[move]), (move, counts[move])
    assert Counter(r["part"] for r in chinese)["random"] >= 300


def test_every_translation_is_a_chinese_sentence_marked_as_a_translation(chinese: list) -> None:
    for row in chinese:
        text = row["sentence_zh"]
        assert text.strip() == text and text, row["id"]
        assert len(CJK.findall(text)) >= 3, f"{row['id']}: no Chinese in {text!r}"
        assert text.endswith(SENTENCE_END), f"{row['id']}: ends without Chinese punctuation"
        assert "\t" not in text and "\n" not in text, row["id"]
        assert row["translated_by"] == "project, by hand from the English", row["id"]


def test_numbers_written_in_digits_are_kept(chinese: list, english: dict) -> None:
    missing = []
    for row in chinese:
        zh = row["sentence_zh"]
        values = chinese_values(zh)
        for shown, accepted in english_numbers(english[row["id"]]["sentence"]):
            if not number_kept(accepted, zh, values):
                missing.append(f"{row['id']}: {shown}")
    assert not missing, missing


def test_ids_are_the_seeded_choice_in_order(chinese: list, english: dict, zh_sample) -> None:  # type: ignore[no-untyped-def]
    ids = zh_sample.read_ids()
    assert zh_sample.choose(list(english.values())) == ids
    assert [r["id"] for r in chinese] == [i for i in ids if i in {r["id"] for r in chinese}]


def test_move_quotas_keep_the_floor_and_share_the_rest_in_proportion(zh_sample) -> None:  # type: ignore[no-untyped-def]
    counts = {"a": 1000, "b": 300, "c": 100, "d": 20}
    quotas = zh_sample.move_quotas(counts, total=200, floor=30)
    assert sum(quotas.values()) == 200
    assert quotas["d"] == 20 and quotas["c"] == 30  # all it has; the floor
    assert quotas["a"] > quotas["b"] > 30  # the rest follows the counts
    assert abs(quotas["a"] / quotas["b"] - 1000 / 300) < 0.1
    with pytest.raises(ValueError, match="cannot choose"):
        zh_sample.move_quotas(counts, total=2000)


def test_readme_counts_are_current(chinese: list, english: dict, zh_sample) -> None:  # type: ignore[no-untyped-def]
    table = zh_sample.stats(list(english.values()), chinese)
    assert table in (UNGD / "README.md").read_text(encoding="utf-8")
