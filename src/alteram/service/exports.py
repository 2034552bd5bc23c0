"""Gathering a round's data for export (CSV and JSON, see :mod:`alteram.interop.exports`).

The JSON document follows the published schema ``alteram/interop/data/export.schema.json``
(served at ``/api/export-schema.json``); :func:`as_csv` writes the same data as CSV files,
the Polis set (``summary.csv``, ``comments.csv``, ``votes.csv``, ``participants-votes.csv``)
among them. Ids are alteram's own, never renumbered.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alteram.interop import exports, polis_export
from alteram.service.analyses import latest_analysis
from alteram.service.export_tables import SECTIONS, columns, round_tables
from alteram.service.lookup import get
from alteram.service.move_corrections import corrections_of
from alteram.service.shown import faithfulness
from alteram.service.translation_queue import round_texts
from alteram.store.database import Store
from alteram.store.schema import (
    Dialogue,
    Participant,
    Prediction,
    Round,
    Side,
    Statement,
    Translation,
    TranslationReview,
    Vote,
)


def round_data(store: Store, *, round_id: int) -> dict[str, Any]:
    """The round's statements, every vote row, every prediction and the latest analysis."""
    with store.read() as session:
        rnd = get(session, Round, round_id)
        names = {
            s.id: s.name
            for s in session.scalars(select(Side).where(Side.dialogue_id == rnd.dialogue_id))
        }
        side_of = dict(
            session.execute(
                select(Participant.id, Participant.side_id).where(
                    Participant.dialogue_id == rnd.dialogue_id
                )
            ).all()
        )
        votes: list[dict[str, Any]] = [
            {
                "id": v.id,
                "statement": v.statement_id,
                "participant": v.participant_id,
                "value": v.value,
                "at": v.created_at,
                "side": names.get(side_of.get(v.participant_id) or -1, ""),
                "side_id": side_of.get(v.participant_id),
                "shown_translation": v.shown_translation_id,
            }
            for v in session.scalars(
                select(Vote)
                .join(Statement, Statement.id == Vote.statement_id)
                .where(Statement.round_id == rnd.id)
                .order_by(Vote.id)
            )
        ]
        latest: dict[tuple[int, int], int] = {}
        for v in votes:
            latest[(v["participant"], v["statement"])] = v["value"]
        statements = []
        for st in session.scalars(
            select(Statement).where(Statement.round_id == rnd.id).order_by(Statement.id)
        ):
            values = [val for (_, s), val in latest.items() if s == st.id]
            statements.append(
                {
                    "id": st.id,
                    "author": st.author_id,
                    "text": st.text,
                    "language": st.language,
                    "side": names.get(st.side_id or -1, ""),
                    "side_id": st.side_id,
                    "topic_id": st.topic_id,
                    "seeded": st.seeded,
                    "moderation": st.moderation,
                    "moderation_reason": st.moderation_reason,
                    "move": st.move,
                    "move_confidence": st.move_confidence,
                    "at": st.created_at,
                    "agrees": values.count(1),
                    "disagrees": values.count(-1),
                }
            )
        predictions = [
            {
                "id": p.id,
                "vote": p.vote_id,
                "statement": v.statement_id,
                "participant": v.participant_id,
                "side": names.get(side_of.get(v.participant_id) or -1, ""),
                "target_side": names.get(p.target_side_id, ""),
                "target_side_id": p.target_side_id,
                "share": p.share,
            }
            for p, v in session.execute(
                select(Prediction, Vote)
                .join(Vote, Vote.id == Prediction.vote_id)
                .join(Statement, Statement.id == Vote.statement_id)
                .where(Statement.round_id == rnd.id)
                .order_by(Prediction.id)
            ).all()
        ]
        translations = _translations(session, rnd)
        dialogue = get(session, Dialogue, rnd.dialogue_id)
        texts: dict[int, dict[str, Any]] = {int(str(s["id"])): s for s in statements}
        move_corrections = [
            {
                "statement": c.statement_id,
                "language": texts[c.statement_id]["language"],
                "text": texts[c.statement_id]["text"],
                "original_move": c.original_move,
                "original_confidence": c.original_confidence,
                "move": c.move,
                # exports carry no account's email: who corrected is the team or the CLI
                "corrected_by": "administrator"
                if c.corrected_by == "administrator"
                else "facilitation team",
                "at": c.at,
                "count": c.count,
            }
            for c in corrections_of(session, list(texts)).values()
        ]
        head = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "round_id": rnd.id,
            "dialogue_id": rnd.dialogue_id,
            "number": rnd.number,
            "title": rnd.title,
            "state": rnd.state,
            "moderation_mode": rnd.moderation,
            "published_at": rnd.published_at,
            "created_at": rnd.created_at,
            "dialogue": {
                "id": dialogue.id,
                "title": dialogue.title,
                "charter": dialogue.charter,
                "simulated": dialogue.simulated,
            },
        }
        tables = round_tables(session, rnd)
    analysis = latest_analysis(store, round_id=round_id)
    groups = (
        {}
        if analysis is None
        else {p["id"]: p["group"] for p in analysis.result.get("participants", [])}
    )
    for person in tables["participants"]:
        person["group"] = groups.get(person["id"])  # the opinion group, None when unclustered
    return {
        **head,
        **tables,
        "statements": statements,
        "votes": votes,
        "predictions": predictions,
        "translations": translations,
        "move_corrections": move_corrections,
        "analysis": None
        if analysis is None
        else {
            "version": analysis.version,
            "fingerprint": analysis.fingerprint,
            "result": {k: v for k, v in analysis.result.items() if k != "map_svg"},
        },
    }


FORMAT = "alteram-round-export"
FORMAT_VERSION = 1
POLIS_FILES = ("summary.csv", "comments.csv", "votes.csv", "participants-votes.csv")
CSV_FILES = (
    *POLIS_FILES,
    "predictions.csv",
    "translations.csv",
    "translation-reviews.csv",
    "moves-corrections.csv",
    *(name.replace("_", "-") + ".csv" for name in SECTIONS),
)


def as_json(data: dict[str, Any]) -> dict[str, Any]:
    """``round_data`` with timestamps as ISO strings."""

    def fix(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: fix(v) for k, v in value.items()}
        if isinstance(value, list):
            return [fix(v) for v in value]
        return value

    result: dict[str, Any] = fix(data)
    return result


def as_csv(data: dict[str, Any]) -> dict[str, str]:
    """File name -> CSV text: the Polis set (Polis columns first, then alteram's), the
    predictions and translations, and one file per section of :data:`SECTIONS`."""
    files = {
        "summary.csv": polis_export.summary_csv(data),
        "comments.csv": exports.comments_csv(data["statements"]),
        "votes.csv": exports.votes_csv(data["votes"]),
        "participants-votes.csv": polis_export.participants_votes_csv(data),
        "predictions.csv": exports.predictions_csv(data["predictions"]),
        "translations.csv": exports.translations_csv(data["translations"]),
        "translation-reviews.csv": exports.reviews_csv(data["translations"]),
        "moves-corrections.csv": exports.move_corrections_csv(data["move_corrections"]),
    }
    for name, model in SECTIONS.items():
        cols = columns(model) + (["group"] if name == "participants" else [])
        files[name.replace("_", "-") + ".csv"] = exports.table_csv(cols, data[name])
    return files


def _translations(session: Session, rnd: Round) -> list[dict[str, Any]]:
    """Every translation of the round's texts (the dialogue's own included), with its marks."""
    keys = {(t.item, t.item_id): t for t in round_texts(session, rnd)}
    rows = [
        t
        for t in session.scalars(
            select(Translation)
            .where(Translation.dialogue_id == rnd.dialogue_id)
            .order_by(Translation.id)
        )
        if (t.item, t.item_id) in keys
    ]
    current: dict[tuple[str, int, str], int] = {}
    by_id: dict[int, Translation] = {}
    for t in rows:
        if t.source_hash != keys[(t.item, t.item_id)].source_hash:
            continue
        key = (t.item, t.item_id, t.language)
        held = current.get(key)
        by_id[t.id] = t
        if held is None or t.kind != "machine" or by_id[held].kind == "machine":
            current[key] = t.id
    standing = faithfulness(session, [t.id for t in rows])
    reviews: dict[int, list[dict[str, Any]]] = {}
    ids = [t.id for t in rows]
    for start in range(0, len(ids), 500):
        for r in session.scalars(
            select(TranslationReview)
            .where(TranslationReview.translation_id.in_(ids[start : start + 500]))
            .order_by(TranslationReview.id)
        ):
            reviews.setdefault(r.translation_id, []).append(
                {
                    "id": r.id,
                    "participant": r.participant_id,
                    "faithful": r.faithful,
                    "better_wording": r.better_wording,
                    "at": r.created_at,
                }
            )
    currents = set(current.values())
    return [
        {
            "id": t.id,
            "item": t.item,
            "item_id": t.item_id,
            "language": t.language,
            "text": t.text,
            "kind": t.kind,
            "participant": t.participant_id,
            "account": t.account_id,
            "at": t.created_at,
            "source_hash": t.source_hash,
            "current": t.id in currents,
            "faithfulness": standing.get(t.id, "unreviewed"),
            "reviews": reviews.get(t.id, []),
        }
        for t in rows
    ]
