"""Dialogues their facilitators own and can close: the facilitation team, visibility and
archiving, invites with caps, expiry, pauses, personal and observer links, participants'
external ids and removal, seed statements, hidden texts, delegates' decisions, the earlier
wording of edited texts, the moderation log and flags.

Dialogues stored before this revision were public (the home page listed them all), so they
stay public; new ones are private.

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-02 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0004"
branch_labels = None
depends_on = None

BIG = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
ITEMS = (
    "dialogue.title",
    "dialogue.charter",
    "side.name",
    "round.title",
    "topic.prompt",
    "concept.name",
    "event.reason",
    "statement.text",
    "definition.text",
    "restatement.text",
    "concern.title",
    "concern.why",
    "concern.understand",
    "answer.text",
)
EVENTS = (
    "statement_accepted",
    "statement_rejected",
    "text_hidden",
    "text_shown",
    "participant_removed",
    "participant_restored",
    "delegate_given",
    "delegate_taken",
    "translator_given",
    "translator_taken",
    "flag_raised",
    "text_edited",
)
HIDEABLE = ("definitions", "restatements", "concerns", "concern_answers")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    false = sa.text("false")
    with op.batch_alter_table("dialogues") as batch:
        batch.add_column(
            sa.Column("visibility", sa.String(10), nullable=False, server_default="private")
        )
        batch.add_column(sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("created_by_account_id", BIG, nullable=True))
        batch.create_check_constraint(
            "visibility_known", _in("visibility", ("private", "unlisted", "public"))
        )
        batch.create_foreign_key(
            op.f("fk_dialogues_created_by_account_id_accounts"),
            "accounts",
            ["created_by_account_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.execute("UPDATE dialogues SET visibility = 'public'")
    op.create_table(
        "team_members",
        sa.Column("dialogue_id", BIG, nullable=False),
        sa.Column("account_id", BIG, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by_account_id", BIG, nullable=True),
        sa.CheckConstraint(
            _in("role", ("owner", "cofacilitator")), name=op.f("ck_team_members_role_known")
        ),
        _fk("team_members", "dialogue_id", "dialogues", "CASCADE"),
        _fk("team_members", "account_id", "accounts", "CASCADE"),
        sa.ForeignKeyConstraint(
            ["added_by_account_id"],
            ["accounts.id"],
            name=op.f("fk_team_members_added_by_account_id_accounts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("dialogue_id", "account_id", name=op.f("pk_team_members")),
    )
    op.create_index(op.f("ix_team_members_account_id"), "team_members", ["account_id"])

    with op.batch_alter_table("invites") as batch:
        batch.alter_column("side_id", existing_type=BIG, nullable=True)
        batch.add_column(sa.Column("kind", sa.String(10), nullable=False, server_default="open"))
        batch.add_column(sa.Column("cap", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("paused_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("external_id", sa.String(200), nullable=True))
        batch.add_column(sa.Column("display_name", sa.String(80), nullable=True))
        batch.add_column(sa.Column("used_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_check_constraint("kind_known", _in("kind", ("open", "personal", "observer")))
        batch.create_check_constraint("cap_positive", "cap IS NULL OR cap >= 1")
        batch.create_check_constraint(
            "side_unless_observer", "role = 'observer' OR side_id IS NOT NULL"
        )
        batch.create_check_constraint(
            "personal_has_id", "kind <> 'personal' OR external_id IS NOT NULL"
        )
    op.create_index(
        "uq_invites_external_id",
        "invites",
        ["dialogue_id", "external_id"],
        unique=True,
        sqlite_where=sa.text("external_id IS NOT NULL AND revoked_at IS NULL"),
        postgresql_where=sa.text("external_id IS NOT NULL AND revoked_at IS NULL"),
    )

    with op.batch_alter_table("participants") as batch:
        batch.add_column(sa.Column("external_id", sa.String(200), nullable=True))
        batch.add_column(sa.Column("invite_id", BIG, nullable=True))
        batch.add_column(sa.Column("account_id", BIG, nullable=True))
        batch.add_column(sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True))
        batch.drop_constraint(op.f("ck_participants_side_unless_facilitator"), type_="check")
        batch.create_check_constraint(
            "side_unless_facilitator",
            "role IN ('facilitator', 'observer') OR side_id IS NOT NULL",
        )
        batch.create_foreign_key(
            op.f("fk_participants_invite_id_invites"),
            "invites",
            ["invite_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_foreign_key(
            op.f("fk_participants_account_id_accounts"),
            "accounts",
            ["account_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_index(
        "uq_participants_external_id",
        "participants",
        ["dialogue_id", "external_id"],
        unique=True,
        sqlite_where=sa.text("external_id IS NOT NULL"),
        postgresql_where=sa.text("external_id IS NOT NULL"),
    )

    op.add_column(
        "statements", sa.Column("seeded", sa.Boolean(), nullable=False, server_default=false)
    )
    for table in HIDEABLE:
        op.add_column(table, sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True))
        op.add_column(table, sa.Column("hidden_reason", sa.Text(), nullable=True))
    with op.batch_alter_table("concern_marks") as batch:
        batch.add_column(
            sa.Column("decided_by", sa.String(10), nullable=False, server_default="member")
        )
        batch.add_column(sa.Column("participant_id", BIG, nullable=True))
        batch.create_foreign_key(
            op.f("fk_concern_marks_participant_id_participants"),
            "participants",
            ["participant_id"],
            ["id"],
            ondelete="SET NULL",
        )

    op.create_table(
        "concern_member_marks",
        sa.Column("id", BIG, nullable=False),
        sa.Column("concern_id", BIG, nullable=False),
        sa.Column("participant_id", BIG, nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("value", sa.Boolean(), nullable=False),
        sa.Column("round_id", BIG, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            _in("kind", ("understood", "withdraw")),
            name=op.f("ck_concern_member_marks_kind_known"),
        ),
        _fk("concern_member_marks", "concern_id", "concerns", "CASCADE"),
        _fk("concern_member_marks", "participant_id", "participants", "CASCADE"),
        _fk("concern_member_marks", "round_id", "rounds", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concern_member_marks")),
    )
    op.create_index(
        op.f("ix_concern_member_marks_concern_id"), "concern_member_marks", ["concern_id"]
    )
    op.create_table(
        "text_edits",
        sa.Column("id", BIG, nullable=False),
        sa.Column("dialogue_id", BIG, nullable=False),
        sa.Column("item", sa.String(24), nullable=False),
        sa.Column("item_id", BIG, nullable=False),
        sa.Column("previous", sa.Text(), nullable=False),
        sa.Column("account_id", BIG, nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(_in("item", ITEMS), name=op.f("ck_text_edits_item_known")),
        _fk("text_edits", "dialogue_id", "dialogues", "CASCADE"),
        _fk("text_edits", "account_id", "accounts", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_text_edits")),
    )
    op.create_index("ix_text_edits_item", "text_edits", ["item", "item_id"])
    op.create_table(
        "moderation_events",
        sa.Column("id", BIG, nullable=False),
        sa.Column("dialogue_id", BIG, nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("item", sa.String(24), nullable=True),
        sa.Column("item_id", BIG, nullable=True),
        sa.Column("participant_id", BIG, nullable=True),
        sa.Column("account_id", BIG, nullable=True),
        sa.Column("by_participant_id", BIG, nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(_in("kind", EVENTS), name=op.f("ck_moderation_events_kind_known")),
        _fk("moderation_events", "dialogue_id", "dialogues", "CASCADE"),
        _fk("moderation_events", "participant_id", "participants", "SET NULL"),
        _fk("moderation_events", "account_id", "accounts", "SET NULL"),
        sa.ForeignKeyConstraint(
            ["by_participant_id"],
            ["participants.id"],
            name=op.f("fk_moderation_events_by_participant_id_participants"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_events")),
    )
    op.create_index(op.f("ix_moderation_events_dialogue_id"), "moderation_events", ["dialogue_id"])
    op.create_table(
        "flags",
        sa.Column("id", BIG, nullable=False),
        sa.Column("statement_id", BIG, nullable=False),
        sa.Column("participant_id", BIG, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(reason) > 0", name=op.f("ck_flags_reason_not_empty")),
        _fk("flags", "statement_id", "statements", "CASCADE"),
        _fk("flags", "participant_id", "participants", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flags")),
    )
    op.create_index(op.f("ix_flags_statement_id"), "flags", ["statement_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_flags_statement_id"), table_name="flags")
    op.drop_table("flags")
    op.drop_index(op.f("ix_moderation_events_dialogue_id"), table_name="moderation_events")
    op.drop_table("moderation_events")
    op.drop_index("ix_text_edits_item", table_name="text_edits")
    op.drop_table("text_edits")
    op.drop_index(op.f("ix_concern_member_marks_concern_id"), table_name="concern_member_marks")
    op.drop_table("concern_member_marks")
    with op.batch_alter_table("concern_marks") as batch:
        batch.drop_constraint(
            op.f("fk_concern_marks_participant_id_participants"), type_="foreignkey"
        )
        batch.drop_column("participant_id")
        batch.drop_column("decided_by")
    for table in HIDEABLE:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("hidden_reason")
            batch.drop_column("hidden_at")
    with op.batch_alter_table("statements") as batch:
        batch.drop_column("seeded")
    op.drop_index("uq_participants_external_id", table_name="participants")
    op.execute("DELETE FROM participants WHERE role = 'observer' AND side_id IS NULL")
    with op.batch_alter_table("participants") as batch:
        batch.drop_constraint(op.f("fk_participants_account_id_accounts"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_participants_invite_id_invites"), type_="foreignkey")
        batch.drop_constraint(op.f("ck_participants_side_unless_facilitator"), type_="check")
        batch.create_check_constraint(
            "side_unless_facilitator", "role = 'facilitator' OR side_id IS NOT NULL"
        )
        batch.drop_column("removed_at")
        batch.drop_column("account_id")
        batch.drop_column("invite_id")
        batch.drop_column("external_id")
    op.drop_index("uq_invites_external_id", table_name="invites")
    op.execute("DELETE FROM invites WHERE side_id IS NULL")
    with op.batch_alter_table("invites") as batch:
        for name in ("personal_has_id", "side_unless_observer", "cap_positive", "kind_known"):
            batch.drop_constraint(op.f(f"ck_invites_{name}"), type_="check")
        for column in (
            "used_at",
            "display_name",
            "external_id",
            "paused_at",
            "expires_at",
            "cap",
            "kind",
        ):
            batch.drop_column(column)
        batch.alter_column("side_id", existing_type=BIG, nullable=False)
    op.drop_index(op.f("ix_team_members_account_id"), table_name="team_members")
    op.drop_table("team_members")
    with op.batch_alter_table("dialogues") as batch:
        batch.drop_constraint(
            op.f("fk_dialogues_created_by_account_id_accounts"), type_="foreignkey"
        )
        batch.drop_constraint(op.f("ck_dialogues_visibility_known"), type_="check")
        batch.drop_column("created_by_account_id")
        batch.drop_column("archived_at")
        batch.drop_column("visibility")
