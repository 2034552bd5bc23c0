"""The closed vocabularies of the schema: roles, states, kinds, and which texts translate."""

from __future__ import annotations

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
MOVE_NAMES = (
    "explain", "inquire", "acknowledge", "bridge",
    "demand", "pressure", "lecture", "accuse", "other",
)  # fmt: skip
MAX_GROUPS_ALLOWED = 12  # the most opinion groups a facilitator may allow
