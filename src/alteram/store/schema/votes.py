"""Statements, the votes and predictions on them, the per-side counts and live counters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import false as sql_false
from sqlalchemy.orm import Mapped, mapped_column

from alteram.store.schema.base import Base, BigId, _in, utcnow
from alteram.store.schema.vocabulary import MODERATION_STATES, MOVE_NAMES


class Statement(Base):
    __tablename__ = "statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogues.id", ondelete="CASCADE"))
    round_id: Mapped[int] = mapped_column(BigId)
    topic_id: Mapped[int | None] = mapped_column(
        ForeignKey("topics.id", ondelete="SET NULL"), nullable=True
    )
    author_id: Mapped[int] = mapped_column(BigId)
    side_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(16), default="und")
    moderation: Mapped[str] = mapped_column(String(10), default="pending")
    moderation_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    move: Mapped[str | None] = mapped_column(String(16), nullable=True)
    move_confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    # Written by the facilitation team (for a side, or as the team when side_id is NULL).
    seeded: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sql_false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        ForeignKeyConstraint(
            ["round_id", "dialogue_id"],
            ["rounds.id", "rounds.dialogue_id"],
            name="fk_statements_round_dialogue",
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["author_id", "dialogue_id"],
            ["participants.id", "participants.dialogue_id"],
            name="fk_statements_author_dialogue",
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["side_id", "dialogue_id"],
            ["sides.id", "sides.dialogue_id"],
            name="fk_statements_side_dialogue",
        ),
        CheckConstraint("length(text) > 0", name="text_not_empty"),
        CheckConstraint(_in("moderation", MODERATION_STATES), name="moderation_known"),
        CheckConstraint(
            "move_confidence IS NULL OR (move_confidence >= 0 AND move_confidence <= 1)",
            name="move_confidence_range",
        ),
        Index("ix_statements_round", "round_id", "moderation"),
    )


class Vote(Base):
    """One vote; append-only. The latest row per participant and statement counts."""

    __tablename__ = "votes"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="RESTRICT"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="RESTRICT"))
    value: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The version the voter read: a translation row, or NULL for the original.
    shown_translation_id: Mapped[int | None] = mapped_column(
        ForeignKey("translations.id", ondelete="RESTRICT"), nullable=True
    )

    __table_args__ = (
        CheckConstraint("value IN (-1, 0, 1)", name="value_agree_disagree_pass"),
        Index("ix_votes_participant_statement", "participant_id", "statement_id", "id"),
        Index("ix_votes_statement", "statement_id"),
    )


class StatementSideCount(Base):
    """The latest votes on a statement by the members of one side, kept as each vote comes.

    Written in the transaction of every vote (a replaced vote moves from its old count to
    its new one) so that choosing the next statement reads a round's counts, never the
    votes table. Bulk imports recount the round they wrote.
    """

    __tablename__ = "statement_side_counts"

    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True
    )
    side_id: Mapped[int] = mapped_column(
        ForeignKey("sides.id", ondelete="CASCADE"), primary_key=True
    )
    agree: Mapped[int] = mapped_column(Integer, default=0)
    disagree: Mapped[int] = mapped_column(Integer, default=0)
    passes: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        CheckConstraint("agree >= 0 AND disagree >= 0 AND passes >= 0", name="not_negative"),
    )


class LiveVersion(Base):
    """A round's change counter, in shards: live pages poll the sum, writers bump one shard.

    Every vote, statement, moderation, state change and analysis bumps the shard of its
    writer (so concurrent votes rarely wait on the same row); a page's event stream tells the
    browser to refresh when the sum changes, whichever process served the write.
    """

    __tablename__ = "live_versions"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True
    )
    shard: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


class Prediction(Base):
    """With a vote: the share (0-100) of another side the voter thinks agrees."""

    __tablename__ = "predictions"

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="RESTRICT"))
    target_side_id: Mapped[int] = mapped_column(ForeignKey("sides.id", ondelete="RESTRICT"))
    share: Mapped[int] = mapped_column(SmallInteger)

    __table_args__ = (
        UniqueConstraint("vote_id", "target_side_id", name="uq_predictions_vote_side"),
        CheckConstraint("share >= 0 AND share <= 100", name="share_0_100"),
    )


class MoveCorrection(Base):
    """The facilitation team corrects the move the classifier read in a statement.

    Append-only: the latest row of a statement is its move (also written to
    ``statements.move``, with ``move_confidence`` NULL since no classifier confidence
    applies). Each row keeps the reading it replaced, so the first row of a statement
    keeps the classifier's original reading.
    """

    __tablename__ = "move_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    move: Mapped[str] = mapped_column(String(16))
    previous_move: Mapped[str | None] = mapped_column(String(16), nullable=True)
    previous_confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    # NULL: the administrator, or an account deleted since.
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True
    )
    at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        CheckConstraint(_in("move", MOVE_NAMES), name="move_known"),
        CheckConstraint(
            "previous_confidence IS NULL OR "
            "(previous_confidence >= 0 AND previous_confidence <= 1)",
            name="previous_confidence_range",
        ),
    )
