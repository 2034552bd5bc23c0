"""Per-participant limits on writes, counted in the database so any number of workers agree."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alteram.errors import N_, RateLimited
from alteram.store.schema import Statement, Vote, utcnow

WINDOW = timedelta(minutes=1)
VOTES_PER_MINUTE = 120
STATEMENTS_PER_MINUTE = 5


def check_votes(session: Session, participant_id: int, limit: int = VOTES_PER_MINUTE) -> None:
    """Refuse a vote when the participant already cast ``limit`` votes in the last minute."""
    since = utcnow() - WINDOW
    n = session.scalar(
        select(func.count(Vote.id)).where(
            Vote.participant_id == participant_id, Vote.created_at >= since
        )
    )
    if (n or 0) >= limit:
        raise RateLimited(
            N_("you have voted %(n)s times in the last minute, the most alteram accepts."),
            params={"n": n},
            hint=N_("Wait a minute, then go on."),
        )


def check_statements(
    session: Session, participant_id: int, limit: int = STATEMENTS_PER_MINUTE
) -> None:
    """Refuse a statement when the participant already wrote ``limit`` in the last minute."""
    since = utcnow() - WINDOW
    n = session.scalar(
        select(func.count(Statement.id)).where(
            Statement.author_id == participant_id, Statement.created_at >= since
        )
    )
    if (n or 0) >= limit:
        raise RateLimited(
            N_("you have written %(n)s statements in the last minute, the most alteram accepts."),
            params={"n": n},
            hint=N_("Take a moment to read the other side's statements, then write again."),
        )
