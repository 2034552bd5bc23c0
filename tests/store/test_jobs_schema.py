"""Migration 0004 builds the jobs table the model describes, rules included."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from alteram.store.database import Store
from alteram.store.schema import Base, utcnow
from alteram.store.schema import Job as JobRow


def test_the_migrated_jobs_table_matches_the_model(store: Store) -> None:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    about_jobs = [d for d in diff if "jobs" in repr(d)]
    assert about_jobs == []


def test_the_database_keeps_one_active_job_per_key_and_a_lease_when_running(store: Store) -> None:
    row = {
        "kind": "k",
        "payload": {},
        "state": "queued",
        "attempts": 0,
        "max_attempts": 5,
        "run_after": utcnow(),
        "created_at": utcnow(),
    }
    with store.write() as s:
        s.execute(insert(JobRow).values(**row, dedupe_key="x"))
        s.execute(insert(JobRow).values(**{**row, "state": "done"}, dedupe_key="x"))
    with pytest.raises(IntegrityError), store.write() as s:
        s.execute(insert(JobRow).values(**row, dedupe_key="x"))
    with pytest.raises(IntegrityError), store.write() as s:
        s.execute(insert(JobRow).values(**{**row, "state": "running"}))
    with pytest.raises(IntegrityError), store.write() as s:
        s.execute(insert(JobRow).values(**{**row, "state": "lost"}))
