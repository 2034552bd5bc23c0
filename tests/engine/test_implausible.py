"""Implausible voters: toy cases worked out by hand, edges of each threshold."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alteram.engine.implausible import (
    BURST,
    BURST_SECONDS,
    BURST_VOTES,
    SAME_ANSWER,
    SAME_VOTE_MIN,
    implausible_voters,
)
from alteram.errors import InvalidInput


def _votes(rows: list[tuple[object, int, int, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["participant", "statement", "vote", "at"])


def _steady(p: object, values: list[int], gap: float = 5.0, start: float = 0.0) -> list:
    return [(p, s, v, start + gap * s) for s, v in enumerate(values)]


def test_thresholds_are_the_documented_ones() -> None:
    assert (SAME_VOTE_MIN, BURST_VOTES, BURST_SECONDS) == (20, 24, 10.0)


def test_all_agree_over_the_minimum_is_marked_and_one_fewer_is_not() -> None:
    at_min = _steady("a", [1] * SAME_VOTE_MIN)
    below = _steady("b", [1] * (SAME_VOTE_MIN - 1))
    all_no = _steady("c", [-1] * 30)
    found = implausible_voters(_votes(at_min + below + all_no))
    assert [(m.participant, m.reasons, m.same_value, m.n_votes) for m in found] == [
        ("a", (SAME_ANSWER,), 1, 20),
        ("c", (SAME_ANSWER,), -1, 30),
    ]


def test_one_pass_or_one_other_answer_breaks_the_same_answer_pattern() -> None:
    passing = _steady("p", [1] * 29 + [0])
    mixed = _steady("m", [-1] * 29 + [1])
    all_pass = _steady("z", [0] * 30)
    assert implausible_voters(_votes(passing + mixed + all_pass)) == []


def test_the_latest_vote_counts_for_the_same_answer() -> None:
    # 20 agrees, then the voter changes their mind on statement 3: no longer all agree
    rows = [*_steady(1, [1] * 20), (1, 3, -1, 500.0)]
    assert implausible_voters(_votes(rows)) == []
    # and the other way: a disagree replaced by an agree makes it all agree
    rows = [*_steady(2, [1] * 19 + [-1]), (2, 19, 1, 500.0)]
    assert [m.reasons for m in implausible_voters(_votes(rows))] == [(SAME_ANSWER,)]


def test_a_burst_of_votes_within_seconds_is_marked_at_its_edges() -> None:
    # 24 votes 10/23 s apart: the window of 24 takes exactly 10 s (inclusive edge)
    edge = [("fast", s, (-1) ** s, s * 10.0 / 23) for s in range(24)]
    # 24 votes 0.44 s apart: 10.12 s for 24, just over
    slow = [("slow", s, (-1) ** s, s * 0.44) for s in range(24)]
    found = implausible_voters(_votes(edge + slow))
    assert [m.participant for m in found] == ["fast"]
    assert found[0].reasons == (BURST,)
    assert found[0].burst_votes == 24 and found[0].burst_seconds == pytest.approx(10.0)


def test_a_burst_anywhere_in_a_long_calm_history_is_found_and_the_fastest_reported() -> None:
    calm = [(5, s, (-1) ** s, 1000.0 + 30 * s) for s in range(40)]
    burst = [(5, 100 + s, (-1) ** s, 5000.0 + 0.25 * s) for s in range(30)]
    found = implausible_voters(_votes(calm + burst))
    assert len(found) == 1 and found[0].reasons == (BURST,)
    assert found[0].burst_seconds == pytest.approx(23 * 0.25)
    assert found[0].n_votes == 70


def test_two_patterns_together_and_other_voters_interleaved() -> None:
    bot = [("bot", s, 1, 0.1 * s) for s in range(25)]
    people = [(f"p{i}", s, (-1) ** (s + i), 7.0 * s + i) for i in range(3) for s in range(25)]
    frame = _votes(people + bot).sample(frac=1.0, random_state=1)  # rows in any order ...
    frame = frame.sort_values("at", kind="stable")  # ... as cast
    found = implausible_voters(frame)
    assert [(m.participant, m.reasons) for m in found] == [("bot", (SAME_ANSWER, BURST))]


def test_burst_counts_votes_of_one_voter_only() -> None:
    # two voters alternating, each a vote per 0.8 s: together 24 votes in 9.2 s, alone 12
    rows = [(i % 2, i, 1 - 2 * (i % 4 // 2), i * 0.4) for i in range(24)]
    assert implausible_voters(_votes(rows)) == []


def test_datetimes_work_like_seconds_and_without_times_only_same_answer_is_looked_for() -> None:
    start = pd.Timestamp("2026-12-01T10:00:00Z")
    rows = [(9, s, (-1) ** s, start + pd.Timedelta(seconds=0.2 * s)) for s in range(24)]
    assert [m.reasons for m in implausible_voters(_votes(rows))] == [(BURST,)]
    untimed = _votes(rows).drop(columns="at")
    assert implausible_voters(untimed) == []


def test_numpy_ids_come_back_as_python_values_and_the_result_serialises() -> None:
    frame = _votes(_steady(0, [1] * 20))
    frame["participant"] = frame["participant"].astype(np.int64)
    found = implausible_voters(frame)
    assert type(found[0].participant) is int
    assert found[0].to_dict() == {
        "participant": 0,
        "reasons": ["same_answer"],
        "n_votes": 20,
        "same_value": 1,
        "burst_votes": None,
        "burst_seconds": None,
    }


def test_empty_and_bad_input() -> None:
    assert implausible_voters(_votes([])) == []
    with pytest.raises(InvalidInput, match="missing the column"):
        implausible_voters(pd.DataFrame({"participant": [1]}))
    with pytest.raises(InvalidInput, match="burst_votes at least 2"):
        implausible_voters(_votes([]), burst_votes=1)
    with pytest.raises(InvalidInput, match="neither a number"):
        implausible_voters(_votes([(1, s, 1, "soon") for s in range(30)]))
