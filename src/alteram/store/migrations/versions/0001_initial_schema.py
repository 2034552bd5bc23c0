"""Initial schema: every concept of DESIGN.md §2, and append-only votes.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-29 15:54:07.808038
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


APPEND_ONLY = ("votes", "predictions")
MESSAGE = "are append-only: record a new vote instead of changing or deleting one"


def _create_append_only_triggers() -> None:
    """Refuse UPDATE and DELETE on votes and predictions, in the database itself."""
    if op.get_bind().dialect.name == "sqlite":
        for table in APPEND_ONLY:
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_append_only_{action.lower()} BEFORE {action} "
                    f"ON {table} BEGIN SELECT RAISE(ABORT, '{table} {MESSAGE}'); END"
                )
        return
    op.execute(
        "CREATE FUNCTION alteram_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '% {MESSAGE}', TG_TABLE_NAME; END $$"
    )
    for table in APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION alteram_append_only()"
        )


def _drop_append_only_triggers() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in APPEND_ONLY:
            for action in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only_{action}")
        return
    for table in APPEND_ONLY:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    op.execute("DROP FUNCTION IF EXISTS alteram_append_only()")


def upgrade() -> None:
    op.create_table(
        "dialogues",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("charter", sa.Text(), nullable=False),
        sa.Column("simulated", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(title) > 0", name=op.f("ck_dialogues_title_not_empty")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dialogues")),
    )
    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dialogue_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("moderation", sa.String(length=4), nullable=False),
        sa.Column("starts_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ends_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "moderation IN ('pre', 'post')", name=op.f("ck_rounds_moderation_known")
        ),
        sa.CheckConstraint(
            "state IN ('planned', 'open', 'closed', 'suspended')",
            name=op.f("ck_rounds_state_known"),
        ),
        sa.CheckConstraint("number >= 1", name=op.f("ck_rounds_number_positive")),
        sa.ForeignKeyConstraint(
            ["dialogue_id"],
            ["dialogues.id"],
            name=op.f("fk_rounds_dialogue_id_dialogues"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rounds")),
        sa.UniqueConstraint("dialogue_id", "number", name="uq_rounds_dialogue_number"),
        sa.UniqueConstraint("id", "dialogue_id", name="uq_rounds_id_dialogue"),
    )
    op.create_table(
        "sides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dialogue_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint("length(name) > 0", name=op.f("ck_sides_name_not_empty")),
        sa.ForeignKeyConstraint(
            ["dialogue_id"],
            ["dialogues.id"],
            name=op.f("fk_sides_dialogue_id_dialogues"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sides")),
        sa.UniqueConstraint("dialogue_id", "name", name="uq_sides_dialogue_name"),
        sa.UniqueConstraint("dialogue_id", "position", name="uq_sides_dialogue_position"),
        sa.UniqueConstraint("id", "dialogue_id", name="uq_sides_id_dialogue"),
    )
    op.create_table(
        "analyses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dialogue_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("engine_version", sa.String(length=40), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "length(fingerprint) = 64", name=op.f("ck_analyses_fingerprint_is_sha256")
        ),
        sa.CheckConstraint("version >= 1", name=op.f("ck_analyses_version_positive")),
        sa.ForeignKeyConstraint(
            ["dialogue_id"],
            ["dialogues.id"],
            name=op.f("fk_analyses_dialogue_id_dialogues"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name=op.f("fk_analyses_round_id_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analyses")),
        sa.UniqueConstraint(
            "dialogue_id", "round_id", "kind", "version", name="uq_analyses_version"
        ),
    )
    op.create_table(
        "concepts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.CheckConstraint("length(name) > 0", name=op.f("ck_concepts_name_not_empty")),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name=op.f("fk_concepts_round_id_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concepts")),
        sa.UniqueConstraint("round_id", "name", name="uq_concepts_round_name"),
    )
    op.create_table(
        "invites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dialogue_id", sa.Integer(), nullable=False),
        sa.Column("side_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "role IN ('delegate', 'participant', 'observer')", name=op.f("ck_invites_role_known")
        ),
        sa.CheckConstraint("length(token_hash) = 64", name=op.f("ck_invites_token_hash_is_sha256")),
        sa.ForeignKeyConstraint(
            ["dialogue_id"],
            ["dialogues.id"],
            name=op.f("fk_invites_dialogue_id_dialogues"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["side_id", "dialogue_id"],
            ["sides.id", "sides.dialogue_id"],
            name="fk_invites_side_dialogue",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invites")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invites_token_hash")),
    )
    op.create_table(
        "participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dialogue_id", sa.Integer(), nullable=False),
        sa.Column("side_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("display_name", sa.String(length=80), nullable=True),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("simulated", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "role = 'facilitator' OR side_id IS NOT NULL",
            name=op.f("ck_participants_side_unless_facilitator"),
        ),
        sa.CheckConstraint(
            "role IN ('facilitator', 'delegate', 'participant', 'observer')",
            name=op.f("ck_participants_role_known"),
        ),
        sa.ForeignKeyConstraint(
            ["dialogue_id"],
            ["dialogues.id"],
            name=op.f("fk_participants_dialogue_id_dialogues"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["side_id", "dialogue_id"],
            ["sides.id", "sides.dialogue_id"],
            name="fk_participants_side_dialogue",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participants")),
        sa.UniqueConstraint("id", "dialogue_id", name="uq_participants_id_dialogue"),
    )
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.create_index("ix_participants_side", ["side_id"], unique=False)

    op.create_table(
        "round_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind <> 'suspended' OR length(reason) > 0",
            name=op.f("ck_round_events_suspension_has_reason"),
        ),
        sa.CheckConstraint(
            "kind IN ('opened', 'suspended', 'resumed', 'closed', 'published')",
            name=op.f("ck_round_events_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name=op.f("fk_round_events_round_id_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_events")),
    )
    with op.batch_alter_table("round_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_round_events_round_id"), ["round_id"], unique=False)

    op.create_table(
        "topics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.CheckConstraint("length(prompt) > 0", name=op.f("ck_topics_prompt_not_empty")),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name=op.f("fk_topics_round_id_rounds"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topics")),
        sa.UniqueConstraint("round_id", "position", name="uq_topics_round_position"),
    )
    op.create_table(
        "concerns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dialogue_id", sa.Integer(), nullable=False),
        sa.Column("raised_in_round_id", sa.Integer(), nullable=False),
        sa.Column("side_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("why_it_matters", sa.Text(), nullable=False),
        sa.Column("what_to_understand", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state IN ('open', 'understood', 'withdrawn')", name=op.f("ck_concerns_state_known")
        ),
        sa.CheckConstraint("length(title) > 0", name=op.f("ck_concerns_title_not_empty")),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["participants.id"],
            name=op.f("fk_concerns_author_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["dialogue_id"],
            ["dialogues.id"],
            name=op.f("fk_concerns_dialogue_id_dialogues"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["raised_in_round_id"],
            ["rounds.id"],
            name=op.f("fk_concerns_raised_in_round_id_rounds"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["side_id"], ["sides.id"], name=op.f("fk_concerns_side_id_sides"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concerns")),
    )
    op.create_table(
        "definitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concept_id", sa.Integer(), nullable=False),
        sa.Column("side_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(text) > 0", name=op.f("ck_definitions_text_not_empty")),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["participants.id"],
            name=op.f("fk_definitions_author_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["concept_id"],
            ["concepts.id"],
            name=op.f("fk_definitions_concept_id_concepts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["side_id"], ["sides.id"], name=op.f("fk_definitions_side_id_sides"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_definitions")),
    )
    op.create_table(
        "statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dialogue_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("side_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("moderation", sa.String(length=10), nullable=False),
        sa.Column("moderation_reason", sa.Text(), nullable=True),
        sa.Column("move", sa.String(length=16), nullable=True),
        sa.Column("move_confidence", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "moderation IN ('pending', 'accepted', 'rejected')",
            name=op.f("ck_statements_moderation_known"),
        ),
        sa.CheckConstraint("length(text) > 0", name=op.f("ck_statements_text_not_empty")),
        sa.CheckConstraint(
            "move_confidence IS NULL OR (move_confidence >= 0 AND move_confidence <= 1)",
            name=op.f("ck_statements_move_confidence_range"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id", "dialogue_id"],
            ["participants.id", "participants.dialogue_id"],
            name="fk_statements_author_dialogue",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["dialogue_id"],
            ["dialogues.id"],
            name=op.f("fk_statements_dialogue_id_dialogues"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id", "dialogue_id"],
            ["rounds.id", "rounds.dialogue_id"],
            name="fk_statements_round_dialogue",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["side_id", "dialogue_id"],
            ["sides.id", "sides.dialogue_id"],
            name="fk_statements_side_dialogue",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["topics.id"],
            name=op.f("fk_statements_topic_id_topics"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statements")),
    )
    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.create_index("ix_statements_round", ["round_id", "moderation"], unique=False)

    op.create_table(
        "concern_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concern_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("side_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(text) > 0", name=op.f("ck_concern_answers_text_not_empty")),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["participants.id"],
            name=op.f("fk_concern_answers_author_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["concern_id"],
            ["concerns.id"],
            name=op.f("fk_concern_answers_concern_id_concerns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name=op.f("fk_concern_answers_round_id_rounds"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["side_id"],
            ["sides.id"],
            name=op.f("fk_concern_answers_side_id_sides"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concern_answers")),
    )
    op.create_table(
        "concern_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concern_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("side_id", sa.Integer(), nullable=False),
        sa.Column("understood", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["concern_id"],
            ["concerns.id"],
            name=op.f("fk_concern_marks_concern_id_concerns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name=op.f("fk_concern_marks_round_id_rounds"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["side_id"],
            ["sides.id"],
            name=op.f("fk_concern_marks_side_id_sides"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concern_marks")),
    )
    op.create_table(
        "definition_votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("definition_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.SmallInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "value IN (-1, 0, 1)", name=op.f("ck_definition_votes_value_agree_disagree_pass")
        ),
        sa.ForeignKeyConstraint(
            ["definition_id"],
            ["definitions.id"],
            name=op.f("fk_definition_votes_definition_id_definitions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_definition_votes_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_definition_votes")),
    )
    op.create_table(
        "restatements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("definition_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("side_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(text) > 0", name=op.f("ck_restatements_text_not_empty")),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["participants.id"],
            name=op.f("fk_restatements_author_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["definition_id"],
            ["definitions.id"],
            name=op.f("fk_restatements_definition_id_definitions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["side_id"],
            ["sides.id"],
            name=op.f("fk_restatements_side_id_sides"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_restatements")),
    )
    op.create_table(
        "votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.SmallInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("value IN (-1, 0, 1)", name=op.f("ck_votes_value_agree_disagree_pass")),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_votes_participant_id_participants"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name=op.f("fk_votes_statement_id_statements"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_votes")),
    )
    with op.batch_alter_table("votes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_votes_participant_statement", ["participant_id", "statement_id", "id"], unique=False
        )
        batch_op.create_index("ix_votes_statement", ["statement_id"], unique=False)

    op.create_table(
        "fairness_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("restatement_id", sa.Integer(), nullable=False),
        sa.Column("rater_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "rating IN ('fair', 'partly_fair', 'unfair')",
            name=op.f("ck_fairness_ratings_rating_known"),
        ),
        sa.ForeignKeyConstraint(
            ["rater_id"],
            ["participants.id"],
            name=op.f("fk_fairness_ratings_rater_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["restatement_id"],
            ["restatements.id"],
            name=op.f("fk_fairness_ratings_restatement_id_restatements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fairness_ratings")),
    )
    op.create_table(
        "predictions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("target_side_id", sa.Integer(), nullable=False),
        sa.Column("share", sa.SmallInteger(), nullable=False),
        sa.CheckConstraint("share >= 0 AND share <= 100", name=op.f("ck_predictions_share_0_100")),
        sa.ForeignKeyConstraint(
            ["target_side_id"],
            ["sides.id"],
            name=op.f("fk_predictions_target_side_id_sides"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["vote_id"],
            ["votes.id"],
            name=op.f("fk_predictions_vote_id_votes"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_predictions")),
        sa.UniqueConstraint("vote_id", "target_side_id", name="uq_predictions_vote_side"),
    )
    op.create_index(
        "uq_rounds_one_open",
        "rounds",
        ["dialogue_id"],
        unique=True,
        sqlite_where=sa.text("state = 'open'"),
        postgresql_where=sa.text("state = 'open'"),
    )
    _create_append_only_triggers()


def downgrade() -> None:
    _drop_append_only_triggers()
    op.drop_index("uq_rounds_one_open", table_name="rounds")
    op.drop_table("predictions")
    op.drop_table("fairness_ratings")
    with op.batch_alter_table("votes", schema=None) as batch_op:
        batch_op.drop_index("ix_votes_statement")
        batch_op.drop_index("ix_votes_participant_statement")

    op.drop_table("votes")
    op.drop_table("restatements")
    op.drop_table("definition_votes")
    op.drop_table("concern_marks")
    op.drop_table("concern_answers")
    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.drop_index("ix_statements_round")

    op.drop_table("statements")
    op.drop_table("definitions")
    op.drop_table("concerns")
    op.drop_table("topics")
    with op.batch_alter_table("round_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_round_events_round_id"))

    op.drop_table("round_events")
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_index("ix_participants_side")

    op.drop_table("participants")
    op.drop_table("invites")
    op.drop_table("concepts")
    op.drop_table("analyses")
    op.drop_table("sides")
    op.drop_table("rounds")
    op.drop_table("dialogues")
