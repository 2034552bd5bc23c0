"""Background jobs, claimed by worker processes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from alteram.store.schema.base import Base, _in, utcnow
from alteram.store.schema.vocabulary import JOB_ACTIVE, JOB_STATES


class Job(Base):
    """Work done outside a request (an analysis, a translation), by a worker process.

    A job is queued, then running under a lease (``locked_by`` until ``locked_until``,
    extended while it runs), then done or failed; a failed attempt queues it again after a
    back-off until ``max_attempts``. At most one queued-or-running job per kind and
    ``dedupe_key``.
    """

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    dialogue_id: Mapped[int | None] = mapped_column(
        ForeignKey("dialogues.id", ondelete="CASCADE"), nullable=True
    )
    dedupe_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    state: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=5)
    run_after: Mapped[datetime] = mapped_column(default=utcnow)
    locked_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    locked_until: Mapped[datetime | None] = mapped_column(nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(nullable=True)

    __table_args__ = (
        CheckConstraint(_in("state", JOB_STATES), name="state_known"),
        CheckConstraint("length(kind) > 0", name="kind_not_empty"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        CheckConstraint("max_attempts >= 1", name="max_attempts_positive"),
        CheckConstraint(
            "state <> 'running' OR (locked_by IS NOT NULL AND locked_until IS NOT NULL)",
            name="running_has_lease",
        ),
        # At most one queued or running job per kind and key (finished ones do not count).
        Index(
            "uq_jobs_active_key",
            "kind",
            "dedupe_key",
            unique=True,
            sqlite_where=text(f"dedupe_key IS NOT NULL AND {JOB_ACTIVE}"),
            postgresql_where=text(f"dedupe_key IS NOT NULL AND {JOB_ACTIVE}"),
        ),
        Index("ix_jobs_due", "state", "run_after"),
        Index("ix_jobs_dialogue", "dialogue_id", "id"),
    )
