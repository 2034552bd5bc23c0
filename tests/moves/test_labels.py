from __future__ import annotations

import pytest

from alteram.moves import DIALOGUE_MOVES, MOVES, PRESSURE_MOVES, kind_of


def test_nine_moves_in_three_kinds() -> None:
    assert len(MOVES) == 9
    assert set(DIALOGUE_MOVES) == {"explain", "inquire", "acknowledge", "bridge"}
    assert set(PRESSURE_MOVES) == {"demand", "pressure", "lecture", "accuse"}
    assert set(MOVES) == {*DIALOGUE_MOVES, *PRESSURE_MOVES, "other"}
    assert [kind_of(m) for m in MOVES] == ["dialogue"] * 4 + ["pressure"] * 4 + ["other"]


def test_kind_of_unknown_move_names_it() -> None:
    with pytest.raises(ValueError, match="'threaten'"):
        kind_of("threaten")
