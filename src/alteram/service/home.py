"""A participant's view of their dialogue: where things stand and what they can do now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from alteram.service.lookup import get
from alteram.store.database import Store
from alteram.store.schema import (
    Dialogue,
    Participant,
    Round,
    RoundEvent,
    Side,
    Statement,
    Topic,
)


@dataclass(frozen=True)
class SideRef:
    id: int
    name: str


@dataclass(frozen=True)
class RoundRef:
    id: int
    number: int
    title: str
    state: str
    moderation: str
    topics: list[str]
    reason: str | None
    published: bool


@dataclass(frozen=True)
class OwnStatement:
    id: int
    round_number: int
    text: str
    moderation: str
    reason: str | None
    move: str | None
    created_at: datetime


@dataclass(frozen=True)
class Home:
    participant_id: int
    display_name: str | None
    anonymous: bool
    role: str
    dialogue_id: int
    title: str
    charter: str
    simulated: bool
    side: SideRef
    other_sides: list[SideRef]
    current: RoundRef | None
    rounds: list[RoundRef]
    statements: list[OwnStatement]


def participant_home(store: Store, *, participant_id: int) -> Home:
    """The participant's dialogue, side, current round and own statements."""
    with store.read() as session:
        person = get(session, Participant, participant_id)
        dialogue = get(session, Dialogue, person.dialogue_id)
        sides = session.scalars(
            select(Side).where(Side.dialogue_id == dialogue.id).order_by(Side.position)
        ).all()
        rounds = []
        for r in session.scalars(
            select(Round).where(Round.dialogue_id == dialogue.id).order_by(Round.number)
        ):
            topics = list(
                session.scalars(
                    select(Topic.prompt).where(Topic.round_id == r.id).order_by(Topic.position)
                )
            )
            reason = None
            if r.state == "suspended":
                reason = session.scalar(
                    select(RoundEvent.reason)
                    .where(RoundEvent.round_id == r.id, RoundEvent.kind == "suspended")
                    .order_by(RoundEvent.id.desc())
                    .limit(1)
                )
            rounds.append(
                RoundRef(
                    r.id,
                    r.number,
                    r.title,
                    r.state,
                    r.moderation,
                    topics,
                    reason,
                    r.published_at is not None,
                )
            )
        current = next((r for r in reversed(rounds) if r.state in ("open", "suspended")), None)
        numbers = {r.id: r.number for r in rounds}
        own = [
            OwnStatement(
                st.id,
                numbers.get(st.round_id, 0),
                st.text,
                st.moderation,
                st.moderation_reason,
                st.move,
                st.created_at,
            )
            for st in session.scalars(
                select(Statement).where(Statement.author_id == person.id).order_by(Statement.id)
            )
        ]
        side = next(s for s in sides if s.id == person.side_id)
        return Home(
            person.id,
            person.display_name,
            person.anonymous,
            person.role,
            dialogue.id,
            dialogue.title,
            dialogue.charter,
            dialogue.simulated,
            SideRef(side.id, side.name),
            [SideRef(s.id, s.name) for s in sides if s.id != side.id],
            current,
            rounds,
            own,
        )
