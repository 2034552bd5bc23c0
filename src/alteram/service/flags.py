"""Participants flag a statement for the team, with a reason; the team's queue of flags.

A flag is open until the team decides on the statement after it (accepts or rejects it):
the queue lists statements with open flags, most flagged first, with every reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from alteram.errors import N_, Conflict, Forbidden, InvalidInput
from alteram.service.access import Actor, dialogue_access
from alteram.service.events import record
from alteram.service.lookup import get
from alteram.service.people_state import refuse_removed
from alteram.service.shown import Shown, TextReader
from alteram.service.textcheck import LIMITS, optional
from alteram.service.texts import language_of
from alteram.store.database import Store
from alteram.store.schema import Flag, ModerationEvent, Participant, Round, Side, Statement

MAX_REASON = LIMITS["reason"].high
FLAGGERS = ("participant", "delegate")
DECISIONS = ("statement_accepted", "statement_rejected")


def flag_statement(store: Store, *, participant_id: int, statement_id: int, reason: str) -> int:
    """A member flags a statement of their dialogue for the team; returns the flag's id."""
    why = optional(reason, "reason")  # NFC, no NUL or lone surrogates, at most 500 characters
    if why is None:
        raise InvalidInput(
            N_("a flag needs a reason the facilitators will read."),
            hint=N_("Say what is wrong with the statement."),
        )
    with store.write() as session:
        person = get(session, Participant, participant_id)
        refuse_removed(person)
        if person.role not in FLAGGERS:
            raise Forbidden(
                N_("a %(role)s reads the dialogue but does not flag statements."),
                terms={"role": person.role},
            )
        statement = get(session, Statement, statement_id, lock=True)
        if statement.dialogue_id != person.dialogue_id:
            raise Forbidden(N_("this statement belongs to another dialogue than yours."))
        if statement.moderation == "rejected":
            raise Conflict(
                N_("statement %(id)s was already rejected by the facilitators."),
                params={"id": statement.id},
            )
        earlier = session.scalar(
            select(Flag.at).where(
                Flag.statement_id == statement.id, Flag.participant_id == person.id
            )
        )
        if earlier is not None:
            raise Conflict(
                N_("you flagged statement %(id)s already; the facilitators have your reason."),
                params={"id": statement.id},
            )
        flag = Flag(statement_id=statement.id, participant_id=person.id, reason=why)
        session.add(flag)
        session.flush()
        record(
            session,
            dialogue_id=statement.dialogue_id,
            kind="flag_raised",
            by_participant_id=person.id,
            participant_id=statement.author_id,
            item="statement",
            item_id=statement.id,
            reason=why,
        )
        return flag.id


@dataclass(frozen=True)
class FlagReason:
    reason: str
    at: datetime


@dataclass(frozen=True)
class FlaggedStatement:
    id: int
    round_id: int
    round_number: int
    text: Shown
    side_name: str | None
    moderation: str
    flags: int
    reasons: list[FlagReason] = field(default_factory=list)


def flag_queue(
    store: Store, *, actor: Actor, dialogue_id: int, lang: str | None = None
) -> list[FlaggedStatement]:
    """Statements with flags raised since the team last decided on them, most flagged first."""
    with store.read() as session:
        dialogue_access(session, actor, dialogue_id, need="team")
        decided = dict(
            session.execute(
                select(ModerationEvent.item_id, func.max(ModerationEvent.at))
                .where(
                    ModerationEvent.dialogue_id == dialogue_id,
                    ModerationEvent.item == "statement",
                    ModerationEvent.kind.in_(DECISIONS),
                )
                .group_by(ModerationEvent.item_id)
            ).all()
        )
        rows = session.execute(
            select(Flag, Statement, Round.number, Side.name)
            .join(Statement, Statement.id == Flag.statement_id)
            .join(Round, Round.id == Statement.round_id)
            .outerjoin(Side, Side.id == Statement.side_id)
            .where(Statement.dialogue_id == dialogue_id)
            .order_by(Flag.id)
        ).all()
        reader = TextReader(session, dialogue_id, lang)
        found: dict[int, tuple[Statement, int, str | None, list[FlagReason]]] = {}
        for flag, st, number, side_name in rows:
            last = decided.get(st.id)
            if last is not None and flag.at <= last:
                continue
            found.setdefault(st.id, (st, number, side_name, []))[3].append(
                FlagReason(flag.reason, flag.at)
            )
        queue = [
            FlaggedStatement(
                st.id,
                st.round_id,
                number,
                reader.show("statement.text", st.id, st.text, language_of(st.text, st.language)),
                side_name,
                st.moderation,
                len(reasons),
                reasons,
            )
            for st, number, side_name, reasons in found.values()
        ]
        return sorted(queue, key=lambda q: (-q.flags, q.id))
