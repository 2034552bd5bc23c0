"""The vote path's statements, built once and run on the session's connection.

A vote runs the same few statements thousands of times a second. Built per call, each
one costs more CPU in SQLAlchemy (constructing the expression, its cache key, the ORM's
execution layer) than the database takes to run it; built once here with bound
parameters, their cache keys are memoised and their compiled form is reused, and
:func:`run` executes them on the session's connection, below the ORM.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import (
    Connection,
    CursorResult,
    Executable,
    String,
    bindparam,
    cast,
    func,
    insert,
    select,
)

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


def run(
    conn: Connection,
    statement: Executable,
    params: Mapping[str, Any] | Sequence[Mapping[str, Any]],
) -> CursorResult[Any]:
    """Execute one of this module's statements on ``conn``, the connection of the session
    whose transaction the vote is in (``session.connection()``)."""
    return conn.execute(statement, params)
