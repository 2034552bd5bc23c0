"""Translations: a dialogue's languages, every text's translations with their kind and
history, the author's side's faithfulness marks, the translator duty, machine translation
per dialogue, and the version each vote's voter read.

Dialogues stored before this revision are held in English and Chinese, the languages of the
interface.

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-02 06:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0003"
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


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "dialogue_languages",
        sa.Column("dialogue_id", BIG, nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "length(language) >= 2", name=op.f("ck_dialogue_languages_language_code")
        ),
        sa.ForeignKeyConstraint(
            ["dialogue_id"],
            ["dialogues.id"],
            name=op.f("fk_dialogue_languages_dialogue_id_dialogues"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("dialogue_id", "language", name=op.f("pk_dialogue_languages")),
        sa.UniqueConstraint("dialogue_id", "position", name="uq_dialogue_languages_position"),
    )
    op.create_table(
        "translations",
        sa.Column("id", BIG, nullable=False),
        sa.Column("dialogue_id", BIG, nullable=False),
        sa.Column("item", sa.String(length=24), nullable=False),
        sa.Column("item_id", BIG, nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("source_hash", sa.String(length=64), nullable=False),
        sa.Column("participant_id", BIG, nullable=True),
        sa.Column("account_id", BIG, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(_in("item", ITEMS), name=op.f("ck_translations_item_known")),
        sa.CheckConstraint(
            _in("kind", ("author", "translator", "machine")),
            name=op.f("ck_translations_kind_known"),
        ),
        sa.CheckConstraint("length(text) > 0", name=op.f("ck_translations_text_not_empty")),
        sa.CheckConstraint(
            "length(source_hash) = 64", name=op.f("ck_translations_source_hash_is_sha256")
        ),
        sa.CheckConstraint(
            "kind <> 'machine' OR (participant_id IS NULL AND account_id IS NULL)",
            name=op.f("ck_translations_machine_has_no_person"),
        ),
        sa.ForeignKeyConstraint(
            ["dialogue_id"],
            ["dialogues.id"],
            name=op.f("fk_translations_dialogue_id_dialogues"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_translations_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_translations_account_id_accounts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_translations")),
    )
    op.create_index("ix_translations_item", "translations", ["item", "item_id", "language", "id"])
    op.create_index("ix_translations_dialogue", "translations", ["dialogue_id", "item", "language"])
    op.create_table(
        "translation_reviews",
        sa.Column("id", BIG, nullable=False),
        sa.Column("translation_id", BIG, nullable=False),
        sa.Column("participant_id", BIG, nullable=False),
        sa.Column("faithful", sa.Boolean(), nullable=False),
        sa.Column("better_wording", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["translation_id"],
            ["translations.id"],
            name=op.f("fk_translation_reviews_translation_id_translations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_translation_reviews_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_translation_reviews")),
    )
    op.create_index(
        op.f("ix_translation_reviews_translation_id"), "translation_reviews", ["translation_id"]
    )
    false = sa.text("false")
    op.add_column(
        "dialogues",
        sa.Column("machine_translation", sa.Boolean(), nullable=False, server_default=false),
    )
    op.add_column(
        "participants", sa.Column("translator", sa.Boolean(), nullable=False, server_default=false)
    )
    for table in ("concerns", "concern_answers"):
        op.add_column(
            table, sa.Column("language", sa.String(length=16), nullable=False, server_default="und")
        )
    # Votes are append-only (triggers); a new nullable column leaves every row as it is.
    if sqlite:
        op.execute(
            "ALTER TABLE votes ADD COLUMN shown_translation_id INTEGER "
            "REFERENCES translations (id) ON DELETE RESTRICT"
        )
    else:
        op.add_column("votes", sa.Column("shown_translation_id", BIG, nullable=True))
        op.create_foreign_key(
            op.f("fk_votes_shown_translation_id_translations"),
            "votes",
            "translations",
            ["shown_translation_id"],
            ["id"],
            ondelete="RESTRICT",
        )
    _languages_of_existing_dialogues()


def _languages_of_existing_dialogues() -> None:
    """Dialogues stored before this revision are held in English and Chinese."""
    op.execute(
        "INSERT INTO dialogue_languages (dialogue_id, language, position) "
        "SELECT id, 'en', 0 FROM dialogues UNION ALL SELECT id, 'zh', 1 FROM dialogues"
    )


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        # SQLite cannot drop a column with a reference: rebuild the table, whose
        # append-only triggers go with the old one and are made again.
        with op.batch_alter_table("votes", recreate="always") as batch:
            batch.drop_column("shown_translation_id")
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER votes_append_only_{action.lower()} BEFORE {action} ON votes "
                "BEGIN SELECT RAISE(ABORT, 'votes are append-only: record a new vote instead "
                "of changing or deleting one'); END"
            )
    else:
        op.drop_constraint(
            op.f("fk_votes_shown_translation_id_translations"), "votes", type_="foreignkey"
        )
        op.drop_column("votes", "shown_translation_id")
    for table in ("concerns", "concern_answers"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("language")
    with op.batch_alter_table("participants") as batch:
        batch.drop_column("translator")
    with op.batch_alter_table("dialogues") as batch:
        batch.drop_column("machine_translation")
    op.drop_index(op.f("ix_translation_reviews_translation_id"), table_name="translation_reviews")
    op.drop_table("translation_reviews")
    op.drop_index("ix_translations_dialogue", table_name="translations")
    op.drop_index("ix_translations_item", table_name="translations")
    op.drop_table("translations")
    op.drop_table("dialogue_languages")
