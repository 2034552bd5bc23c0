"""Fetching rows by id with errors that tell a person what to do."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from alteram.errors import N_, NotFound
from alteram.store.schema import Base, Dialogue, Participant, Round, Side, Statement

T = TypeVar("T", bound=Base)

MAX_ID = 2**63 - 1
"""The largest id either store can hold (a signed 64-bit integer); larger ids name nothing."""

_WHAT: dict[type[Base], tuple[str, str]] = {
    Dialogue: (
        N_("dialogue"),
        N_("Run 'alteram dialogues list' to see the dialogues and their ids."),
    ),
    Round: (
        N_("round"),
        N_("Run 'alteram dialogues show DIALOGUE_ID' to list its rounds and their ids."),
    ),
    Side: (
        N_("side"),
        N_("Run 'alteram dialogues show DIALOGUE_ID' to list its sides and their ids."),
    ),
    Participant: (
        N_("participant"),
        N_("Check the participant id, or join again by your side's link."),
    ),
    Statement: (
        N_("statement"),
        N_("Check the statement id; list a round's statements to find it."),
    ),
}

# The entity names the catalog translates; any other (a table's name) is shown as it is.
_NAMED = frozenset(
    [
        *(what for what, _ in _WHAT.values()),
        N_("concept"),
        N_("definition"),
        N_("restatement"),
        N_("concern"),
    ]
)


def get(session: Session, model: type[T], ident: int, *, lock: bool = False) -> T:
    """The row of ``model`` with primary key ``ident``, or :class:`NotFound`.

    An id outside the stores' range (below 1, above :data:`MAX_ID`) names nothing: it is
    not found, without asking the database (which would overflow).
    """
    in_range = isinstance(ident, int) and 1 <= ident <= MAX_ID
    row = session.get(model, ident, with_for_update=lock or None) if in_range else None
    if row is None:
        what, hint = _WHAT.get(model, (model.__tablename__.rstrip("s"), N_("Check the id.")))
        named = what in _NAMED
        raise NotFound(
            N_("%(what)s %(id)s does not exist."),
            params={"id": ident} if named else {"id": ident, "what": what},
            terms={"what": what} if named else None,
            hint=hint,
        )
    return row
