"""Background jobs kept in the database: analyses (and later translations, summaries).

Revision ID: 0004
Revises: 0005
Create Date: 2026-12-03 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0005"
branch_labels = None
depends_on = None

ACTIVE = "dedupe_key IS NOT NULL AND state IN ('queued', 'running')"


def upgrade() -> None:
    big = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    when = sa.DateTime(timezone=True)
    op.create_table(
        "jobs",
        sa.Column("id", big, nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("dialogue_id", big, nullable=True),
        sa.Column("dedupe_key", sa.String(length=200), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("run_after", when, nullable=False),
        sa.Column("locked_by", sa.String(length=200), nullable=True),
        sa.Column("locked_until", when, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", when, nullable=False),
        sa.Column("started_at", when, nullable=True),
        sa.Column("finished_at", when, nullable=True),
        sa.CheckConstraint(
            "state IN ('queued', 'running', 'done', 'failed')", name=op.f("ck_jobs_state_known")
        ),
        sa.CheckConstraint("length(kind) > 0", name=op.f("ck_jobs_kind_not_empty")),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_jobs_attempts_not_negative")),
        sa.CheckConstraint("max_attempts >= 1", name=op.f("ck_jobs_max_attempts_positive")),
        sa.CheckConstraint(
            "state <> 'running' OR (locked_by IS NOT NULL AND locked_until IS NOT NULL)",
            name=op.f("ck_jobs_running_has_lease"),
        ),
        sa.ForeignKeyConstraint(
            ["dialogue_id"],
            ["dialogues.id"],
            name=op.f("fk_jobs_dialogue_id_dialogues"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    op.create_index(
        "uq_jobs_active_key",
        "jobs",
        ["kind", "dedupe_key"],
        unique=True,
        sqlite_where=sa.text(ACTIVE),
        postgresql_where=sa.text(ACTIVE),
    )
    op.create_index("ix_jobs_due", "jobs", ["state", "run_after"])
    op.create_index("ix_jobs_dialogue", "jobs", ["dialogue_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_jobs_dialogue", table_name="jobs")
    op.drop_index("ix_jobs_due", table_name="jobs")
    op.drop_index("uq_jobs_active_key", table_name="jobs")
    op.drop_table("jobs")
