"""A participant's view of their dialogue: where things stand and what they can do now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from alteram.service.delegates import delegates_of
from alteram.service.lookup import get
from alteram.service.shown import Shown, TextReader
from alteram.service.texts import language_of
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
    shown: Shown | None = None


@dataclass(frozen=True)
class RoundRef:
    id: int
    number: int
    title: Shown
    state: str
    moderation: str
    topics: list[Shown]
    reason: Shown | None
    published: bool


@dataclass(frozen=True)
class OwnStatement:
    id: int
    round_number: int
    text: str
    language: str
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
    title: Shown
    charter: Shown
    simulated: bool
    side: SideRef
    other_sides: list[SideRef]
    current: RoundRef | None
    rounds: list[RoundRef]
    statements: list[OwnStatement]
    languages: list[str]
    reading: str
    machine_translation: bool
    translator: bool = False
    side_has_delegate: bool = False


def participant_home(store: Store, *, participant_id: int, lang: str | None = None) -> Home:
    """The participant's dialogue, side, current round and own statements.

    Texts are shown in the reader's language ``lang`` where a translation exists.
    """
    with store.read() as session:
        person = get(session, Participant, participant_id)
        dialogue = get(session, Dialogue, person.dialogue_id)
        reader = TextReader(session, dialogue.id, lang)

        def shown(item: str, i: int, text: str) -> Shown:
            return reader.show(item, i, text, language_of(text))

        sides = session.scalars(
            select(Side).where(Side.dialogue_id == dialogue.id).order_by(Side.position)
        ).all()
        rounds = []
        for r in session.scalars(
            select(Round).where(Round.dialogue_id == dialogue.id).order_by(Round.number)
        ):
            topics = [
                shown("topic.prompt", t.id, t.prompt)
                for t in session.scalars(
                    select(Topic).where(Topic.round_id == r.id).order_by(Topic.position)
                )
            ]
            reason = None
            if r.state == "suspended":
                event = session.scalar(
                    select(RoundEvent)
                    .where(RoundEvent.round_id == r.id, RoundEvent.kind == "suspended")
                    .order_by(RoundEvent.id.desc())
                    .limit(1)
                )
                if event is not None and event.reason:
                    reason = shown("event.reason", event.id, event.reason)
            rounds.append(
                RoundRef(
                    r.id,
                    r.number,
                    shown("round.title", r.id, r.title),
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
                st.language,
                st.moderation,
                st.moderation_reason,
                st.move,
                st.created_at,
            )
            for st in session.scalars(
                select(Statement).where(Statement.author_id == person.id).order_by(Statement.id)
            )
        ]
        refs = {}
        for s in sides:
            name = shown("side.name", s.id, s.name)
            refs[s.id] = SideRef(s.id, str(name), name)
        return Home(
            person.id,
            person.display_name,
            person.anonymous,
            person.role,
            dialogue.id,
            shown("dialogue.title", dialogue.id, dialogue.title),
            shown("dialogue.charter", dialogue.id, dialogue.charter),
            dialogue.simulated,
            refs[person.side_id] if person.side_id in refs else SideRef(0, ""),
            [ref for i, ref in refs.items() if i != person.side_id],
            current,
            rounds,
            own,
            reader.languages,
            reader.language or reader.languages[0],
            reader.machine,
            person.translator,
            person.side_id is not None and bool(delegates_of(session, person.side_id)),
        )
