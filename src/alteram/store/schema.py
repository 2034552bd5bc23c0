"""The relational schema: one table per concept of DESIGN.md §2.

Rules live in the database as well as in code: foreign keys, checks on value ranges and
states, uniqueness, and (in the migrations) triggers that keep votes append-only.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy import false as sql_false
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ROLES = ("facilitator", "delegate", "participant", "observer")
ROUND_STATES = ("planned", "open", "closed", "suspended")
ROUND_EVENTS = ("opened", "suspended", "resumed", "closed", "published")
MODERATION_STATES = ("pending", "accepted", "rejected")
MODERATION_MODES = ("pre", "post")
FAIRNESS = ("fair", "partly_fair", "unfair")
CONCERN_STATES = ("open", "understood", "withdrawn")
TRANSLATION_KINDS = ("author", "translator", "machine")
VISIBILITIES = ("private", "unlisted", "public")
TEAM_ROLES = ("owner", "cofacilitator")
INVITE_KINDS = ("open", "personal", "observer")
DECIDERS = ("member", "delegate", "majority")
MEMBER_MARKS = ("understood", "withdraw")
MODERATION_EVENTS = (
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
# Every text a person writes, by item and field; a translation names one of these.
TRANSLATABLE = (
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
JOB_STATES = ("queued", "running", "done", "failed")
# When participants see their own feedback on a round: once they voted on all of it, once
# it closes, or (the default) once it is published.
FEEDBACK_MOMENTS = ("all_voted", "closed", "published")
JOB_ACTIVE = "state IN ('queued', 'running')"


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


BigId = BigInteger().with_variant(Integer(), "sqlite")
MAX_GROUPS_ALLOWED = 12  # the most opinion groups a facilitator may allow
"""Ids and references to them: BIGINT on PostgreSQL (rows may pass 2^31); on SQLite an
INTEGER, which is already 64-bit there and keeps a primary key the table's rowid."""


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every database (SQLite stores it without zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC) if value is not None else None


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, int: BigId}  # noqa: RUF012


class Dialogue(Base):
    __tablename__ = "dialogues"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    charter: Mapped[str] = mapped_column(Text, default="")
    simulated: Mapped[bool] = mapped_column(Boolean, default=False)
    # Texts go to a machine-translation backend only when the facilitator turned this on.
    machine_translation: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=text("false")
    )
    # Private by default: only the team, its participants and its observers see anything.
    visibility: Mapped[str] = mapped_column(String(10), default="private", server_default="private")
    archived_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_by_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The most opinion groups an analysis may find (the facilitator may allow more than 5).
    max_groups: Mapped[int] = mapped_column(Integer, default=5, server_default="5")

    __table_args__ = (
        CheckConstraint("length(title) > 0", name="title_not_empty"),
        CheckConstraint(_in("visibility", VISIBILITIES), name="visibility_known"),
        CheckConstraint(
            f"max_groups >= 1 AND max_groups <= {MAX_GROUPS_ALLOWED}", name="max_groups_in_range"
        ),
    )


class TeamMember(Base):
    """A facilitator of a dialogue: its owner or a co-facilitator the owner added."""

    __tablename__ = "team_members"

    dialogue_id: Mapped[int] = mapped_column(
        ForeignKey("dialogues.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(16))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    added_by_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True
    )

    __table_args__ = (CheckConstraint(_in("role", TEAM_ROLES), name="role_known"),)


class DialogueLanguage(Base):
    """A language the dialogue is held in; every text may be translated into each."""

    __tablename__ = "dialogue_languages"

    dialogue_id: Mapped[int] = mapped_column(
        ForeignKey("dialogues.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(16), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("dialogue_id", "position", name="uq_dialogue_languages_position"),
        CheckConstraint("length(language) >= 2", name="language_code"),
    )


class Side(Base):
    __tablename__ = "sides"

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogues.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("dialogue_id", "name", name="uq_sides_dialogue_name"),
        UniqueConstraint("dialogue_id", "position", name="uq_sides_dialogue_position"),
        UniqueConstraint("id", "dialogue_id", name="uq_sides_id_dialogue"),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
    )


class Participant(Base):
    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogues.id", ondelete="CASCADE"))
    side_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    role: Mapped[str] = mapped_column(String(20), default="participant")
    display_name: Mapped[str | None] = mapped_column(String(80), nullable=True)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    simulated: Mapped[bool] = mapped_column(Boolean, default=False)
    # The translator duty: a facilitator gives it to members who translate the dialogue.
    translator: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    # An id the facilitator's list gives this person (like Polis's xid); never shown to others.
    external_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    invite_id: Mapped[int | None] = mapped_column(
        ForeignKey("invites.id", ondelete="SET NULL"), nullable=True
    )
    # A facilitator's own participant row (seed statements) belongs to their account.
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True
    )
    # Removed by the team: everything they did stays stored; analyses leave them out.
    removed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        # A participant's side belongs to the participant's dialogue.
        ForeignKeyConstraint(
            ["side_id", "dialogue_id"],
            ["sides.id", "sides.dialogue_id"],
            name="fk_participants_side_dialogue",
            ondelete="CASCADE",
        ),
        CheckConstraint(_in("role", ROLES), name="role_known"),
        CheckConstraint(
            "role IN ('facilitator', 'observer') OR side_id IS NOT NULL",
            name="side_unless_facilitator",
        ),
        UniqueConstraint("id", "dialogue_id", name="uq_participants_id_dialogue"),
        Index("ix_participants_side", "side_id"),
        Index(
            "uq_participants_external_id",
            "dialogue_id",
            "external_id",
            unique=True,
            sqlite_where=text("external_id IS NOT NULL"),
            postgresql_where=text("external_id IS NOT NULL"),
        ),
    )


class Invite(Base):
    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogues.id", ondelete="CASCADE"))
    side_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    role: Mapped[str] = mapped_column(String(20), default="participant")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # open: a side's reusable link; personal: single use, from the facilitator's list;
    # observer: read-only members of a side or of no side.
    kind: Mapped[str] = mapped_column(String(10), default="open", server_default="open")
    cap: Mapped[int | None] = mapped_column(Integer, nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(nullable=True)
    paused_at: Mapped[datetime | None] = mapped_column(nullable=True)
    external_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    display_name: Mapped[str | None] = mapped_column(String(80), nullable=True)
    used_at: Mapped[datetime | None] = mapped_column(nullable=True)

    __table_args__ = (
        ForeignKeyConstraint(
            ["side_id", "dialogue_id"],
            ["sides.id", "sides.dialogue_id"],
            name="fk_invites_side_dialogue",
            ondelete="CASCADE",
        ),
        CheckConstraint(_in("role", ("delegate", "participant", "observer")), name="role_known"),
        CheckConstraint("length(token_hash) = 64", name="token_hash_is_sha256"),
        CheckConstraint(_in("kind", INVITE_KINDS), name="kind_known"),
        CheckConstraint("cap IS NULL OR cap >= 1", name="cap_positive"),
        CheckConstraint("role = 'observer' OR side_id IS NOT NULL", name="side_unless_observer"),
        CheckConstraint("kind <> 'personal' OR external_id IS NOT NULL", name="personal_has_id"),
        Index(
            "uq_invites_external_id",
            "dialogue_id",
            "external_id",
            unique=True,
            sqlite_where=text("external_id IS NOT NULL AND revoked_at IS NULL"),
            postgresql_where=text("external_id IS NOT NULL AND revoked_at IS NULL"),
        ),
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


class Analysis(Base):
    """A versioned, reproducible result of an analysis with a fingerprint of its inputs."""

    __tablename__ = "analyses"

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogues.id", ondelete="CASCADE"))
    round_id: Mapped[int | None] = mapped_column(
        ForeignKey("rounds.id", ondelete="CASCADE"), nullable=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    fingerprint: Mapped[str] = mapped_column(String(64))
    engine_version: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("dialogue_id", "round_id", "kind", "version", name="uq_analyses_version"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("length(fingerprint) = 64", name="fingerprint_is_sha256"),
    )


class ReportVersion(Base):
    """A published round's report, frozen: what it showed, in every language, at publication.

    Version 1 is written when the round is published; the team may publish a new version
    deliberately. Earlier versions stay readable.
    """

    __tablename__ = "report_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    # {"analysis_version": int | None, "pages": {language: rendered report body}}
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    published_by_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("round_id", "version", name="uq_report_versions_round_version"),
        CheckConstraint("version >= 1", name="version_positive"),
    )


class Account(Base):
    """A facilitator's account: an email and an argon2 password hash."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (CheckConstraint("email LIKE '%_@_%'", name="email_shape"),)


class WebSession(Base):
    """A signed-in browser or API client: a participant's or a facilitator's; token hashed."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), nullable=True
    )
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)

    __table_args__ = (
        CheckConstraint(
            "(participant_id IS NULL) <> (account_id IS NULL)", name="participant_or_account"
        ),
        CheckConstraint("length(token_hash) = 64", name="token_hash_is_sha256"),
    )


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


class Job(Base):
    """Work done outside a request (an analysis, a translation), by a worker process.

    A job is queued, then running under a lease (``locked_by`` until ``locked_until``,
    extended while it runs), then done or failed; a failed attempt queues it again after a
    back-off until ``max_attempts``. At most one queued-or-running job per kind and
    ``dedupe_key``.
    """

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    dialogue_id: Mapped[int | None] = mapped_column(
        ForeignKey("dialogues.id", ondelete="CASCADE"), nullable=True
    )
    dedupe_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    state: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=5)
    run_after: Mapped[datetime] = mapped_column(default=utcnow)
    locked_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    locked_until: Mapped[datetime | None] = mapped_column(nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(nullable=True)

    __table_args__ = (
        CheckConstraint(_in("state", JOB_STATES), name="state_known"),
        CheckConstraint("length(kind) > 0", name="kind_not_empty"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        CheckConstraint("max_attempts >= 1", name="max_attempts_positive"),
        CheckConstraint(
            "state <> 'running' OR (locked_by IS NOT NULL AND locked_until IS NOT NULL)",
            name="running_has_lease",
        ),
        # At most one queued or running job per kind and key (finished ones do not count).
        Index(
            "uq_jobs_active_key",
            "kind",
            "dedupe_key",
            unique=True,
            sqlite_where=text(f"dedupe_key IS NOT NULL AND {JOB_ACTIVE}"),
            postgresql_where=text(f"dedupe_key IS NOT NULL AND {JOB_ACTIVE}"),
        ),
        Index("ix_jobs_due", "state", "run_after"),
        Index("ix_jobs_dialogue", "dialogue_id", "id"),
    )


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


class ModerationEvent(Base):
    """Every moderation, removal, restoration and duty given, with who, when and why."""

    __tablename__ = "moderation_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(
        ForeignKey("dialogues.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(24))
    item: Mapped[str | None] = mapped_column(String(24), nullable=True)
    item_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), nullable=True
    )
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True
    )
    by_participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), nullable=True
    )
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (CheckConstraint(_in("kind", MODERATION_EVENTS), name="kind_known"),)


class Flag(Base):
    """A participant asks the team to look at a statement, with a reason."""

    __tablename__ = "flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (CheckConstraint("length(reason) > 0", name="reason_not_empty"),)


class RateCounter(Base):
    """How often one key (an action by a participant, an address...) was used in its window.

    Written only by :mod:`alteram.service.ratelimit` with one conditional upsert per hit.
    """

    __tablename__ = "rate_counters"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    hits: Mapped[int] = mapped_column(Integer)
    window_ends_ms: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (
        CheckConstraint("hits >= 0", name="hits_not_negative"),
        Index("ix_rate_counters_window_ends", "window_ends_ms"),
    )


class RoundSummary(Base):
    """A round's summary in words: a draft to review, or the frozen text published with it.

    ``sentences`` holds each sentence with its sources (statements, figures) and the flags
    its checks found; ``edits`` who changed it and when. A published summary is never
    changed again (a new draft replaces it only when published in its turn).
    """

    __tablename__ = "round_summaries"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(16))
    origin: Mapped[str] = mapped_column(String(16))  # offline or model
    state: Mapped[str] = mapped_column(String(16), default="draft")
    sentences: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    model: Mapped[str | None] = mapped_column(String(200), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    requested_by: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True
    )
    edits: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(nullable=True)
    published_by: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True
    )

    __table_args__ = (
        CheckConstraint("origin IN ('offline', 'model')", name="origin_known"),
        CheckConstraint(
            "state IN ('pending', 'draft', 'failed', 'published', 'superseded')", name="state_known"
        ),
        Index("ix_round_summaries_round", "round_id", "state"),
    )


MOVE_NAMES = (
    "explain", "inquire", "acknowledge", "bridge",
    "demand", "pressure", "lecture", "accuse", "other",
)  # fmt: skip


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
