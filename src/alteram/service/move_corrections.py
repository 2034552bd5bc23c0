"""The facilitation team corrects the move the classifier read in a statement (issue #14).

A correction is kept with who made it and when, and with the reading it replaced, so the
classifier's original reading is never lost. The corrected move becomes the statement's
move (``statements.move``) for analyses and exports; its ``move_confidence`` becomes NULL,
since no classifier confidence applies to a move the team set. Corrections are exported as
``moves-corrections.csv`` (:mod:`alteram.service.exports`), which
``training/moves/train.py --corrections FILE`` takes as extra labelled data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from alteram.errors import N_, InvalidInput
from alteram.moves.labels import MOVES
from alteram.service.access import Actor, access_to
from alteram.service.lookup import get
from alteram.store.database import Store
from alteram.store.schema import Account, MoveCorrection, Statement


@dataclass(frozen=True)
class Correction:
    """A statement's corrected move, the classifier's original reading, who and when."""

    statement_id: int
    move: str
    original_move: str | None
    original_confidence: float | None
    corrected_by: str  # the account's email, or "administrator"
    at: datetime
    count: int  # how many corrections the statement had


def correct_move(store: Store, *, statement_id: int, move: str, actor: Actor) -> Correction:
    """Set a statement's move as the team reads it, keeping the reading it replaces."""
    if move not in MOVES:
        raise InvalidInput(
            N_("%(move)s is not a move."),
            params={"move": move},
            hint=N_("Choose one of: explain, inquire, acknowledge, bridge, demand, pressure, "
                    "lecture, accuse, other."),
        )  # fmt: skip
    with store.write() as session:
        access_to(session, actor, "statement", statement_id, need="team")
        statement = get(session, Statement, statement_id, lock=True)
        session.add(
            MoveCorrection(
                statement_id=statement.id,
                move=move,
                previous_move=statement.move,
                previous_confidence=statement.move_confidence,
                account_id=actor.account_id,
            )
        )
        statement.move = move
        statement.move_confidence = None
        session.flush()
        return corrections_of(session, [statement.id])[statement.id]


def corrections_of(session: Session, statement_ids: Iterable[int]) -> dict[int, Correction]:
    """The correction of each corrected statement among ``statement_ids``."""
    ids = list(statement_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(MoveCorrection, Account.email)
        .outerjoin(Account, Account.id == MoveCorrection.account_id)
        .where(MoveCorrection.statement_id.in_(ids))
        .order_by(MoveCorrection.statement_id, MoveCorrection.id)
    ).all()
    first: dict[int, MoveCorrection] = {}
    out: dict[int, Correction] = {}
    for row, email in rows:
        start = first.setdefault(row.statement_id, row)
        previous = out.get(row.statement_id)
        out[row.statement_id] = Correction(
            row.statement_id,
            row.move,
            start.previous_move,
            start.previous_confidence,
            email or "administrator",
            row.at,
            (previous.count if previous else 0) + 1,
        )
    return out
