"""What facilitators see and do beyond running rounds: moderation, live state, publishing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import distinct, func, select

from alteram.errors import N_, Conflict
from alteram.service import live
from alteram.service.lookup import get
from alteram.service.move_corrections import Correction, corrections_of
from alteram.service.shown import Shown, TextReader
from alteram.service.texts import language_of
from alteram.store.database import Store
from alteram.store.schema import (
    Participant,
    Round,
    RoundEvent,
    Side,
    Statement,
    Topic,
    Vote,
    utcnow,
)


@dataclass(frozen=True)
class QueuedStatement:
    id: int
    text: Shown
    language: str
    side_name: str | None
    moderation: str
    moderation_reason: str | None
    move: str | None
    move_confidence: float | None
    created_at: datetime
    correction: Correction | None = None  # the team corrected the move


@dataclass(frozen=True)
class SideLive:
    side_id: int
    name: str
    members: int
    voters: int
    writers: int
    votes: int


@dataclass(frozen=True)
class RoundLive:
    id: int
    dialogue_id: int
    number: int
    title: Shown
    state: str
    moderation: str
    published_at: datetime | None
    analysis_every: int
    topics: list[Shown]
    sides: list[SideLive]
    statements: dict[str, int]
    votes: int
    last_reason: str | None
    topic_rows: list[TopicRow] = field(default_factory=list)
    feedback_at: str = "published"


@dataclass(frozen=True)
class TopicRow:
    id: int
    prompt: Shown


def round_live(store: Store, *, round_id: int, lang: str | None = None) -> RoundLive:
    """A round's live state: participants, voters and votes per side, statements by state."""
    with store.read() as session:
        rnd = get(session, Round, round_id)
        reader = TextReader(session, rnd.dialogue_id, lang)

        def shown(item: str, i: int, text: str) -> Shown:
            return reader.show(item, i, text, language_of(text))

        sides = session.scalars(
            select(Side).where(Side.dialogue_id == rnd.dialogue_id).order_by(Side.position)
        ).all()
        members = dict(
            session.execute(
                select(Participant.side_id, func.count())
                .where(Participant.dialogue_id == rnd.dialogue_id)
                .group_by(Participant.side_id)
            ).all()
        )
        voting = dict(
            session.execute(
                select(Participant.side_id, func.count(distinct(Vote.participant_id)))
                .join(Vote, Vote.participant_id == Participant.id)
                .join(Statement, Statement.id == Vote.statement_id)
                .where(Statement.round_id == rnd.id)
                .group_by(Participant.side_id)
            ).all()
        )
        votes = dict(
            session.execute(
                select(Participant.side_id, func.count(Vote.id))
                .join(Vote, Vote.participant_id == Participant.id)
                .join(Statement, Statement.id == Vote.statement_id)
                .where(Statement.round_id == rnd.id)
                .group_by(Participant.side_id)
            ).all()
        )
        writers = dict(
            session.execute(
                select(Statement.side_id, func.count(distinct(Statement.author_id)))
                .where(Statement.round_id == rnd.id)
                .group_by(Statement.side_id)
            ).all()
        )
        by_state = dict(
            session.execute(
                select(Statement.moderation, func.count())
                .where(Statement.round_id == rnd.id)
                .group_by(Statement.moderation)
            ).all()
        )
        topic_rows = [
            TopicRow(t.id, shown("topic.prompt", t.id, t.prompt))
            for t in session.scalars(
                select(Topic).where(Topic.round_id == rnd.id).order_by(Topic.position)
            )
        ]
        topics = [t.prompt for t in topic_rows]
        last = session.scalar(
            select(RoundEvent)
            .where(RoundEvent.round_id == rnd.id)
            .order_by(RoundEvent.id.desc())
            .limit(1)
        )
        return RoundLive(
            rnd.id,
            rnd.dialogue_id,
            rnd.number,
            shown("round.title", rnd.id, rnd.title),
            rnd.state,
            rnd.moderation,
            rnd.published_at,
            rnd.analysis_every,
            topics,
            [
                SideLive(
                    s.id,
                    str(shown("side.name", s.id, s.name)),
                    int(members.get(s.id, 0)),
                    int(voting.get(s.id, 0)),
                    int(writers.get(s.id, 0)),
                    int(votes.get(s.id, 0)),
                )
                for s in sides
            ],
            {k: int(by_state.get(k, 0)) for k in ("pending", "accepted", "rejected")},
            sum(int(v) for v in votes.values()),
            last.reason if last is not None and last.kind == "suspended" else None,
            topic_rows,
            rnd.feedback_at,
        )


def moderation_queue(
    store: Store, *, round_id: int, state: str | None = None, lang: str | None = None
) -> list[QueuedStatement]:
    """A round's statements (pending first), with side, move and moderation state.

    Each statement is in the moderator's language ``lang`` where a translation exists, so
    a facilitator who reads one language can moderate both sides.
    """
    with store.read() as session:
        rnd = get(session, Round, round_id)
        reader = TextReader(session, rnd.dialogue_id, lang)
        query = (
            select(Statement, Side.name)
            .outerjoin(Side, Side.id == Statement.side_id)
            .where(Statement.round_id == round_id)
        )
        if state:
            query = query.where(Statement.moderation == state)
        rows = session.execute(
            query.order_by((Statement.moderation != "pending"), Statement.id)
        ).all()
        corrected = corrections_of(session, [st.id for st, _ in rows])
        return [
            QueuedStatement(
                st.id,
                reader.show("statement.text", st.id, st.text, language_of(st.text, st.language)),
                st.language,
                name,
                st.moderation,
                st.moderation_reason,
                st.move,
                st.move_confidence,
                st.created_at,
                corrected.get(st.id),
            )
            for st, name in rows
        ]


def publish_round(store: Store, *, round_id: int) -> None:
    """Publish a round's results to its participants and observers."""
    with store.write() as session:
        rnd = get(session, Round, round_id, lock=True)
        if rnd.published_at is not None:
            raise Conflict(
                N_("round %(number)s's results are already published."),
                params={"number": rnd.number},
            )
        if rnd.state == "planned":
            raise Conflict(
                N_("round %(number)s has not started; there are no results to publish yet."),
                params={"number": rnd.number},
                hint=N_("Open the round and let people vote first."),
            )
        rnd.published_at = utcnow()
        session.add(RoundEvent(round_id=rnd.id, kind="published"))
        live.bump(session, rnd.id)


def set_analysis_interval(store: Store, *, round_id: int, every: int) -> None:
    """Re-analyse the round automatically every ``every`` votes."""
    from alteram.errors import InvalidInput

    if every < 1:
        raise InvalidInput(N_("the automatic analysis interval is at least 1 vote."))
    with store.write() as session:
        get(session, Round, round_id).analysis_every = every
