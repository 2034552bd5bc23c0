"""Facilitators write too: seed statements for a side, or as the facilitation team.

A seed statement is written by the facilitator's own participant row in the dialogue (made
on first use, of no side), marked ``seeded``, accepted at once and shown first when people
vote. A CSV of seeds (columns ``text`` and optionally ``side``) is read whole before anything
is stored: a bad row refuses the file, naming the line and the column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from alteram.errors import N_, InvalidInput
from alteram.moves import detect_language
from alteram.service import live
from alteram.service.access import Actor, access_to, check_writable
from alteram.service.machine_translation import request_translations
from alteram.service.moves import assess
from alteram.service.participation import MAX_STATEMENT_LENGTH
from alteram.service.texts import Original
from alteram.store.database import Store
from alteram.store.schema import Participant, Round, Side, Statement

MAX_SEEDS = 500


def facilitator_member(session: Session, dialogue_id: int, account_id: int | None) -> int:
    """The facilitator's participant row in the dialogue (made on first use)."""
    found = session.scalar(
        select(Participant.id).where(
            Participant.dialogue_id == dialogue_id,
            Participant.role == "facilitator",
            Participant.account_id == account_id,
        )
    )
    if found is not None:
        return int(found)
    person = Participant(
        dialogue_id=dialogue_id,
        role="facilitator",
        account_id=account_id,
        display_name=None,
    )
    session.add(person)
    session.flush()
    return person.id


def _clean(text: str) -> str:
    body = " ".join(text.split())
    if not body or len(body) > MAX_STATEMENT_LENGTH:
        raise InvalidInput(
            N_("a statement has 1 to %(limit)s characters; this one has %(length)s."),
            params={"limit": MAX_STATEMENT_LENGTH, "length": len(body)},
        )
    return body


def seed_statements(
    store: Store, *, actor: Actor, round_id: int, seeds: Sequence[tuple[str, int | None]]
) -> list[int]:
    """Add the team's seed statements (text, side id or None for the team) to a round."""
    if not seeds or len(seeds) > MAX_SEEDS:
        raise InvalidInput(
            N_("give 1 to %(limit)s seed statements (got %(count)s)."),
            params={"limit": MAX_SEEDS, "count": len(seeds)},
        )
    bodies = [(_clean(t), side) for t, side in seeds]
    moves = {body: assess(body) for body, _ in bodies}
    with store.write() as session:
        access = access_to(session, actor, "round", round_id, need="team")
        check_writable(access)
        rnd = session.get(Round, round_id)
        assert rnd is not None
        sides = set(session.scalars(select(Side.id).where(Side.dialogue_id == rnd.dialogue_id)))
        author = facilitator_member(session, rnd.dialogue_id, actor.account_id)
        ids = []
        for body, side in bodies:
            if side is not None and side not in sides:
                raise InvalidInput(
                    N_("side %(side)s is not a side of this dialogue."), params={"side": side}
                )
            move = moves[body]
            row = Statement(
                dialogue_id=rnd.dialogue_id,
                round_id=rnd.id,
                author_id=author,
                side_id=side,
                text=body,
                language=detect_language(body),
                moderation="accepted",
                seeded=True,
                move=move.move if move else None,
                move_confidence=move.confidence if move else None,
            )
            session.add(row)
            session.flush()
            request_translations(
                session,
                Original("statement.text", row.id, rnd.dialogue_id, body, row.language, rnd.id),
            )
            ids.append(row.id)
        live.bump(session, rnd.id)
        return ids


def read_seeds_csv(data: str, side_ids: dict[str, int]) -> list[tuple[str, int | None]]:
    """Seeds from a CSV (``text``, optional ``side`` by name); the whole file or nothing."""
    reader = csv.DictReader(io.StringIO(data))
    if reader.fieldnames is None or "text" not in reader.fieldnames:
        raise InvalidInput(
            N_("the seed file needs a header line with a 'text' column (and optionally 'side')."),
        )
    by_name = {name.casefold(): sid for name, sid in side_ids.items()}
    seeds = []
    for row in reader:
        line = reader.line_num
        text = (row.get("text") or "").strip()
        if not text:
            raise InvalidInput(
                N_("line %(line)s, column text: a seed statement cannot be empty."),
                params={"line": line},
            )
        if len(" ".join(text.split())) > MAX_STATEMENT_LENGTH:
            raise InvalidInput(
                N_("line %(line)s, column text: at most %(limit)s characters."),
                params={"line": line, "limit": MAX_STATEMENT_LENGTH},
            )
        side = (row.get("side") or "").strip()
        if side and side.casefold() not in by_name:
            raise InvalidInput(
                N_("line %(line)s, column side: %(side)r is not a side of this dialogue."),
                params={"line": line, "side": side},
                hint=N_("Leave it empty for a statement of the facilitation team."),
            )
        seeds.append((text, by_name[side.casefold()] if side else None))
    if not seeds:
        raise InvalidInput(N_("the seed file has no statements."))
    return seeds
