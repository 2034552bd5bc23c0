"""What alteram computes and publishes: analyses, frozen reports, summaries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from alteram.store.schema.base import Base, utcnow


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
