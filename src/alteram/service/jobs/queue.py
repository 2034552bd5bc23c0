"""The queue itself: enqueue in the caller's transaction, claim under a lease, settle.

Claiming is atomic on both stores: PostgreSQL locks the chosen row with ``SELECT ... FOR
UPDATE SKIP LOCKED`` (two workers never take the same job, and neither waits for the
other); SQLite runs the claim in a ``BEGIN IMMEDIATE`` write transaction (the store's
:meth:`~alteram.store.database.Store.write`), so claims are one at a time. A claimed job
holds a lease (``locked_by`` until ``locked_until``); a job whose lease ran out, because its
worker died, is claimable again. Times are the workers' clocks, in UTC.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, insert, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from alteram.errors import Forbidden, InvalidInput, NotFound
from alteram.service.jobs.registry import KIND_MAX, load_kinds
from alteram.service.lookup import get
from alteram.store.database import Store
from alteram.store.schema import JOB_ACTIVE, Dialogue, utcnow
from alteram.store.schema import Job as JobRow

LEASE_SECONDS = 60.0
RETRY_BASE_SECONDS = 5.0
RETRY_CAP_SECONDS = 3600.0
KEY_MAX = 200
ERROR_MAX = 500
PERMANENT: tuple[type[BaseException], ...] = (InvalidInput, NotFound, Forbidden)
"""Errors a retry cannot cure: a job whose handler raises one fails at once."""


@dataclass(frozen=True)
class Job:
    """A job as stored (a snapshot: the row may have moved on since)."""

    id: int
    kind: str
    payload: dict[str, Any]
    dialogue_id: int | None
    key: str | None
    state: str
    attempts: int
    max_attempts: int
    run_after: datetime
    locked_by: str | None
    locked_until: datetime | None
    last_error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


def _view(row: JobRow) -> Job:
    return Job(
        id=row.id,
        kind=row.kind,
        payload=dict(row.payload or {}),
        dialogue_id=row.dialogue_id,
        key=row.dedupe_key,
        state=row.state,
        attempts=row.attempts,
        max_attempts=row.max_attempts,
        run_after=row.run_after,
        locked_by=row.locked_by,
        locked_until=row.locked_until,
        last_error=row.last_error,
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
    )


def enqueue(
    session: Session,
    *,
    kind: str,
    payload: dict[str, Any],
    dialogue_id: int | None = None,
    key: str | None = None,
    run_after: datetime | None = None,
    max_attempts: int = 5,
) -> int | None:
    """Add a job in the caller's write transaction; its id, or None when deduplicated.

    Call it inside ``store.write()``: the job commits (or rolls back) with the rest of the
    transaction. With a ``key``, at most one job of ``kind`` and ``key`` is queued or
    running at a time: while one is, this adds nothing and returns None.
    """
    if kind not in load_kinds():
        raise InvalidInput(f"no job kind {kind!r} is registered; known: {sorted(load_kinds())}.")
    if not isinstance(payload, dict):
        raise InvalidInput(f"a job's payload is a JSON object, got {type(payload).__name__}.")
    try:
        json.dumps(payload, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"the payload of a {kind!r} job is not plain JSON: {exc}.") from None
    if key is not None and not 0 < len(key) <= KEY_MAX:
        raise InvalidInput(f"a job's dedupe key is 1-{KEY_MAX} characters, got {len(key)}.")
    if max_attempts < 1:
        raise InvalidInput(f"max_attempts is at least 1, got {max_attempts}.")
    now = utcnow()
    values: dict[str, Any] = {
        "kind": kind,
        "payload": payload,
        "dialogue_id": dialogue_id,
        "dedupe_key": key,
        "state": "queued",
        "attempts": 0,
        "max_attempts": max_attempts,
        "run_after": run_after or now,
        "created_at": now,
    }
    if key is None:
        return session.scalar(insert(JobRow).values(**values).returning(JobRow.id))
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(JobRow)
        .values(**values)
        .on_conflict_do_nothing(
            index_elements=["kind", "dedupe_key"],
            index_where=text(f"dedupe_key IS NOT NULL AND {JOB_ACTIVE}"),
        )
        .returning(JobRow.id)
    )
    new_id: int | None = session.scalar(statement)
    return new_id


def pending(session: Session, *, kind: str, key: str) -> bool:
    """True while a job of ``kind`` and ``key`` is queued or running."""
    found = session.scalar(
        select(JobRow.id)
        .where(
            JobRow.kind == kind,
            JobRow.dedupe_key == key,
            JobRow.state.in_(("queued", "running")),
        )
        .limit(1)
    )
    return found is not None


def _due(now: datetime, kinds: Iterable[str] | None) -> ColumnElement[bool]:
    due = or_(
        and_(JobRow.state == "queued", JobRow.run_after <= now),
        and_(JobRow.state == "running", JobRow.locked_until < now),
    )
    return due if kinds is None else and_(due, JobRow.kind.in_(list(kinds)))


def _locked(statement: Select[Any], session: Session, *, skip: bool = False) -> Select[Any]:
    """Lock the selected rows on PostgreSQL (``skip``: pass over rows others hold)."""
    if session.get_bind().dialect.name == "postgresql":
        return statement.with_for_update(skip_locked=skip)
    return statement  # SQLite: every write transaction runs under BEGIN IMMEDIATE


def claim(
    store: Store,
    *,
    worker_id: str,
    kinds: Iterable[str] | None = None,
    lease: float = LEASE_SECONDS,
) -> Job | None:
    """Take the oldest due job (of ``kinds``, or any) and hold it for ``lease`` seconds.

    Due means queued with ``run_after`` passed, or running with its lease run out (its
    worker died: the job starts again, and its last error says so). A job abandoned that way
    after its last attempt is marked failed instead. None when nothing is due.
    """
    wanted = None if kinds is None else sorted(set(kinds))
    if wanted == []:
        return None
    with store.read() as session:  # the common case, nothing due, takes no write lock
        if session.scalar(select(JobRow.id).where(_due(utcnow(), wanted)).limit(1)) is None:
            return None
    with store.write() as session:
        for _ in range(100):
            now = utcnow()
            row = session.scalar(
                _locked(
                    select(JobRow)
                    .where(_due(now, wanted))
                    .order_by(JobRow.run_after, JobRow.id)
                    .limit(1),
                    session,
                    skip=True,
                )
            )
            if row is None:
                return None
            if row.state == "running":
                row.last_error = (
                    f"WorkerLost: worker {row.locked_by} stopped before finishing "
                    f"(its lease ran out at {row.locked_until:%Y-%m-%d %H:%M:%S} UTC)."
                )
                if row.attempts >= row.max_attempts:
                    row.state, row.finished_at, row.locked_until = "failed", now, None
                    session.flush()
                    continue
            row.state = "running"
            row.attempts += 1
            row.locked_by = worker_id
            row.locked_until = now + timedelta(seconds=lease)
            row.started_at = now
            row.finished_at = None
            session.flush()
            return _view(row)
    return None


def _mine(job_id: int, worker_id: str) -> ColumnElement[bool]:
    return and_(JobRow.id == job_id, JobRow.locked_by == worker_id, JobRow.state == "running")


def extend_lease(store: Store, *, job_id: int, worker_id: str, lease: float) -> bool:
    """Hold a running job ``lease`` more seconds; False when the worker no longer holds it."""
    with store.write() as session:
        result = session.execute(
            update(JobRow)
            .where(_mine(job_id, worker_id))
            .values(locked_until=utcnow() + timedelta(seconds=lease))
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


def complete(store: Store, *, job_id: int, worker_id: str) -> bool:
    """Mark a job done; False when ``worker_id`` had lost its lease (the holder settles it)."""
    with store.write() as session:
        result = session.execute(
            update(JobRow)
            .where(_mine(job_id, worker_id))
            .values(state="done", finished_at=utcnow(), locked_until=None)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


def error_line(error: BaseException) -> str:
    """One line that names the exception and its message (at most 500 characters)."""
    message = " ".join(str(error).split())
    line = f"{type(error).__name__}: {message}" if message else type(error).__name__
    return line if len(line) <= ERROR_MAX else line[: ERROR_MAX - 1] + "…"


def backoff(
    attempt: int,
    *,
    base: float = RETRY_BASE_SECONDS,
    cap: float = RETRY_CAP_SECONDS,
    rng: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait before retrying after failed attempt number ``attempt`` (1, 2, ...).

    Exponential with jitter: uniform in ``[d/2, d]`` with ``d = min(cap, base * 2**(attempt-1))``,
    so workers that failed together do not all retry at the same moment.

    Examples
    --------
    >>> backoff(1, base=2.0, rng=lambda: 0.0), backoff(3, base=2.0, rng=lambda: 1.0)
    (1.0, 8.0)
    >>> backoff(30, base=2.0, cap=60.0, rng=lambda: 1.0)
    60.0
    """
    delay = min(cap, base * 2.0 ** max(attempt - 1, 0))
    return delay / 2 + rng() * delay / 2


def fail(
    store: Store,
    *,
    job_id: int,
    worker_id: str,
    error: BaseException,
    retry_base: float = RETRY_BASE_SECONDS,
) -> str | None:
    """Record a failed attempt: queued again after :func:`backoff`, or failed for good.

    A job fails for good after its ``max_attempts``-th attempt, or at once when ``error`` is
    one a retry cannot cure (:data:`PERMANENT`). Returns the new state, or None when
    ``worker_id`` had lost its lease.
    """
    with store.write() as session:
        row = session.scalar(_locked(select(JobRow).where(_mine(job_id, worker_id)), session))
        if row is None:
            return None
        now = utcnow()
        row.last_error = error_line(error)
        row.locked_until = None
        if isinstance(error, PERMANENT) or row.attempts >= row.max_attempts:
            row.state, row.finished_at = "failed", now
        else:
            row.state, row.locked_by = "queued", None
            row.run_after = now + timedelta(seconds=backoff(row.attempts, base=retry_base))
        state: str = row.state
        return state


def release(store: Store, *, job_id: int, worker_id: str) -> bool:
    """Give a running job back, not counting the attempt (its worker is stopping)."""
    with store.write() as session:
        row = session.scalar(_locked(select(JobRow).where(_mine(job_id, worker_id)), session))
        if row is None:
            return False
        row.state, row.locked_by, row.locked_until = "queued", None, None
        row.attempts = max(row.attempts - 1, 0)
        row.run_after = utcnow()
        return True


def get_job(store: Store, *, job_id: int) -> Job:
    """One job by id."""
    with store.read() as session:
        return _view(get(session, JobRow, job_id))


def list_jobs(store: Store, *, dialogue_id: int, limit: int = 50) -> list[Job]:
    """A dialogue's jobs, newest first (for its facilitators)."""
    if not 1 <= limit <= 1000:
        raise InvalidInput(f"limit is 1-1000 jobs, got {limit}.")
    with store.read() as session:
        get(session, Dialogue, dialogue_id)
        rows = session.scalars(
            select(JobRow)
            .where(JobRow.dialogue_id == dialogue_id)
            .order_by(JobRow.id.desc())
            .limit(limit)
        ).all()
        return [_view(r) for r in rows]


__all__ = [
    "KIND_MAX",
    "LEASE_SECONDS",
    "PERMANENT",
    "RETRY_BASE_SECONDS",
    "Job",
    "backoff",
    "claim",
    "complete",
    "enqueue",
    "error_line",
    "extend_lease",
    "fail",
    "get_job",
    "list_jobs",
    "pending",
    "release",
]
