"""The rows of a round export beyond statements and votes: people, sides, definitions,
restatements, ratings, concerns, answers, marks, flags and moderation events.

Each section is a list of rows named by the table's own columns (``created_at``, ``side_id``
...), so the JSON document and the CSV files say what the database holds. Left out on
purpose: display names, external ids, invite and account links (personal data an export
that travels should not carry; a row keeps the participant's id, which is pseudonymous).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from alteram.store.schema import (
    Base,
    Concept,
    Concern,
    ConcernAnswer,
    ConcernMark,
    ConcernMemberMark,
    Definition,
    DefinitionVote,
    FairnessRating,
    Flag,
    ModerationEvent,
    Participant,
    Restatement,
    Round,
    RoundEvent,
    Side,
    Statement,
    Topic,
)

PRIVATE = {"display_name", "external_id", "invite_id", "account_id", "dialogue_id"}
# section name -> model, in the order an import writes them (references before referrers)
SECTIONS: dict[str, type[Base]] = {
    "sides": Side,
    "participants": Participant,
    "round_events": RoundEvent,
    "topics": Topic,
    "concepts": Concept,
    "definitions": Definition,
    "definition_ratings": DefinitionVote,
    "restatements": Restatement,
    "fairness_ratings": FairnessRating,
    "concerns": Concern,
    "concern_answers": ConcernAnswer,
    "concern_marks": ConcernMark,
    "concern_member_marks": ConcernMemberMark,
    "flags": Flag,
    "moderation_events": ModerationEvent,
}


def columns(model: type[Base]) -> list[str]:
    """The exported columns of ``model`` (its own, minus the private ones)."""
    keep = [c.key for c in model.__table__.columns if c.key not in PRIVATE]
    if model is ModerationEvent:
        keep.append("account_id")  # who moderated: the account's id, never its e-mail
    return keep


def _rows(session: Session, model: type[Base], where: Any) -> list[dict[str, Any]]:
    cols = columns(model)
    table = model.__table__
    return [
        {c: getattr(row, c) for c in cols}
        for row in session.scalars(select(model).where(where).order_by(table.c.id))
    ]


def _ids(rows: Iterable[dict[str, Any]]) -> list[int]:
    return [int(r["id"]) for r in rows]


def round_tables(session: Session, rnd: Round) -> dict[str, list[dict[str, Any]]]:
    """Every section of :data:`SECTIONS` for ``rnd`` (people and sides of its dialogue)."""
    d = rnd.dialogue_id
    out: dict[str, list[dict[str, Any]]] = {
        "sides": _rows(session, Side, Side.dialogue_id == d),
        "participants": _rows(session, Participant, Participant.dialogue_id == d),
        "round_events": _rows(session, RoundEvent, RoundEvent.round_id == rnd.id),
        "topics": _rows(session, Topic, Topic.round_id == rnd.id),
        "concepts": _rows(session, Concept, Concept.round_id == rnd.id),
    }
    out["definitions"] = _rows(
        session, Definition, Definition.concept_id.in_(_ids(out["concepts"]) or [-1])
    )
    definitions = _ids(out["definitions"]) or [-1]
    out["definition_ratings"] = _rows(
        session, DefinitionVote, DefinitionVote.definition_id.in_(definitions)
    )
    out["restatements"] = _rows(session, Restatement, Restatement.definition_id.in_(definitions))
    out["fairness_ratings"] = _rows(
        session,
        FairnessRating,
        FairnessRating.restatement_id.in_(_ids(out["restatements"]) or [-1]),
    )
    out["concern_answers"] = _rows(session, ConcernAnswer, ConcernAnswer.round_id == rnd.id)
    out["concern_marks"] = _rows(session, ConcernMark, ConcernMark.round_id == rnd.id)
    out["concern_member_marks"] = _rows(
        session, ConcernMemberMark, ConcernMemberMark.round_id == rnd.id
    )
    # the concerns raised in this round and those this round answered or marked
    touched = {
        r["concern_id"]
        for key in ("concern_answers", "concern_marks", "concern_member_marks")
        for r in out[key]
    }
    out["concerns"] = _rows(
        session,
        Concern,
        (Concern.dialogue_id == d)
        & or_(Concern.raised_in_round_id == rnd.id, Concern.id.in_(sorted(touched) or [-1])),
    )
    statements = list(session.scalars(select(Statement.id).where(Statement.round_id == rnd.id)))
    out["flags"] = _rows(session, Flag, Flag.statement_id.in_(statements or [-1]))
    out["moderation_events"] = _events(session, rnd, out, statements)
    return out


def _events(
    session: Session, rnd: Round, out: dict[str, list[dict[str, Any]]], statements: list[int]
) -> list[dict[str, Any]]:
    """The dialogue's moderation events about this round's texts, and those about people."""
    mine = {
        "statement": set(statements),
        "definition": set(_ids(out["definitions"])),
        "restatement": set(_ids(out["restatements"])),
        "concern": set(_ids(out["concerns"])),
        "answer": set(_ids(out["concern_answers"])),
        "topic": set(_ids(out["topics"])),
        "concept": set(_ids(out["concepts"])),
        "event": set(_ids(out["round_events"])),
        "round": {rnd.id},
    }
    kept = []
    for row in _rows(session, ModerationEvent, ModerationEvent.dialogue_id == rnd.dialogue_id):
        base = (row["item"] or "").split(".")[0]
        if base in mine and row["item_id"] not in mine[base]:
            continue  # another round's text
        kept.append(row)
    return kept
