"""Dialogues, their facilitation teams, languages, sides, invites and participants."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from alteram.store.schema.base import Base, BigId, _in, utcnow
from alteram.store.schema.vocabulary import (
    INVITE_KINDS,
    MAX_GROUPS_ALLOWED,
    ROLES,
    TEAM_ROLES,
    VISIBILITIES,
)


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
