from __future__ import annotations

import pytest

from alteram.moves import DIALOGUE_MOVES, PRESSURE_MOVES, detect_language, hint


@pytest.mark.parametrize("move", PRESSURE_MOVES)
def test_every_pressure_move_has_a_hint_in_both_languages(move: str) -> None:
    en = hint(move, "en")
    zh = hint(move, "zh")
    assert en and zh and en != zh
    assert detect_language(en) == "en"
    assert detect_language(zh) == "zh"
    assert len(en) < 200 and len(zh) < 80


@pytest.mark.parametrize("move", [*DIALOGUE_MOVES, "other"])
def test_no_hint_for_dialogue_and_other(move: str) -> None:
    assert hint(move, "en") is None
    assert hint(move, "zh") is None


def test_hint_content_follows_the_issue() -> None:
    assert "why this matters" in (hint("demand", "en") or "")
    assert "ask how the other side sees it" in (hint("accuse", "en") or "")
    assert "what the other side values" in (hint("lecture", "en") or "")
    assert "为什么" in (hint("demand", "zh") or "")


def test_hint_language_codes() -> None:
    assert hint("accuse", "zh-TW") == hint("accuse", "zh")
    assert hint("accuse", "fr") == hint("accuse", "en")


def test_hint_unknown_move() -> None:
    with pytest.raises(ValueError, match="'shout'"):
        hint("shout", "en")
