"""Wide ids: every id and reference to one is BIGINT on PostgreSQL.

Rows of votes, predictions and sessions can pass 2^31 in a national dialogue, and an id of
2^31 or more in a request must be an unknown id (404), never an overflow. SQLite's INTEGER
is already 64-bit (and a primary key stays the table's rowid), so only PostgreSQL changes,
sequences included.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 05:40:00
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

COLUMNS: dict[str, tuple[str, ...]] = {
    "accounts": ("id",),
    "dialogues": ("id",),
    "rounds": ("id", "dialogue_id"),
    "sides": ("id", "dialogue_id"),
    "analyses": ("id", "dialogue_id", "round_id"),
    "concepts": ("id", "round_id"),
    "invites": ("id", "dialogue_id", "side_id"),
    "participants": ("id", "dialogue_id", "side_id"),
    "round_events": ("id", "round_id"),
    "topics": ("id", "round_id"),
    "concerns": ("id", "dialogue_id", "raised_in_round_id", "side_id", "author_id"),
    "definitions": ("id", "concept_id", "side_id", "author_id"),
    "statements": ("id", "dialogue_id", "round_id", "topic_id", "author_id", "side_id"),
    "web_sessions": ("id", "participant_id", "account_id"),
    "concern_answers": ("id", "concern_id", "round_id", "side_id", "author_id"),
    "concern_marks": ("id", "concern_id", "round_id", "side_id"),
    "definition_votes": ("id", "definition_id", "participant_id"),
    "restatements": ("id", "definition_id", "author_id", "side_id"),
    "votes": ("id", "statement_id", "participant_id"),
    "fairness_ratings": ("id", "restatement_id", "rater_id"),
    "predictions": ("id", "vote_id", "target_side_id"),
}


def _retype(kind: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, columns in COLUMNS.items():
        changes = ", ".join(f"ALTER COLUMN {c} TYPE {kind}" for c in columns)
        op.execute(f"ALTER TABLE {table} {changes}")
        op.execute(f"ALTER SEQUENCE IF EXISTS {table}_id_seq AS {kind}")


def upgrade() -> None:
    _retype("BIGINT")


def downgrade() -> None:
    _retype("INTEGER")
