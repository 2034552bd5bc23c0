"""Delegates: the members who speak for their side where the side acts as one."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from alteram.store.schema import Participant


def delegates_of(session: Session, side_id: int) -> list[int]:
    """The side's delegates (not removed)."""
    return list(
        session.scalars(
            select(Participant.id).where(
                Participant.side_id == side_id,
                Participant.role == "delegate",
                Participant.removed_at.is_(None),
            )
        )
    )
