"""Reading a round's votes in ranges of vote ids, so that no process holds them all.

Used by the Parquet export (one range after the other) and by the Dask engine (each range
read by a worker, which opens its own connection to the same database).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alteram.store.database import Store
from alteram.store.schema import Participant, Statement, Vote

COLUMNS = ["time", "participant", "statement", "vote"]


@dataclass(frozen=True)
class VoteRange:
    """Vote ids ``lo <= id < hi`` of one round."""

    round_id: int
    lo: int
    hi: int


def vote_ranges(
    session: Session, round_id: int, *, batch_votes: int
) -> tuple[list[VoteRange], int]:
    """Ranges of about ``batch_votes`` of the round's votes each, and the number of votes.

    The round's vote ids interleave with other rounds'; the ranges are cut so that each
    holds about ``batch_votes`` of this round's votes if they are spread evenly.
    """
    lo, hi, count = session.execute(
        select(func.min(Vote.id), func.max(Vote.id), func.count(Vote.id))
        .join(Statement, Statement.id == Vote.statement_id)
        .where(Statement.round_id == round_id)
    ).one()
    if not count:
        return [], 0
    span = int(hi) - int(lo) + 1
    width = max(1, (span * max(batch_votes, 1)) // int(count))
    ranges = [
        VoteRange(round_id, start, min(start + width, int(hi) + 1))
        for start in range(int(lo), int(hi) + 1, width)
    ]
    return ranges, int(count)


def read_range(session: Session, part: VoteRange) -> pd.DataFrame:
    """The votes of one range in id order: time (the vote id), participant, statement, vote."""
    rows = session.execute(
        select(Vote.id, Vote.participant_id, Vote.statement_id, Vote.value)
        .join(Statement, Statement.id == Vote.statement_id)
        .where(Statement.round_id == part.round_id, Vote.id >= part.lo, Vote.id < part.hi)
        .order_by(Vote.id)
    ).all()
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.astype(
        {"time": "int64", "participant": "int64", "statement": "int64", "vote": "int8"}
    )


@lru_cache(maxsize=4)
def _store(url: str) -> Store:
    return Store(url, create_dir=False)


def read_range_at(url: str, part: VoteRange) -> pd.DataFrame:
    """:func:`read_range` in a worker process: one store (connection pool) per URL."""
    with _store(url).read() as session:
        return read_range(session, part)


def voter_sides(session: Session, round_id: int) -> pd.DataFrame:
    """participant, side of everyone who voted in the round (side null for facilitators)."""
    voters = (
        select(Vote.participant_id)
        .join(Statement, Statement.id == Vote.statement_id)
        .where(Statement.round_id == round_id)
        .distinct()
    )
    rows = session.execute(
        select(Participant.id, Participant.side_id)
        .where(Participant.id.in_(voters))
        .order_by(Participant.id)
    ).all()
    return pd.DataFrame(rows, columns=["participant", "side"])
