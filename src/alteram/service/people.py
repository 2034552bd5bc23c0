"""The members of a dialogue as its team sees them; removing, restoring, delegates.

Removing a participant deletes nothing: their votes, statements and predictions stay in the
store, analyses leave them out from then on (:func:`alteram.service.analyses.round_inputs`),
and their sessions stop working (:mod:`alteram.service.people_state`). Restoring undoes it.
Each change is an event of the moderation log, with who, when and why.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alteram.errors import N_, Conflict, InvalidInput
from alteram.service import side_counts
from alteram.service.access import Actor, access_to, dialogue_access
from alteram.service.events import record
from alteram.service.invites import refuse_archived
from alteram.service.joining import when
from alteram.service.textcheck import LIMITS, optional
from alteram.store.database import Store
from alteram.store.schema import Analysis, Invite, Participant, Round, Side, Statement, Vote, utcnow

MAX_REASON = LIMITS["reason"].high


@dataclass(frozen=True)
class Mark:
    """An implausible voting pattern the analysis of one round found (for review)."""

    round_id: int
    round_number: int
    reasons: list[str]
    n_votes: int
    burst_seconds: float | None


@dataclass(frozen=True)
class Member:
    id: int
    display_name: str | None
    anonymous: bool
    side_id: int | None
    side_name: str | None
    role: str
    translator: bool
    joined_at: datetime
    invite_id: int | None
    invite_kind: str | None
    external_id: str | None
    votes: int
    statements: int
    removed_at: datetime | None
    marks: list[Mark] = field(default_factory=list)

    @property
    def removed(self) -> bool:
        return self.removed_at is not None


def members(store: Store, *, actor: Actor, dialogue_id: int) -> list[Member]:
    """Every member of the dialogue by side (in the sides' order), then observers of no side."""
    with store.read() as session:
        dialogue_access(session, actor, dialogue_id, need="team")
        sides = {
            s.id: (s.position, s.name)
            for s in session.scalars(select(Side).where(Side.dialogue_id == dialogue_id))
        }
        votes = dict(
            session.execute(
                select(Vote.participant_id, func.count(Vote.id))
                .join(Participant, Participant.id == Vote.participant_id)
                .where(Participant.dialogue_id == dialogue_id)
                .group_by(Vote.participant_id)
            ).all()
        )
        written = dict(
            session.execute(
                select(Statement.author_id, func.count(Statement.id))
                .where(Statement.dialogue_id == dialogue_id)
                .group_by(Statement.author_id)
            ).all()
        )
        marks = implausible_marks(session, dialogue_id)
        rows = session.execute(
            select(Participant, Invite.kind)
            .outerjoin(Invite, Invite.id == Participant.invite_id)
            .where(Participant.dialogue_id == dialogue_id, Participant.role != "facilitator")
        ).all()
        found = [
            Member(
                p.id,
                p.display_name,
                p.anonymous,
                p.side_id,
                sides[p.side_id][1] if p.side_id in sides else None,
                p.role,
                p.translator,
                p.created_at,
                p.invite_id,
                kind,
                p.external_id,
                int(votes.get(p.id, 0)),
                int(written.get(p.id, 0)),
                p.removed_at,
                marks.get(p.id, []),
            )
            for p, kind in rows
        ]
        last = len(sides)
        return sorted(
            found, key=lambda m: (sides[m.side_id][0] if m.side_id in sides else last, m.id)
        )


def implausible_marks(session: Session, dialogue_id: int) -> dict[int, list[Mark]]:
    """Participant -> the marks of the latest analysis of each round of the dialogue."""
    newest = (
        select(Analysis.round_id, func.max(Analysis.version).label("version"))
        .where(Analysis.dialogue_id == dialogue_id, Analysis.kind == "round")
        .group_by(Analysis.round_id)
        .subquery()
    )
    rows = session.execute(
        select(Round.id, Round.number, Analysis.result["implausible"])
        .join(newest, (newest.c.round_id == Analysis.round_id))
        .join(Round, Round.id == Analysis.round_id)
        .where(Analysis.kind == "round", Analysis.version == newest.c.version)
        .order_by(Round.number)
    ).all()
    found: dict[int, list[Mark]] = defaultdict(list)
    for round_id, number, marked in rows:
        for m in _marks(marked):
            found[int(m["participant"])].append(
                Mark(
                    round_id,
                    number,
                    list(m.get("reasons", [])),
                    int(m.get("n_votes", 0)),
                    m.get("burst_seconds"),
                )
            )
    return dict(found)


def _marks(value: Any) -> list[dict[str, Any]]:
    return [m for m in value if isinstance(m, dict)] if isinstance(value, list) else []


def _reason(reason: str | None, *, required: bool) -> str | None:
    why = optional(reason, "reason")  # NFC, no NUL or lone surrogates, at most 500 characters
    if why is None and required:
        raise InvalidInput(
            N_("say why: the reason is kept in the moderation log."),
            hint=N_("Give a short reason, e.g. 'joined twice' or 'asked to leave'."),
        )
    return why


def _member(session: Session, actor: Actor, participant_id: int) -> Participant:
    refuse_archived(access_to(session, actor, "participant", participant_id, need="team"))
    person = session.get(Participant, participant_id, with_for_update=True)
    assert person is not None
    if person.role == "facilitator":
        raise Conflict(
            N_("participant %(id)s is a facilitator's own row, not a member of a side."),
            params={"id": person.id},
        )
    return person


def _recount(session: Session, dialogue_id: int) -> None:
    """Routing counts leave removed members out, as analyses do."""
    rounds = session.scalars(select(Round.id).where(Round.dialogue_id == dialogue_id))
    side_counts.recount(session, round_ids=list(rounds))


def remove_participant(store: Store, *, actor: Actor, participant_id: int, reason: str) -> None:
    """Remove a member (kept in the store; left out of analyses from now on)."""
    why = _reason(reason, required=True)
    with store.write() as session:
        person = _member(session, actor, participant_id)
        if person.removed_at is not None:
            raise Conflict(
                N_("participant %(id)s was already removed on %(date)s."),
                params={"id": person.id, "date": when(person.removed_at)},
                hint=N_("Restore them first if you want to remove them again."),
            )
        person.removed_at = utcnow()
        _log(session, actor, person, "participant_removed", why)
        _recount(session, person.dialogue_id)


def restore_participant(store: Store, *, actor: Actor, participant_id: int, reason: str) -> None:
    """Restore a removed member: their votes count again in the next analysis."""
    why = _reason(reason, required=True)
    with store.write() as session:
        person = _member(session, actor, participant_id)
        if person.removed_at is None:
            raise Conflict(
                N_("participant %(id)s is not removed; there is nothing to restore."),
                params={"id": person.id},
            )
        person.removed_at = None
        _log(session, actor, person, "participant_restored", why)
        _recount(session, person.dialogue_id)


def set_delegate(
    store: Store,
    *,
    actor: Actor,
    participant_id: int,
    delegate: bool,
    reason: str | None = None,
) -> None:
    """Make a member a delegate of their side, or take the role back."""
    why = _reason(reason, required=False)
    with store.write() as session:
        person = _member(session, actor, participant_id)
        if person.removed_at is not None:
            raise Conflict(
                N_("participant %(id)s was removed; restore them first."),
                params={"id": person.id},
            )
        if person.role == "observer":
            raise InvalidInput(
                N_("an observer reads the dialogue and cannot be a delegate."),
                hint=N_("Delegates are members of a side; invite them by their side's link."),
            )
        if delegate == (person.role == "delegate"):
            raise Conflict(
                N_("participant %(id)s is a delegate already.")
                if delegate
                else N_("participant %(id)s is not a delegate."),
                params={"id": person.id},
            )
        person.role = "delegate" if delegate else "participant"
        _log(session, actor, person, "delegate_given" if delegate else "delegate_taken", why)


def _log(session: Session, actor: Actor, person: Participant, kind: str, why: str | None) -> None:
    record(
        session,
        dialogue_id=person.dialogue_id,
        kind=kind,
        actor=actor,
        participant_id=person.id,
        item="participant",
        item_id=person.id,
        reason=why,
    )
