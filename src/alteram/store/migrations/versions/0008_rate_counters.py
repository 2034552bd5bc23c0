"""Rate limits counted in the database: one row per limited key and its current window.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_counters",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("window_ends_ms", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("hits >= 0", name=op.f("ck_rate_counters_hits_not_negative")),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_counters")),
    )
    op.create_index(
        "ix_rate_counters_window_ends", "rate_counters", ["window_ends_ms"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_rate_counters_window_ends", table_name="rate_counters")
    op.drop_table("rate_counters")
