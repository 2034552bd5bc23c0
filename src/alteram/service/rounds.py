"""Use cases of a round's life: plan, open, suspend (with a reason), resume, close, publish.

Every change of state is kept as a :class:`~alteram.store.schema.RoundEvent` with its time
and reason, so a dialogue's history over the years can be shown as it happened.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alteram.errors import N_, Conflict, InvalidInput
from alteram.service import live
from alteram.service.lookup import get
from alteram.service.machine_translation import request_translations
from alteram.service.textcheck import clean, optional
from alteram.service.texts import Original, language_of
from alteram.store.database import Store
from alteram.store.schema import MODERATION_MODES, Dialogue, Round, RoundEvent, Topic, utcnow

# state -> (event, states it may come from)
_TRANSITIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "open": ("opened", ("planned",)),
    "suspended": ("suspended", ("open",)),
    "resumed": ("resumed", ("suspended",)),
    "closed": ("closed", ("open", "suspended")),
}

MAX_TOPICS = 50

_ADVICE = {
    "planned": N_("Open it first."),
    "open": N_("It is already open."),
    "suspended": N_("Resume it first, or close it."),
    "closed": N_("A closed round stays closed; plan a new round instead."),
}


def create_round(
    store: Store,
    *,
    dialogue_id: int,
    title: str = "",
    topics: Sequence[str] = (),
    moderation: str = "post",
    starts_on: datetime | None = None,
    ends_on: datetime | None = None,
) -> int:
    """Plan the next round of a dialogue with its agenda of topics; returns its id."""
    if moderation not in MODERATION_MODES:
        raise InvalidInput(
            N_("moderation must be 'pre' or 'post', not %(moderation)r."),
            params={"moderation": moderation},
            hint=N_(
                "'pre': statements wait for a facilitator; 'post': shown at once, may be removed."
            ),
        )
    prompts = [clean(t, "topic") for t in topics if t.strip()]
    if len(prompts) > MAX_TOPICS:
        raise InvalidInput(
            N_("a round has at most %(most)s topics (got %(count)s)."),
            params={"most": MAX_TOPICS, "count": len(prompts)},
        )
    title = clean(title, "round_title")
    if starts_on and ends_on and ends_on < starts_on:
        raise InvalidInput(N_("a round cannot end before it starts; check the dates."))
    with store.write() as session:
        dialogue = get(session, Dialogue, dialogue_id)
        number = (
            session.scalar(select(func.max(Round.number)).where(Round.dialogue_id == dialogue.id))
            or 0
        ) + 1
        rnd = Round(
            dialogue_id=dialogue.id,
            number=number,
            title=title or f"Round {number}",
            moderation=moderation,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        session.add(rnd)
        session.flush()
        rows = [Topic(round_id=rnd.id, position=i, prompt=p) for i, p in enumerate(prompts)]
        session.add_all(rows)
        session.flush()
        d = dialogue.id
        request_translations(
            session, Original("round.title", rnd.id, d, rnd.title, language_of(rnd.title), rnd.id)
        )
        for t in rows:
            request_translations(
                session, Original("topic.prompt", t.id, d, t.prompt, language_of(t.prompt), rnd.id)
            )
        return rnd.id


def _transition(
    session: Session, round_id: int, target: str, reason: str | None, at: datetime | None
) -> Round:
    rnd = get(session, Round, round_id, lock=True)
    event, sources = _TRANSITIONS[target]
    if rnd.state not in sources:
        verb = {"open": "opened", "suspended": "suspended", "resumed": "resumed"}.get(
            target, target
        )
        raise Conflict(
            N_("round %(number)s (%(id)s) is %(state)s and cannot be %(verb)s."),
            params={"number": rnd.number, "id": rnd.id},
            terms={"state": rnd.state, "verb": verb},
            hint=_ADVICE[rnd.state],
        )
    if target in ("open", "resumed"):
        other = session.scalar(
            select(Round).where(
                Round.dialogue_id == rnd.dialogue_id, Round.state == "open", Round.id != rnd.id
            )
        )
        if other is not None:
            raise Conflict(
                N_(
                    "round %(number)s (%(id)s) of this dialogue is still open; "
                    "only one round is open at a time."
                ),
                params={"number": other.number, "id": other.id},
                hint=N_("Close or suspend it first."),
            )
    rnd.state = "open" if target == "resumed" else target
    row = RoundEvent(round_id=rnd.id, kind=event, reason=reason, at=at or utcnow())
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent opening won the race
        raise Conflict(N_("another round of this dialogue was opened at the same time.")) from exc
    if reason:
        source = Original("event.reason", row.id, rnd.dialogue_id, reason, language_of(reason))
        request_translations(session, source)
    live.bump(session, rnd.id)
    return rnd


def open_round(store: Store, *, round_id: int, at: datetime | None = None) -> None:
    """Open a planned round for statements and votes."""
    with store.write() as session:
        _transition(session, round_id, "open", None, at)


def suspend_round(store: Store, *, round_id: int, reason: str, at: datetime | None = None) -> None:
    """Suspend an open round; the reason is kept and shown to participants."""
    reason = clean(reason, "reason")
    if not reason:
        raise InvalidInput(
            N_("a suspension needs a reason."),
            hint=N_("Say why, e.g. 'Postponed by both delegations'."),
        )
    with store.write() as session:
        _transition(session, round_id, "suspended", reason, at)


def resume_round(
    store: Store, *, round_id: int, reason: str | None = None, at: datetime | None = None
) -> None:
    """Resume a suspended round."""
    with store.write() as session:
        _transition(session, round_id, "resumed", optional(reason, "reason"), at)


def close_round(store: Store, *, round_id: int, at: datetime | None = None) -> None:
    """Close an open or suspended round; no more statements or votes."""
    with store.write() as session:
        _transition(session, round_id, "closed", None, at)
