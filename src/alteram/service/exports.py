"""Gathering a round's data for export (CSV and JSON, see :mod:`alteram.interop.exports`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from alteram.interop import exports
from alteram.service.analyses import latest_analysis
from alteram.service.lookup import get
from alteram.store.database import Store
from alteram.store.schema import Participant, Prediction, Round, Side, Statement, Vote


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
                    "moderation": st.moderation,
                    "move": st.move,
                    "move_confidence": st.move_confidence,
                    "at": st.created_at,
                    "agrees": values.count(1),
                    "disagrees": values.count(-1),
                }
            )
        predictions = [
            {
                "vote": p.vote_id,
                "statement": v.statement_id,
                "participant": v.participant_id,
                "side": names.get(side_of.get(v.participant_id) or -1, ""),
                "target_side": names.get(p.target_side_id, ""),
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
        head = {
            "round_id": rnd.id,
            "dialogue_id": rnd.dialogue_id,
            "number": rnd.number,
            "title": rnd.title,
            "state": rnd.state,
        }
    analysis = latest_analysis(store, round_id=round_id)
    return {
        **head,
        "statements": statements,
        "votes": votes,
        "predictions": predictions,
        "analysis": None
        if analysis is None
        else {
            "version": analysis.version,
            "fingerprint": analysis.fingerprint,
            "result": {k: v for k, v in analysis.result.items() if k != "map_svg"},
        },
    }


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
    """File name -> CSV text: votes.csv, comments.csv (Polis columns first), predictions.csv."""
    return {
        "votes.csv": exports.votes_csv(data["votes"]),
        "comments.csv": exports.comments_csv(data["statements"]),
        "predictions.csv": exports.predictions_csv(data["predictions"]),
    }
