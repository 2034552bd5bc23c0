"""How many web worker processes ``alteram serve`` starts, and how many connections each opens.

Every worker process is stateless: sessions, rate limits, jobs and the live counters are in
the database, so any worker answers any request. SQLite serves from one process (its writers
take turns on a lock inside the process), so more than one worker is refused there with a
word. On PostgreSQL the workers share the server's ``max_connections``: each worker's pool
is lowered, if needed, so that all of them, the job workers and a margin for the
administrator fit.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from alteram.errors import ConfigurationError
from alteram.store.database import Store

JOB_WORKER_CONNECTIONS = 3  # a job worker holds one connection, a few at most
MARGIN = 5  # left for psql, migrations and monitoring
MIN_PER_WORKER = 4


@dataclass(frozen=True)
class WorkerPlan:
    """``workers`` web processes, each opening at most ``connections``; ``note`` says why."""

    workers: int
    connections: int
    note: str | None = None


def per_worker(
    *, max_connections: int, reserved: int, workers: int, job_workers: int, wanted: int
) -> int:
    """Connections each of ``workers`` may open: ``wanted`` or what the server leaves."""
    free = max_connections - reserved - MARGIN - job_workers * JOB_WORKER_CONNECTIONS
    share = free // workers
    if share < MIN_PER_WORKER:
        raise ConfigurationError(
            f"PostgreSQL allows {max_connections} connections ({reserved} reserved), too few "
            f"for {workers} web workers and {job_workers} job workers "
            f"(each web worker needs at least {MIN_PER_WORKER}).",
            hint="Start fewer workers (--workers), or raise max_connections in postgresql.conf.",
        )
    return min(wanted, share)


def _server_limits(store: Store) -> tuple[int, int]:
    with store.engine.connect() as connection:
        found = connection.execute(
            text(
                "SELECT name, setting FROM pg_settings WHERE name IN "
                "('max_connections', 'superuser_reserved_connections', "
                "'reserved_connections')"
            )
        ).all()
    values = {name: int(setting) for name, setting in found}
    reserved = values.get("superuser_reserved_connections", 3) + values.get(
        "reserved_connections", 0
    )
    return values["max_connections"], reserved


def plan(store: Store, *, workers: int, job_workers: int, wanted: int) -> WorkerPlan:
    """The web workers ``alteram serve --workers`` starts on ``store``."""
    if store.dialect == "sqlite":
        if workers == 1:
            return WorkerPlan(1, wanted)
        return WorkerPlan(
            1,
            wanted,
            f"SQLite serves from one process: starting 1 web worker, not {workers}. "
            "For several workers use PostgreSQL (ALTERAM_DATABASE_URL=postgresql+psycopg://...).",
        )
    if workers == 1:
        return WorkerPlan(1, wanted)
    max_connections, reserved = _server_limits(store)
    each = per_worker(
        max_connections=max_connections,
        reserved=reserved,
        workers=workers,
        job_workers=job_workers,
        wanted=wanted,
    )
    note = None
    if each < wanted:
        note = (
            f"{workers} web workers share PostgreSQL's {max_connections} connections: "
            f"each opens at most {each} (ALTERAM_DB_CONNECTIONS={wanted} asked for more)."
        )
    return WorkerPlan(workers, each, note)
