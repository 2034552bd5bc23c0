"""Loading a Polis export into the store as a dialogue (one side, one closed round).

Polis knows no sides, so every imported participant belongs to one side named after the
conversation's participants; statements keep their moderation (-1 rejected, 1 accepted,
0 pending), votes keep their order and time. The dialogue's charter names the source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert

from alteram.interop.polis import PolisExport
from alteram.moves import detect_language
from alteram.service import side_counts
from alteram.store.database import Store
from alteram.store.schema import (
    Dialogue,
    Participant,
    Round,
    RoundEvent,
    Side,
    Statement,
    Vote,
    utcnow,
)

BATCH = 20_000
_MODERATION = {-1: "rejected", 0: "pending", 1: "accepted"}


@dataclass(frozen=True)
class Imported:
    dialogue_id: int
    round_id: int
    participants: int
    statements: int
    votes: int
    # the file's ids -> the new ones, by table ("participants", "statements")
    mapping: dict[str, dict[int, int]] = field(default_factory=dict)


def import_polis(
    store: Store,
    export: PolisExport,
    *,
    source: Path,
    progress: Callable[[int, int], None] | None = None,
) -> Imported:
    """Write ``export`` into ``store`` in one transaction; ``progress(done, total)`` on votes."""
    topic = export.summary.get("topic") or source.name
    description = export.summary.get("conversation-description", "")
    url = export.summary.get("url", "")
    charter = "\n\n".join(
        part
        for part in (
            description,
            f"Imported from the Polis export {source.name}"
            + (f" ({url})" if url else "")
            + ". Polis open data is published under CC BY 4.0 by The Computational "
            "Democracy Project.",
        )
        if part
    )
    votes = export.votes.sort_values("time", kind="stable")
    comments = export.comments
    people = sorted(
        set(int(p) for p in votes["participant"])
        | {int(a) for a in comments.get("author", []) if a is not None and a == a}
    )
    with store.write() as session:
        dialogue = Dialogue(title=topic[:200], charter=charter)
        session.add(dialogue)
        session.flush()
        side = Side(dialogue_id=dialogue.id, name="Polis participants", position=0)
        session.add(side)
        session.flush()
        rnd = Round(
            dialogue_id=dialogue.id,
            number=1,
            title=topic[:200],
            state="closed",
            moderation="post",
            published_at=utcnow(),
        )
        session.add(rnd)
        session.flush()
        session.add_all(
            [RoundEvent(round_id=rnd.id, kind="opened"), RoundEvent(round_id=rnd.id, kind="closed")]
        )
        importer = Participant(
            dialogue_id=dialogue.id, role="facilitator", display_name="Polis import"
        )
        session.add(importer)
        session.flush()
        ids = (
            list(
                session.scalars(
                    insert(Participant).returning(Participant.id, sort_by_parameter_order=True),
                    [
                        {
                            "dialogue_id": dialogue.id,
                            "side_id": side.id,
                            "role": "participant",
                            "display_name": f"Polis participant {p}",
                            "anonymous": True,
                        }
                        for p in people
                    ],
                )
            )
            if people
            else []
        )
        person = dict(zip(people, ids, strict=True))
        statement: dict[int, int] = {}
        rows = []
        order = []
        for rec in comments.itertuples(index=False):
            author = getattr(rec, "author", None)
            text = str(getattr(rec, "text", "") or "").strip() or f"(Polis comment {rec.statement})"
            order.append(int(rec.statement))
            rows.append(
                {
                    "dialogue_id": dialogue.id,
                    "round_id": rnd.id,
                    "author_id": person.get(int(author), importer.id)
                    if author is not None and author == author
                    else importer.id,
                    "side_id": side.id if author is not None and author == author else None,
                    "text": text,
                    "language": detect_language(text),
                    "moderation": _MODERATION.get(int(rec.moderated), "pending"),
                }
            )
        missing = sorted(set(int(s) for s in votes["statement"]) - set(order))
        for sid in missing:  # votes on comments the export does not list
            order.append(sid)
            rows.append(
                {
                    "dialogue_id": dialogue.id,
                    "round_id": rnd.id,
                    "author_id": importer.id,
                    "side_id": None,
                    "text": f"(Polis comment {sid})",
                    "language": "und",
                    "moderation": "accepted",
                }
            )
        if rows:
            new = session.scalars(
                insert(Statement).returning(Statement.id, sort_by_parameter_order=True), rows
            ).all()
            statement = dict(zip(order, new, strict=True))
        total = len(votes)
        records = zip(
            votes["participant"], votes["statement"], votes["vote"], votes["time"], strict=True
        )
        batch: list[dict[str, object]] = []
        done = 0
        for p, s, v, t in records:
            batch.append(
                {
                    "statement_id": statement[int(s)],
                    "participant_id": person[int(p)],
                    "value": int(v),
                    "created_at": datetime.fromtimestamp(float(t) / 1000, UTC) if t else utcnow(),
                }
            )
            if len(batch) >= BATCH:
                session.execute(insert(Vote), batch)
                done += len(batch)
                batch = []
                if progress:
                    progress(done, total)
        if batch:
            session.execute(insert(Vote), batch)
            done += len(batch)
        if progress:
            progress(done, total)
        side_counts.recount(session, round_ids=[rnd.id])
        mapping = {"participants": person, "statements": statement}
        return Imported(dialogue.id, rnd.id, len(people), len(rows), done, mapping)
