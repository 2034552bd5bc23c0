"""Move corrections: the facilitation team corrects a statement's move (issue #14).

Revision ID: 0015
Revises: 0008
Create Date: 2026-12-02 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

BIG = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
MOVES = (
    "explain", "inquire", "acknowledge", "bridge",
    "demand", "pressure", "lecture", "accuse", "other",
)  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "move_corrections",
        sa.Column("id", BIG, nullable=False),
        sa.Column("statement_id", BIG, nullable=False),
        sa.Column("move", sa.String(length=16), nullable=False),
        sa.Column("previous_move", sa.String(length=16), nullable=True),
        sa.Column("previous_confidence", sa.Float(), nullable=True),
        sa.Column("account_id", BIG, nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "move IN (" + ", ".join(f"'{m}'" for m in MOVES) + ")",
            name=op.f("ck_move_corrections_move_known"),
        ),
        sa.CheckConstraint(
            "previous_confidence IS NULL OR "
            "(previous_confidence >= 0 AND previous_confidence <= 1)",
            name=op.f("ck_move_corrections_previous_confidence_range"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_move_corrections_account_id_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name=op.f("fk_move_corrections_statement_id_statements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_move_corrections")),
    )
    op.create_index(op.f("ix_move_corrections_statement_id"), "move_corrections", ["statement_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_move_corrections_statement_id"), table_name="move_corrections")
    op.drop_table("move_corrections")
