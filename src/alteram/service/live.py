"""A cheap change counter per round, for pages that update by themselves.

Writers call :func:`bump` in their own transaction (one upsert on one of ``SHARDS`` rows of
the round, chosen by who writes, so concurrent voters rarely wait on one another); a page's
event stream polls :func:`version`, the sum of a round's shards (at most ``SHARDS`` rows by
primary key). The counter lives in the database, so a change made by any server process
reaches the streams of every other.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from sqlalchemy import BigInteger, bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from alteram.errors import N_, Forbidden
from alteram.service.access import Actor, access_to
from alteram.service.lookup import get
from alteram.store.database import Store
from alteram.store.schema import LiveVersion, Round

SHARDS = 16


@cache
def _upsert(dialect_name: str) -> Executable:
    table = LiveVersion.__table__
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    statement: Executable = (
        dialect.insert(table)
        .values(
            round_id=bindparam("round_id", type_=BigInteger), shard=bindparam("shard"), version=1
        )
        .on_conflict_do_update(
            index_elements=[table.c.round_id, table.c.shard],
            set_={"version": table.c.version + 1},
        )
    )
    return statement


def bump(session: Session, round_id: int, writer: int = 0) -> None:
    """Count one change of a round (in the caller's transaction); ``writer`` picks the shard."""
    bump_many(session, [(round_id, writer)])


def bump_many(session: Session, changes: Iterable[tuple[int, int]]) -> None:
    """:func:`bump` for several (round, writer) pairs in one round trip, shards in order."""
    shards = sorted({(round_id, writer % SHARDS) for round_id, writer in changes})
    if shards:
        session.execute(
            _upsert(session.get_bind().dialect.name),
            [{"round_id": round_id, "shard": shard} for round_id, shard in shards],
        )


def version(store: Store, *, actor: Actor, round_id: int) -> int:
    """The round's change counter, for the team always and for others once it is published."""
    with store.read() as session:
        access = access_to(session, actor, "round", round_id, need="read")
        rnd = get(session, Round, round_id)
        if not access.sees_results(rnd):
            raise Forbidden(
                N_("the results of round %(number)s are not published yet."),
                params={"number": rnd.number},
                hint=N_("They appear here once the facilitator publishes them."),
            )
        total = session.scalar(
            select(func.coalesce(func.sum(LiveVersion.version), 0)).where(
                LiveVersion.round_id == round_id
            )
        )
        return int(total or 0)
