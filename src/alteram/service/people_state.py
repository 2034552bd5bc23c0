"""A member the team removed: what they are told when they try to act."""

from __future__ import annotations

from alteram.errors import N_, Forbidden
from alteram.store.schema import Participant


class Removed(Forbidden):
    """The participant was removed from the dialogue by its facilitation team."""

    code = "removed"


def removed_error(when: str) -> Removed:
    return Removed(
        N_("the facilitators removed you from this dialogue on %(date)s: you cannot take part."),
        params={"date": when},
        hint=N_(
            "What you wrote and your votes stay in the record. If you think this is a "
            "mistake, write to the facilitators."
        ),
    )


def refuse_removed(person: Participant) -> None:
    """Refuse whatever a removed participant tries to do."""
    if person.removed_at is not None:
        raise removed_error(person.removed_at.strftime("%Y-%m-%d %H:%M UTC"))
