"""Per-side counts of the latest votes on each statement, kept as votes come in.

:func:`count_votes` runs in the transaction of the votes (one upsert per statement and
side; a replaced vote moves from its old value's count to the new one), so choosing what a
participant sees next reads one round's counts and never aggregates the votes table.
:func:`recount` rebuilds the counts of some statements from their votes, for bulk imports
and removals.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from sqlalchemy import Integer, bindparam, case, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable, Select

from alteram.store.schema import Participant, Statement, StatementSideCount, Vote

_COLUMN = {1: "agree", -1: "disagree", 0: "passes"}


@cache
def _upsert(dialect_name: str) -> Executable:
    table = StatementSideCount.__table__
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    deltas = {name: bindparam(name, type_=Integer) for name in _COLUMN.values()}
    # A new row holds only the new vote (its checks see the row before any conflict).
    first = {name: bindparam("new_" + name, type_=Integer) for name in _COLUMN.values()}
    statement: Executable = (
        dialect.insert(table)
        .values(statement_id=bindparam("statement_id"), side_id=bindparam("side_id"), **first)
        .on_conflict_do_update(
            index_elements=[table.c.statement_id, table.c.side_id],
            set_={name: table.c[name] + deltas[name] for name in _COLUMN.values()},
        )
    )
    return statement


def count_votes(
    session: Session, changes: Iterable[tuple[int, int | None, int | None, int]]
) -> None:
    """Count voters' latest votes: each (statement, side, old, new) change counts ``new`` in
    place of ``old`` (None for a first vote). Summed per statement and side, and written in
    one round trip in (statement, side) order."""
    deltas: dict[tuple[int, int], dict[str, int]] = {}
    for statement_id, side_id, old, new in changes:
        if side_id is None or old == new:
            continue
        delta = deltas.setdefault((statement_id, side_id), dict.fromkeys(_COLUMN.values(), 0))
        delta[_COLUMN[new]] += 1
        if old is not None:
            delta[_COLUMN[old]] -= 1
    rows = [
        {
            "statement_id": statement_id,
            "side_id": side_id,
            **delta,
            # A new row: no vote of its statement and side was counted before, so it holds
            # what this batch adds (never below zero).
            **{"new_" + name: max(0, n) for name, n in delta.items()},
        }
        for (statement_id, side_id), delta in sorted(deltas.items())
        if any(delta.values())
    ]
    if rows:
        session.execute(_upsert(session.get_bind().dialect.name), rows)


def _latest(statements: Select[int]) -> Select[tuple[int, int | None, int]]:
    rank = (
        func.row_number()
        .over(
            partition_by=(Vote.participant_id, Vote.statement_id),
            order_by=(Vote.created_at.desc(), Vote.id.desc()),
        )
        .label("rank")
    )
    ranked = (
        select(Vote.statement_id, Participant.side_id, Vote.value, rank)
        .join(Participant, Participant.id == Vote.participant_id)
        .where(
            Participant.side_id.is_not(None),
            Participant.removed_at.is_(None),
            Vote.statement_id.in_(statements),
        )
        .subquery()
    )
    return select(ranked.c.statement_id, ranked.c.side_id, ranked.c.value).where(ranked.c.rank == 1)


def recount(session: Session, *, round_ids: list[int]) -> None:
    """Rebuild the counts of the statements of some rounds from their latest votes."""
    if not round_ids:
        return
    statements = select(Statement.id).where(Statement.round_id.in_(round_ids))
    session.execute(
        delete(StatementSideCount).where(StatementSideCount.statement_id.in_(statements))
    )
    latest = _latest(statements).subquery()
    rows = session.execute(
        select(
            latest.c.statement_id,
            latest.c.side_id,
            *(
                func.sum(case((latest.c.value == value, 1), else_=0)).label(name)
                for value, name in _COLUMN.items()
            ),
        ).group_by(latest.c.statement_id, latest.c.side_id)
    ).all()
    session.add_all(
        StatementSideCount(
            statement_id=r.statement_id,
            side_id=r.side_id,
            agree=int(r.agree),
            disagree=int(r.disagree),
            passes=int(r.passes),
        )
        for r in rows
    )
    session.flush()
