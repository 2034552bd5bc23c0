"""Results people trust: a dialogue's most opinion groups, and frozen report versions.

``dialogues.max_groups`` (default 5, as before) is how many opinion groups an analysis may
find; ``report_versions`` holds each published version of a round's report as it was shown.

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-02 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0008"
branch_labels = None
depends_on = None

BIG = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("dialogues") as batch:
        batch.add_column(sa.Column("max_groups", sa.Integer(), nullable=False, server_default="5"))
        batch.create_check_constraint(
            op.f("ck_dialogues_max_groups_in_range"), "max_groups >= 1 AND max_groups <= 12"
        )
    op.create_table(
        "report_versions",
        sa.Column("id", BIG, nullable=False),
        sa.Column("round_id", BIG, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("published_by_account_id", BIG, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("version >= 1", name=op.f("ck_report_versions_version_positive")),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name=op.f("fk_report_versions_round_id_rounds"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["published_by_account_id"],
            ["accounts.id"],
            name=op.f("fk_report_versions_published_by_account_id_accounts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_versions")),
        sa.UniqueConstraint("round_id", "version", name="uq_report_versions_round_version"),
    )


def downgrade() -> None:
    op.drop_table("report_versions")
    with op.batch_alter_table("dialogues") as batch:
        batch.drop_constraint(op.f("ck_dialogues_max_groups_in_range"), type_="check")
        batch.drop_column("max_groups")
