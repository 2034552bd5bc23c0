"""Concepts with each side's definitions and the other side's restatements, and concerns."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from alteram.store.schema.base import Base, _in, utcnow
from alteram.store.schema.vocabulary import CONCERN_STATES, FAIRNESS, MEMBER_MARKS


class Concept(Base):
    """A concept a round asks both sides to define (e.g. "human rights")."""

    __tablename__ = "concepts"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))

    __table_args__ = (
        UniqueConstraint("round_id", "name", name="uq_concepts_round_name"),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
    )


class Definition(Base):
    """What a concept means to one side, in the words of one of its participants."""

    __tablename__ = "definitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    concept_id: Mapped[int] = mapped_column(ForeignKey("concepts.id", ondelete="CASCADE"))
    side_id: Mapped[int] = mapped_column(ForeignKey("sides.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(16), default="und")
    # Hidden by the facilitation team (kept, with the reason, for the moderation log).
    hidden_at: Mapped[datetime | None] = mapped_column(nullable=True)
    hidden_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (CheckConstraint("length(text) > 0", name="text_not_empty"),)


class DefinitionVote(Base):
    """A vote of a participant of the defining side on one candidate definition."""

    __tablename__ = "definition_votes"

    id: Mapped[int] = mapped_column(primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("definitions.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    value: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (CheckConstraint("value IN (-1, 0, 1)", name="value_agree_disagree_pass"),)


class Restatement(Base):
    """The other side's restatement of a definition ("To you, X means ...")."""

    __tablename__ = "restatements"

    id: Mapped[int] = mapped_column(primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("definitions.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    side_id: Mapped[int] = mapped_column(ForeignKey("sides.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(16), default="und")
    # Hidden by the facilitation team (kept, with the reason, for the moderation log).
    hidden_at: Mapped[datetime | None] = mapped_column(nullable=True)
    hidden_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (CheckConstraint("length(text) > 0", name="text_not_empty"),)


class FairnessRating(Base):
    """The defining side's judgement of a restatement: fair, partly fair or unfair."""

    __tablename__ = "fairness_ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    restatement_id: Mapped[int] = mapped_column(ForeignKey("restatements.id", ondelete="CASCADE"))
    rater_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    rating: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (CheckConstraint(_in("rating", FAIRNESS), name="rating_known"),)


class Concern(Base):
    """Something one side asks the other to understand, carried from round to round."""

    __tablename__ = "concerns"

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogues.id", ondelete="CASCADE"))
    raised_in_round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    side_id: Mapped[int] = mapped_column(ForeignKey("sides.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    why_it_matters: Mapped[str] = mapped_column(Text)
    what_to_understand: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(16), default="und", server_default="und")
    state: Mapped[str] = mapped_column(String(12), default="open")
    # Hidden by the facilitation team (kept, with the reason, for the moderation log).
    hidden_at: Mapped[datetime | None] = mapped_column(nullable=True)
    hidden_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        CheckConstraint(_in("state", CONCERN_STATES), name="state_known"),
        CheckConstraint("length(title) > 0", name="title_not_empty"),
    )


class ConcernAnswer(Base):
    __tablename__ = "concern_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(ForeignKey("concerns.id", ondelete="CASCADE"))
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    side_id: Mapped[int] = mapped_column(ForeignKey("sides.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(16), default="und", server_default="und")
    # Hidden by the facilitation team (kept, with the reason, for the moderation log).
    hidden_at: Mapped[datetime | None] = mapped_column(nullable=True)
    hidden_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (CheckConstraint("length(text) > 0", name="text_not_empty"),)


class ConcernMark(Base):
    """A side's "our view was understood" (or its withdrawal); the history is kept."""

    __tablename__ = "concern_marks"

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(ForeignKey("concerns.id", ondelete="CASCADE"))
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    side_id: Mapped[int] = mapped_column(ForeignKey("sides.id", ondelete="CASCADE"))
    understood: Mapped[bool] = mapped_column(Boolean)
    # Who decided for the side: a delegate, a majority of the members who took part, or
    # (before delegates existed) one member.
    decided_by: Mapped[str] = mapped_column(String(10), default="member", server_default="member")
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), nullable=True
    )
    at: Mapped[datetime] = mapped_column(default=utcnow)


class ConcernMemberMark(Base):
    """One member's say on a concern where the side acts as one (understood, withdraw)."""

    __tablename__ = "concern_member_marks"

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(
        ForeignKey("concerns.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(12))
    value: Mapped[bool] = mapped_column(Boolean)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (CheckConstraint(_in("kind", MEMBER_MARKS), name="kind_known"),)
