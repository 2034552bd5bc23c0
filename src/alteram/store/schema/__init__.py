"""The relational schema: one table per concept of DESIGN.md §2.

Rules live in the database as well as in code: foreign keys, checks on value ranges and
states, uniqueness, and (in the migrations) triggers that keep votes append-only.
"""

from __future__ import annotations

from alteram.store.schema.accounts import (
    Account,
    RateCounter,
    WebSession,
)
from alteram.store.schema.base import Base, BigId, UTCDateTime, utcnow
from alteram.store.schema.dialogues import (
    Dialogue,
    DialogueLanguage,
    Invite,
    Participant,
    Side,
    TeamMember,
)
from alteram.store.schema.jobs import (
    Job,
)
from alteram.store.schema.moderation import (
    Flag,
    ModerationEvent,
)
from alteram.store.schema.results import (
    Analysis,
    ReportVersion,
    RoundSummary,
)
from alteram.store.schema.rounds import (
    FeedbackView,
    Round,
    RoundEvent,
    Topic,
)
from alteram.store.schema.texts import (
    TextEdit,
    Translation,
    TranslationReview,
)
from alteram.store.schema.understanding import (
    Concept,
    Concern,
    ConcernAnswer,
    ConcernMark,
    ConcernMemberMark,
    Definition,
    DefinitionVote,
    FairnessRating,
    Restatement,
)
from alteram.store.schema.vocabulary import (
    CONCERN_STATES,
    DECIDERS,
    FAIRNESS,
    FEEDBACK_MOMENTS,
    INVITE_KINDS,
    JOB_ACTIVE,
    JOB_STATES,
    MAX_GROUPS_ALLOWED,
    MEMBER_MARKS,
    MODERATION_EVENTS,
    MODERATION_MODES,
    MODERATION_STATES,
    MOVE_NAMES,
    ROLES,
    ROUND_EVENTS,
    ROUND_STATES,
    TEAM_ROLES,
    TRANSLATABLE,
    TRANSLATION_KINDS,
    VISIBILITIES,
)
from alteram.store.schema.votes import (
    LiveVersion,
    MoveCorrection,
    Prediction,
    Statement,
    StatementSideCount,
    Vote,
)

__all__ = [
    "CONCERN_STATES",
    "DECIDERS",
    "FAIRNESS",
    "FEEDBACK_MOMENTS",
    "INVITE_KINDS",
    "JOB_ACTIVE",
    "JOB_STATES",
    "MAX_GROUPS_ALLOWED",
    "MEMBER_MARKS",
    "MODERATION_EVENTS",
    "MODERATION_MODES",
    "MODERATION_STATES",
    "MOVE_NAMES",
    "ROLES",
    "ROUND_EVENTS",
    "ROUND_STATES",
    "TEAM_ROLES",
    "TRANSLATABLE",
    "TRANSLATION_KINDS",
    "VISIBILITIES",
    "Account",
    "Analysis",
    "Base",
    "BigId",
    "Concept",
    "Concern",
    "ConcernAnswer",
    "ConcernMark",
    "ConcernMemberMark",
    "Definition",
    "DefinitionVote",
    "Dialogue",
    "DialogueLanguage",
    "FairnessRating",
    "FeedbackView",
    "Flag",
    "Invite",
    "Job",
    "LiveVersion",
    "ModerationEvent",
    "MoveCorrection",
    "Participant",
    "Prediction",
    "RateCounter",
    "ReportVersion",
    "Restatement",
    "Round",
    "RoundEvent",
    "RoundSummary",
    "Side",
    "Statement",
    "StatementSideCount",
    "TeamMember",
    "TextEdit",
    "Topic",
    "Translation",
    "TranslationReview",
    "UTCDateTime",
    "Vote",
    "WebSession",
    "utcnow",
]
