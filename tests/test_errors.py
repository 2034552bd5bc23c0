"""Errors say what was wrong in English, and in the reader's language where marked."""

from __future__ import annotations

import pytest

from alteram.errors import N_, Conflict, InvalidInput, RateLimited
from alteram.web.i18n import translations


def test_marked_message_with_params_terms_and_hint() -> None:
    err = Conflict(
        N_("round %(number)s is %(state)s: you cannot %(action)s now."),
        params={"number": 4},
        terms={"state": "closed", "action": "vote"},
        hint=N_("It is closed; its results stay readable."),
    )
    assert (
        str(err)
        == "round 4 is closed: you cannot vote now. It is closed; its results stay readable."
    )
    assert err.to_dict() == {"code": "conflict", "message": str(err)}
    zh = err.localized(translations("zh").gettext)
    assert zh == "第 4 轮已结束：您现在不能投票。 本轮已结束，其结果仍可查看。"
    assert err.localized(translations("en").gettext) == str(err)


def test_unmarked_messages_stay_english_and_percent_signs_are_safe() -> None:
    err = InvalidInput("share must be 0-100%, got 120%.")
    assert err.localized(translations("zh").gettext) == "share must be 0-100%, got 120%."


def test_params_are_not_translated_terms_are() -> None:
    err = RateLimited(
        N_("you have voted %(n)s times in the last minute, the most alteram accepts."),
        params={"n": "vote"},  # a value that happens to be a catalog word stays as it is
    )
    assert "vote" in err.localized(translations("zh").gettext)


def test_a_template_missing_a_value_fails_loudly() -> None:
    with pytest.raises(KeyError):
        Conflict(N_("round %(number)s is %(state)s: you cannot %(action)s now."), params={"x": 1})
