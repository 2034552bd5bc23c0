"""Both sides quoted in equal measure where the data allows, or the summary says why."""

from __future__ import annotations

from alteram.summaries import (
    GapFacts,
    Misjudged,
    RoundFacts,
    Sentence,
    SideFacts,
    StatementFacts,
    check_balance,
    write_summary,
)
from alteram.summaries.balance import unbalanced

A, B = SideFacts(1, "Atlantis"), SideFacts(2, "Lemuria")


def st(i: int, side: int) -> StatementFacts:
    return StatementFacts(i, f"Statement {i}", side, {1: 70.0, 2: 70.0})


def test_the_rule() -> None:
    assert unbalanced({"a": 2, "b": 1}) is None  # one apart: the least an odd count allows
    assert unbalanced({"a": 3, "b": 3}) is None
    assert unbalanced({"a": 3, "b": 1}) == ("a", "b")
    assert unbalanced({"a": 0, "b": 2}) == ("b", "a")
    assert unbalanced({"a": 4, "b": 2}) == ("a", "b")
    assert unbalanced({"a": 5, "b": 3}) is None


def test_a_summary_quoting_one_side_without_reason_is_flagged() -> None:
    said = [Sentence("agree", "x", (i,), (i,)) for i in (1, 2, 3)]
    side_of = {1: "A", 2: "A", 3: "A", 4: "B", 5: "B"}
    b = check_balance(said, side_of, ["A", "B"], [1, 2, 3, 4, 5])
    assert b.quoted == {"A": 3, "B": 0} and b.flagged and not b.explained
    b = check_balance(said, side_of, ["A", "B"], [1, 2, 3])  # B has nothing to quote
    assert not b.flagged and b.explained


def test_offline_summary_balances_the_sides_where_the_data_allows() -> None:
    # The top statements are all Atlantis's, and so are both largest misperceptions.
    f = RoundFacts(
        number=1,
        sides=[A, B],
        n_votes=10,
        n_participants=4,
        common_ground=[st(1, 1), st(2, 1), st(3, 1), st(4, 2)],
        divisive=[st(5, 1), st(6, 1), st(7, 2)],
        gaps=[
            GapFacts(1, 2, True, 10.0, None, Misjudged(st(8, 1), 20.0, 70.0)),
            GapFacts(2, 1, True, 12.0, None, Misjudged(st(9, 1), 30.0, 70.0)),
        ],
    )
    s = write_summary(f, "en")
    assert s.balance.quoted == {"Atlantis": 4, "Lemuria": 2}
    assert not s.balance.flagged and s.balance.explained  # Lemuria has no more to quote
    quoted = [i for x in s.sentences for i in x.quoted]
    assert 4 in quoted and 7 in quoted  # Lemuria's statements, though ranked lower
    note = s.section("balance")
    assert [x.text for x in note] == [
        "This summary quotes participants from Atlantis 4 times and participants from Lemuria "
        "twice: among the statements the analysis ranks highest, no more come from "
        "participants from Lemuria."
    ]
    zh = write_summary(f, "zh").section("balance")
    assert zh[0].text.startswith("本摘要引用Atlantis参与者的陈述4次，引用Lemuria参与者的陈述2次")


def test_offline_summary_with_material_from_both_sides_is_balanced() -> None:
    f = RoundFacts(
        number=1,
        sides=[A, B],
        n_votes=10,
        n_participants=4,
        common_ground=[st(1, 1), st(2, 1), st(3, 2)],
        divisive=[st(5, 1), st(6, 1), st(7, 2)],
    )
    s = write_summary(f, "en")
    assert s.balance.quoted == {"Atlantis": 2, "Lemuria": 2} and s.balance.balanced
    assert not s.section("balance")
