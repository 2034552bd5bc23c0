"""Rounds, their events and topics, and when participants see their feedback."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from alteram.store.schema.base import Base, _in, utcnow
from alteram.store.schema.vocabulary import (
    FEEDBACK_MOMENTS,
    MODERATION_MODES,
    ROUND_EVENTS,
    ROUND_STATES,
)


class Round(Base):
    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogues.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[str] = mapped_column(String(12), default="planned")
    moderation: Mapped[str] = mapped_column(String(4), default="post")
    starts_on: Mapped[datetime | None] = mapped_column(nullable=True)
    ends_on: Mapped[datetime | None] = mapped_column(nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(nullable=True)
    analysis_every: Mapped[int] = mapped_column(Integer, default=100, server_default="100")
    feedback_at: Mapped[str] = mapped_column(
        String(12), default="published", server_default="published"
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        CheckConstraint(_in("feedback_at", FEEDBACK_MOMENTS), name="feedback_at_known"),
        UniqueConstraint("dialogue_id", "number", name="uq_rounds_dialogue_number"),
        UniqueConstraint("id", "dialogue_id", name="uq_rounds_id_dialogue"),
        CheckConstraint(_in("state", ROUND_STATES), name="state_known"),
        CheckConstraint(_in("moderation", MODERATION_MODES), name="moderation_known"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint("analysis_every >= 1", name="analysis_every_positive"),
        # At most one open round per dialogue.
        Index(
            "uq_rounds_one_open",
            "dialogue_id",
            unique=True,
            sqlite_where=text("state = 'open'"),
            postgresql_where=text("state = 'open'"),
        ),
    )


class RoundEvent(Base):
    """Every change of a round's state, with its time and reason (suspensions included)."""

    __tablename__ = "round_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        CheckConstraint(_in("kind", ROUND_EVENTS), name="kind_known"),
        CheckConstraint("kind <> 'suspended' OR length(reason) > 0", name="suspension_has_reason"),
    )


class Topic(Base):
    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    prompt: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("round_id", "position", name="uq_topics_round_position"),
        CheckConstraint("length(prompt) > 0", name="prompt_not_empty"),
    )


class FeedbackView(Base):
    """When a participant first saw their own feedback on a round (for the next analysis)."""

    __tablename__ = "feedback_views"

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    round_id: Mapped[int] = mapped_column(
        ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True
    )
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)
