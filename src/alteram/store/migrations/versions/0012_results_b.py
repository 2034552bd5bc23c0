"""Per-side vote counts for routing, when feedback is shown, who saw it, live versions.

``statement_side_counts`` keeps the latest votes on each statement by side (backfilled
here from the votes); ``rounds.feedback_at`` says when participants see their own feedback
(default: at publication); ``feedback_views`` records when each first saw it;
``live_versions`` counts each round's changes (in shards) for pages that update by themselves.

Revision ID: 0012
Revises: 0008
Create Date: 2026-12-02 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

BIG = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

BACKFILL = """
INSERT INTO statement_side_counts (statement_id, side_id, agree, disagree, passes)
SELECT latest.statement_id, latest.side_id,
       SUM(CASE WHEN latest.value = 1 THEN 1 ELSE 0 END),
       SUM(CASE WHEN latest.value = -1 THEN 1 ELSE 0 END),
       SUM(CASE WHEN latest.value = 0 THEN 1 ELSE 0 END)
FROM (
    SELECT v.statement_id, p.side_id, v.value,
           ROW_NUMBER() OVER (
               PARTITION BY v.participant_id, v.statement_id
               ORDER BY v.created_at DESC, v.id DESC
           ) AS rank
    FROM votes v JOIN participants p ON p.id = v.participant_id
    WHERE p.side_id IS NOT NULL AND p.removed_at IS NULL
) latest
WHERE latest.rank = 1
GROUP BY latest.statement_id, latest.side_id
"""


def upgrade() -> None:
    op.create_table(
        "statement_side_counts",
        sa.Column("statement_id", BIG, nullable=False),
        sa.Column("side_id", BIG, nullable=False),
        sa.Column("agree", sa.Integer(), nullable=False),
        sa.Column("disagree", sa.Integer(), nullable=False),
        sa.Column("passes", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "agree >= 0 AND disagree >= 0 AND passes >= 0",
            name=op.f("ck_statement_side_counts_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name=op.f("fk_statement_side_counts_statement_id_statements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["side_id"],
            ["sides.id"],
            name=op.f("fk_statement_side_counts_side_id_sides"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("statement_id", "side_id", name=op.f("pk_statement_side_counts")),
    )
    op.execute(BACKFILL)
    with op.batch_alter_table("rounds") as batch:
        batch.add_column(
            sa.Column(
                "feedback_at", sa.String(length=12), nullable=False, server_default="published"
            )
        )
        batch.create_check_constraint(
            "feedback_at_known", "feedback_at IN ('all_voted', 'closed', 'published')"
        )
    op.create_table(
        "feedback_views",
        sa.Column("participant_id", BIG, nullable=False),
        sa.Column("round_id", BIG, nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_feedback_views_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name=op.f("fk_feedback_views_round_id_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("participant_id", "round_id", name=op.f("pk_feedback_views")),
    )
    op.create_table(
        "live_versions",
        sa.Column("round_id", BIG, nullable=False),
        sa.Column("shard", sa.SmallInteger(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name=op.f("fk_live_versions_round_id_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("round_id", "shard", name=op.f("pk_live_versions")),
    )


def downgrade() -> None:
    op.drop_table("live_versions")
    op.drop_table("feedback_views")
    with op.batch_alter_table("rounds") as batch:
        batch.drop_constraint("feedback_at_known", type_="check")
        batch.drop_column("feedback_at")
    op.drop_table("statement_side_counts")
