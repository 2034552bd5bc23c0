"""Translations of what people write, their reviews, and the kept earlier wordings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from alteram.store.schema.base import Base, BigId, _in, utcnow
from alteram.store.schema.vocabulary import TRANSLATABLE, TRANSLATION_KINDS


class Translation(Base):
    """One translation of one text into one language; a new one is a new row.

    ``item`` names the text (one of :data:`TRANSLATABLE`, e.g. ``statement.text``) and
    ``item_id`` the row it belongs to. ``source_hash`` is the SHA-256 of the original it
    translates, so a translation of an earlier wording never passes for one of the current.
    """

    __tablename__ = "translations"

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogues.id", ondelete="CASCADE"))
    item: Mapped[str] = mapped_column(String(24))
    item_id: Mapped[int] = mapped_column(BigId)
    language: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(12))
    source_hash: Mapped[str] = mapped_column(String(64))
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), nullable=True
    )
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        CheckConstraint(_in("item", TRANSLATABLE), name="item_known"),
        CheckConstraint(_in("kind", TRANSLATION_KINDS), name="kind_known"),
        CheckConstraint("length(text) > 0", name="text_not_empty"),
        CheckConstraint("length(source_hash) = 64", name="source_hash_is_sha256"),
        CheckConstraint(
            "kind <> 'machine' OR (participant_id IS NULL AND account_id IS NULL)",
            name="machine_has_no_person",
        ),
        Index("ix_translations_item", "item", "item_id", "language", "id"),
        Index("ix_translations_dialogue", "dialogue_id", "item", "language"),
    )


class TranslationReview(Base):
    """A member of the author's side: this translation says what we meant, or it does not."""

    __tablename__ = "translation_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    translation_id: Mapped[int] = mapped_column(
        ForeignKey("translations.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    faithful: Mapped[bool] = mapped_column(Boolean)
    better_wording: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TextEdit(Base):
    """The earlier wording of a text the team edited (charter, topic, round title, ...)."""

    __tablename__ = "text_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogues.id", ondelete="CASCADE"))
    item: Mapped[str] = mapped_column(String(24))
    item_id: Mapped[int] = mapped_column(BigId)
    previous: Mapped[str] = mapped_column(Text)
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True
    )
    at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        CheckConstraint(_in("item", TRANSLATABLE), name="item_known"),
        Index("ix_text_edits_item", "item", "item_id"),
    )
