from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alteram.moves import MOVES, round_profile


def test_worked_by_hand() -> None:
    # Side 1: explain, explain, inquire, demand, other -> 5 statements, 4 non-other,
    #         3 dialogue -> dialogue_share 3/4.
    # Side 2: accuse, lecture, bridge -> 1/3 dialogue.
    # Side 3: other only -> dialogue_share None.
    items = [
        (1, "explain"), (2, "accuse"), (1, "explain"), (1, "inquire"), (2, "lecture"),
        (1, "demand"), (1, "other"), (2, "bridge"), (3, "other"),
    ]  # fmt: skip
    p = round_profile(items)
    assert list(p) == ["1", "2", "3"]
    assert p["1"]["n"] == 5
    assert p["1"]["explain"] == pytest.approx(2 / 5)
    assert p["1"]["inquire"] == pytest.approx(1 / 5)
    assert p["1"]["demand"] == pytest.approx(1 / 5)
    assert p["1"]["other"] == pytest.approx(1 / 5)
    assert p["1"]["accuse"] == 0.0
    assert p["1"]["dialogue_share"] == pytest.approx(3 / 4)
    assert p["2"]["dialogue_share"] == pytest.approx(1 / 3)
    assert p["2"]["accuse"] == pytest.approx(1 / 3)
    assert p["3"]["dialogue_share"] is None
    assert p["3"]["other"] == 1.0
    assert json.loads(json.dumps(p)) == p


def test_empty_round() -> None:
    assert round_profile([]) == {}


def test_unknown_move_rejected() -> None:
    with pytest.raises(ValueError, match="'yell'"):
        round_profile([("a", "yell")])


@given(st.lists(st.tuples(st.sampled_from(["a", "b"]), st.sampled_from(MOVES)), max_size=40))
def test_shares_sum_to_one_and_match_counts(items: list[tuple[str, str]]) -> None:
    p = round_profile(items)
    for side, entry in p.items():
        moves = [m for s, m in items if s == side]
        assert entry["n"] == len(moves)
        assert sum(entry[m] for m in MOVES) == pytest.approx(1.0)
        stance = [m for m in moves if m != "other"]
        if stance:
            dialogue = sum(m in ("explain", "inquire", "acknowledge", "bridge") for m in stance)
            assert entry["dialogue_share"] == pytest.approx(dialogue / len(stance))
        else:
            assert entry["dialogue_share"] is None


def test_unsure_is_its_own_bar_and_not_dialogue() -> None:
    from alteram.moves import PROFILE_BARS, UNSURE, profile_move

    # Side 1: bridge, demand, and two statements the classifier was unsure of.
    items = [(1, "bridge"), (1, "demand"), (1, UNSURE), (1, UNSURE), (2, UNSURE)]
    p = round_profile(items)
    assert p["1"][UNSURE] == pytest.approx(2 / 4)
    assert p["1"]["dialogue_share"] == pytest.approx(1 / 2)  # not 3/4: unsure is no dialogue
    assert sum(p["1"][m] for m in PROFILE_BARS) == pytest.approx(1.0)
    assert p["2"]["dialogue_share"] is None and p["2"][UNSURE] == 1.0
    assert profile_move("demand", 0.9) == "demand"
    assert profile_move("demand", 0.05) == UNSURE
    assert profile_move("bridge", None) == "bridge"  # the team's reading has no confidence
