"""The vote path's statements, built once and run on the session's connection.

A vote runs the same few statements thousands of times a second. Built per call, each
one costs more CPU in SQLAlchemy (constructing the expression, its cache key, the ORM's
execution layer) than the database takes to run it; built once here with bound
parameters, their cache keys are memoised and their compiled form is reused, and
:func:`run` executes them on the session's connection, below the ORM.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import (
    BigInteger,
    Connection,
    CursorResult,
    Executable,
    Integer,
    String,
    bindparam,
    cast,
    func,
    insert,
    select,
    true,
)
from sqlalchemy.dialects import postgresql

from alteram.store.schema import (
    Dialogue,
    Participant,
    Prediction,
    Round,
    Side,
    Statement,
    Vote,
    WebSession,
)

SESSION = select(WebSession.revoked_at, WebSession.expires_at).where(
    WebSession.id == bindparam("web_session_id"),
    WebSession.participant_id == bindparam("participant_id"),
)


@cache
def facts(dialect_name: str) -> Executable:
    """(dialogue, side, role, removed, statement's dialogue, round, moderation, round state,
    round moderation, archived, session's end, session's expiry, the dialogue's side ids
    joined by commas) of a voter and a statement, with the voter's row locked; the session
    columns are NULL without a web_session_id. Built once per dialect (the side ids'
    aggregate is spelled differently)."""
    side_id = cast(Side.id, String)
    joined = (
        func.string_agg(side_id, ",")
        if dialect_name == "postgresql"
        else func.group_concat(side_id, ",")
    )
    statement: Executable = (
        select(
            Participant.dialogue_id,
            Participant.side_id,
            Participant.role,
            Participant.removed_at,
            Statement.dialogue_id,
            Statement.round_id,
            Statement.moderation,
            Round.state,
            Round.moderation,
            Dialogue.archived_at,
            SESSION.with_only_columns(WebSession.revoked_at).scalar_subquery(),
            SESSION.with_only_columns(WebSession.expires_at).scalar_subquery(),
            select(joined).where(Side.dialogue_id == Participant.dialogue_id).scalar_subquery(),
        )
        .select_from(Participant)
        .join(Statement, Statement.id == bindparam("statement_id"))
        .join(Round, Round.id == Statement.round_id)
        .join(Dialogue, Dialogue.id == Round.dialogue_id)
        .where(Participant.id == bindparam("participant_id"))
        .with_for_update(of=Participant)
    )
    return statement


# The voter's latest earlier vote on the statement (the one a new vote replaces).
EARLIER = (
    select(Vote.value, Vote.created_at)
    .where(
        Vote.participant_id == bindparam("participant_id"),
        Vote.statement_id == bindparam("statement_id"),
    )
    .order_by(Vote.created_at.desc(), Vote.id.desc())
    .limit(1)
)

NEW_VOTE = insert(Vote).returning(Vote.id)
NEW_PREDICTIONS = insert(Prediction)


def _written_in_one() -> Executable:
    """PostgreSQL: the earlier vote's read, the vote's insert and its predictions' insert
    as one statement (data-modifying CTEs), one round trip instead of three.

    Run after :func:`facts` locked the voter's row: under READ COMMITTED the statement's
    snapshot is taken after the lock, so it sees every earlier vote of this voter, as the
    separate read did. The predictions come as two arrays (side ids, shares; empty for
    none). Gives (new vote's id, earlier value, earlier time); the earlier columns are NULL
    for a first vote.
    """
    earlier = EARLIER.cte("earlier")
    new_vote = (
        insert(Vote)
        .values(
            statement_id=bindparam("statement_id"),
            participant_id=bindparam("participant_id"),
            value=bindparam("value"),
            created_at=bindparam("created_at", type_=Vote.__table__.c.created_at.type),
            shown_translation_id=bindparam("shown_translation_id"),
        )
        .returning(Vote.id)
        .cte("new_vote")
    )
    shares = (
        func.unnest(
            bindparam("sides", type_=postgresql.ARRAY(BigInteger)),
            bindparam("shares", type_=postgresql.ARRAY(Integer)),
        )
        .table_valued("side", "share")
        .render_derived(name="given")
    )
    new_predictions = (
        insert(Prediction)
        .from_select(
            ["vote_id", "target_side_id", "share"],
            select(new_vote.c.id, shares.c.side, shares.c.share).select_from(
                new_vote.join(shares, true())
            ),
        )
        .cte("new_predictions")
    )
    statement: Executable = (
        select(new_vote.c.id, earlier.c.value, earlier.c.created_at)
        .select_from(new_vote.outerjoin(earlier, true()))
        .add_cte(new_predictions)
    )
    return statement


WRITTEN_IN_ONE = _written_in_one()


class Written(NamedTuple):
    """What writing a vote tells its caller."""

    vote_id: int
    earlier_value: int | None  # None: the voter's first vote on the statement
    earlier_at: datetime | None


def write_vote(
    conn: Connection,
    *,
    participant_id: int,
    statement_id: int,
    value: int,
    created_at: datetime,
    shown_translation_id: int | None,
    predictions: Mapping[int, int] | None,
) -> Written:
    """Insert a vote and its predictions, reading the vote it replaces first: one round trip
    on PostgreSQL (:data:`WRITTEN_IN_ONE`), a statement each on SQLite (which has no
    data-modifying CTE)."""
    ids = {"participant_id": participant_id, "statement_id": statement_id}
    vote = {**ids, "value": value, "created_at": created_at}
    vote["shown_translation_id"] = shown_translation_id
    if conn.dialect.name == "postgresql":
        sides = list(predictions or {})
        shares = [(predictions or {})[s] for s in sides]
        row = run(conn, WRITTEN_IN_ONE, {**vote, "sides": sides, "shares": shares}).one()
        new_id, earlier_value, earlier_at = tuple(row)
        return Written(int(new_id), earlier_value, earlier_at)
    earlier = run(conn, EARLIER, ids).first()
    vote_id = int(run(conn, NEW_VOTE, vote).scalar_one())
    if predictions:
        rows = [
            {"vote_id": vote_id, "target_side_id": side, "share": share}
            for side, share in predictions.items()
        ]
        run(conn, NEW_PREDICTIONS, rows)
    return Written(vote_id, *(earlier or (None, None)))


def run(
    conn: Connection,
    statement: Executable,
    params: Mapping[str, Any] | Sequence[Mapping[str, Any]],
) -> CursorResult[Any]:
    """Execute one of this module's statements on ``conn``, the connection of the session
    whose transaction the vote is in (``session.connection()``)."""
    return conn.execute(statement, params)
