"""Fetching rows by id with errors that tell a person what to do."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from alteram.errors import NotFound
from alteram.store.schema import Base, Dialogue, Participant, Round, Side, Statement

T = TypeVar("T", bound=Base)

_WHAT: dict[type[Base], tuple[str, str]] = {
    Dialogue: ("dialogue", "Run 'alteram dialogues list' to see the dialogues and their ids."),
    Round: ("round", "Run 'alteram dialogues show DIALOGUE_ID' to list its rounds and their ids."),
    Side: ("side", "Run 'alteram dialogues show DIALOGUE_ID' to list its sides and their ids."),
    Participant: ("participant", "Check the participant id, or join again by your side's link."),
    Statement: ("statement", "Check the statement id; list a round's statements to find it."),
}


def get(session: Session, model: type[T], ident: int, *, lock: bool = False) -> T:
    """The row of ``model`` with primary key ``ident``, or :class:`NotFound`."""
    row = session.get(model, ident, with_for_update=lock or None)
    if row is None:
        what, hint = _WHAT.get(model, (model.__tablename__.rstrip("s"), "Check the id."))
        raise NotFound(f"{what} {ident} does not exist.", hint=hint)
    return row
