"""Facilitator accounts, web sessions and rate-limit counters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from alteram.store.schema.base import Base, utcnow


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
