"""Facilitator accounts, web sessions, and automatic analysis every N votes per round.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 16:08:25.224908
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("email LIKE '%_@_%'", name=op.f("ck_accounts_email_shape")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("email", name=op.f("uq_accounts_email")),
    )
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(participant_id IS NULL) <> (account_id IS NULL)",
            name=op.f("ck_web_sessions_participant_or_account"),
        ),
        sa.CheckConstraint(
            "length(token_hash) = 64", name=op.f("ck_web_sessions_token_hash_is_sha256")
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_web_sessions_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_web_sessions_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_web_sessions_token_hash")),
    )
    # Plain ADD COLUMN (no table copy on SQLite); the same SQL on both databases.
    op.execute(
        "ALTER TABLE rounds ADD COLUMN analysis_every INTEGER DEFAULT 100 NOT NULL "
        "CONSTRAINT ck_rounds_analysis_every_positive CHECK (analysis_every >= 1)"
    )


def downgrade() -> None:
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_rounds_analysis_every_positive"), type_="check")
        batch_op.drop_column("analysis_every")

    op.drop_table("web_sessions")
    op.drop_table("accounts")
