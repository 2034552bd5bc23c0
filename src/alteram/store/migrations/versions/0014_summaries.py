"""Round summaries in words: drafts to review and the frozen text published with a round.

Revision ID: 0014
Revises: 0008
Create Date: 2026-12-02 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0012"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "round_summaries",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("round_id", BigId, nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("sentences", sa.JSON(), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("requested_by", BigId, nullable=True),
        sa.Column("edits", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by", BigId, nullable=True),
        sa.CheckConstraint(
            "origin IN ('offline', 'model')", name=op.f("ck_round_summaries_origin_known")
        ),
        sa.CheckConstraint(
            "state IN ('pending', 'draft', 'failed', 'published', 'superseded')",
            name=op.f("ck_round_summaries_state_known"),
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name=op.f("fk_round_summaries_round_id_rounds"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"],
            ["accounts.id"],
            name=op.f("fk_round_summaries_requested_by_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["published_by"],
            ["accounts.id"],
            name=op.f("fk_round_summaries_published_by_accounts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_summaries")),
    )
    op.create_index(
        "ix_round_summaries_round", "round_summaries", ["round_id", "state"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_round_summaries_round", table_name="round_summaries")
    op.drop_table("round_summaries")
