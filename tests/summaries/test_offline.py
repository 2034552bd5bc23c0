"""The offline summary from plain facts: prose that agrees in number, both sides alike."""

from __future__ import annotations

from dataclasses import replace

import pytest

from alteram.summaries import (
    ConceptFacts,
    ConcernFacts,
    GapFacts,
    Misjudged,
    RoundFacts,
    SideFacts,
    StatementFacts,
    write_summary,
)

A, B = SideFacts(1, "Atlantis"), SideFacts(2, "Lemuria")


def st(i: int, side: int, a: float, b: float, text: str | None = None) -> StatementFacts:
    return StatementFacts(i, text or f"Statement number {i} says something.", side, {1: a, 2: b})


def facts(**kw: object) -> RoundFacts:
    base = RoundFacts(
        number=2,
        sides=[A, B],
        n_votes=300,
        n_participants=40,
        common_ground=[st(1, 1, 80, 75), st(2, 1, 78, 70), st(3, 2, 72, 71)],
        divisive=[st(4, 2, 20, 85), st(5, 1, 70, 30)],
        gaps=[
            GapFacts(1, 2, True, 18.4, 25.2, Misjudged(st(6, 2, 50, 35), 10.0, 35.0)),
            GapFacts(2, 1, True, 1.2, 1.0, Misjudged(st(7, 1, 45, 50), 70.0, 45.0)),
        ],
        concepts=ConceptFacts(1, {1: 1, 2: 0}, {1: 2, 2: 1}, {1: 1, 2: 0}, {1: 1, 2: 0}),
        concerns=ConcernFacts({1: 1, 2: 0}, 0, 1),
        ritual=14.6,
        dialogue_share={1: 60.0, 2: 45.0},
        previous_number=1,
        previous_ritual=0.0,
        previous_dialogue_share={1: 50.0, 2: 40.0},
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def texts(lang: str, f: RoundFacts | None = None) -> list[str]:
    return [s.text for s in write_summary(f or facts(), lang).sentences]


def test_english_reads_as_prose_with_counts_in_agreement() -> None:
    out = texts("en")
    assert out[0] == "3 statements are agreed by most participants on every side."
    assert out[1] == (
        "The broadest agreement is on “Statement number 1 says something”, written by "
        "participants from Atlantis: 80 % of participants from Atlantis agree and 75 % of "
        "participants from Lemuria agree."
    )
    assert (
        "On average, participants from Lemuria misjudged the share of participants from "
        "Atlantis who agree by 1 point."
    ) in out
    assert "One rating" not in " ".join(out)
    assert (
        "Restatements written by participants from Atlantis were rated fair in 100 % of one rating."
    ) in out
    assert "Participants from Lemuria wrote one restatement; none has been rated yet." in out
    assert "So far one concern has been raised, by participants from Atlantis." in out
    assert "Of these, none is understood by every side yet and one is still open." in out
    assert "That is 7 points less than in round 1." in out
    joined = " ".join(out)
    for wrong in ("1 people", "1 points", "1 statements", "1 concerns", "1 ratings", "1 are"):
        assert wrong not in joined
    assert all(t[0].isupper() or t[0] in "0123456789“" for t in out)


def test_chinese_uses_the_same_sections_and_numbers() -> None:
    en, zh = write_summary(facts(), "en"), write_summary(facts(), "zh")
    assert [s.section for s in en.sentences] == [s.section for s in zh.sentences]
    for e, z in zip(en.sentences, zh.sentences, strict=True):
        assert e.statements == z.statements and e.quoted == z.quoted
        assert [(f.key, f.value) for f in e.figures] == [(f.key, f.value) for f in z.figures]
        for f in z.figures:  # every percentage and gap the sentence states is written in it
            if f.key == "gap_points_before" or (f.key == "gap_change_points" and not f.value):
                continue
            if "%" in f.shown or "百分点" in f.shown:
                assert f.shown in z.text
    assert zh.sentences[1].text == (
        "共识最广的是Atlantis参与者提出的“Statement number 1 says something”："
        "Atlantis参与者中有80%同意，Lemuria参与者中有75%同意。"
    )
    assert "比第1轮缩小了7个百分点。" in [s.text for s in zh.sentences]


def test_both_sides_are_spoken_of_with_the_same_words() -> None:
    """Swap the sides' names: every sentence is the same with the names swapped."""
    f = facts()
    swapped = replace(f, sides=[SideFacts(1, "Lemuria"), SideFacts(2, "Atlantis")])
    for lang in ("en", "zh"):
        one, other = texts(lang, f), texts(lang, swapped)
        back = [
            t.replace("Atlantis", "\0").replace("Lemuria", "Atlantis").replace("\0", "Lemuria")
            for t in other
        ]
        assert back == one


def test_every_sentence_names_its_sources() -> None:
    s = write_summary(facts(), "en")
    quoting = [x for x in s.sentences if "“" in x.text]
    assert quoting and all(x.quoted and set(x.quoted) <= set(x.statements) for x in quoting)
    first = s.section("agree")[1]
    assert [(f.key, f.value, f.side, f.statement) for f in first.figures] == [
        ("agree_percent", 80, "Atlantis", 1),
        ("agree_percent", 75, "Lemuria", 1),
    ]
    gap = s.section("perception")[0]
    assert [(f.key, f.value, f.side, f.about) for f in gap.figures] == [
        ("gap_points", 18.4, "Atlantis", "Lemuria")
    ]
    assert s.to_dict()["sections"][0]["sentences"][1]["statements"] == [1]


def test_empty_round_says_so_without_numbers() -> None:
    f = RoundFacts(
        number=1,
        sides=[A, B],
        n_votes=0,
        n_participants=0,
        concepts=ConceptFacts(0),
        concerns=ConcernFacts(),
        ritual_first_round=True,
    )
    out = texts("en", f)
    assert out == [
        "No statement is agreed by most participants on every side yet.",
        "No statement divides the sides clearly yet.",
        "Nobody has predicted the other side's votes yet.",
        "This round has no concept to define.",
        "No concerns have been raised yet.",
        "This is the first round, so nothing repeats earlier rounds.",
    ]
    assert len(texts("zh", f)) == len(out)


def test_not_enough_data_is_said_not_guessed() -> None:
    f = facts(gaps=[GapFacts(1, 2, False, None), GapFacts(2, 1, False, None)])
    out = texts("en", f)
    assert (
        "There is not enough data yet to say how well participants from Atlantis know the "
        "views of participants from Lemuria."
    ) in out
    assert not any("misjudged" in t for t in out)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_deterministic(lang: str) -> None:
    assert write_summary(facts(), lang) == write_summary(facts(), lang)
