"""Concerns instead of lists of demands.

A side raises a concern: what it is, why it matters to the side, and what it would like to
understand about the other side's view. The other side answers in its own words. Each side
can mark "our view was understood". A concern carries over from round to round until both
sides mark it understood or the raising side withdraws it; every answer and mark is kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from alteram.errors import N_, Conflict, Forbidden, InvalidInput
from alteram.moves import detect_language
from alteram.service import ratelimit
from alteram.service.delegates import delegates_of
from alteram.service.lookup import get
from alteram.service.machine_translation import after_writing
from alteram.service.participation import VOTERS
from alteram.service.shown import Shown, TextReader
from alteram.service.textcheck import clean
from alteram.service.texts import Original, language_of
from alteram.store.database import Store
from alteram.store.schema import (
    Concern,
    ConcernAnswer,
    ConcernMark,
    ConcernMemberMark,
    Dialogue,
    Participant,
    Round,
    Side,
)


def _open_round_of(session: Session, person: Participant, action: str) -> Round:
    rnd = session.scalar(
        select(Round).where(Round.dialogue_id == person.dialogue_id, Round.state == "open")
    )
    if rnd is None:
        raise Conflict(
            N_("no round of your dialogue is open: you cannot %(action)s now."),
            terms={"action": action},
            hint=N_("Concerns are raised and answered while a round is open."),
        )
    return rnd


def _person(session: Session, participant_id: int, action: str) -> Participant:
    person = get(session, Participant, participant_id)
    if person.role not in VOTERS or person.side_id is None:
        raise Forbidden(
            N_("a %(role)s does not %(action)s."),
            terms={"role": person.role, "action": action},
        )
    return person


def raise_concern(
    store: Store,
    *,
    participant_id: int,
    title: str,
    why_it_matters: str,
    what_to_understand: str = "",
    translations: Mapping[str, Mapping[str, str]] | None = None,
) -> int:
    """Raise a concern for one's side in the open round; returns its id.

    ``translations`` are the author's own: by language, a mapping of the fields ``title``,
    ``why`` and ``understand`` to their translations, stored in the same transaction.
    """
    title = clean(title, "concern_title")
    why = clean(why_it_matters, "why_it_matters")
    understand = clean(what_to_understand, "what_to_understand")
    with store.write() as session:
        person = _person(session, participant_id, N_("raise concerns"))
        rnd = _open_round_of(session, person, N_("raise a concern"))
        assert person.side_id is not None
        concern = Concern(
            dialogue_id=person.dialogue_id,
            raised_in_round_id=rnd.id,
            side_id=person.side_id,
            author_id=person.id,
            title=title,
            why_it_matters=why,
            what_to_understand=understand,
            language=detect_language(f"{title} {why} {understand}"),
        )
        session.add(concern)
        session.flush()
        fields = {"title": title, "why": why, "understand": understand}
        for parts in (translations or {}).values():
            for name in parts:
                if name not in fields:
                    raise InvalidInput(
                        N_(
                            "a concern's translation has the fields title, why and understand, "
                            "not %(name)r."
                        ),
                        params={"name": name},
                    )
        for name, value in fields.items():
            if not value:
                continue
            source = Original(
                f"concern.{name}",
                concern.id,
                concern.dialogue_id,
                value,
                concern.language,
                rnd.id,
                person.id,
                person.side_id,
            )
            own = {
                lang: parts[name] for lang, parts in (translations or {}).items() if name in parts
            }
            after_writing(session, source, own, participant_id=person.id)
        ratelimit.charge(session, "text", participant=person.id)
        return concern.id


def _live_concern(session: Session, concern_id: int, person: Participant) -> Concern:
    concern = get(session, Concern, concern_id, lock=True)
    if concern.dialogue_id != person.dialogue_id:
        raise Forbidden(N_("this concern belongs to another dialogue than yours."))
    if concern.state == "withdrawn":
        raise Conflict(
            N_("this concern was withdrawn by the side that raised it."),
            hint=N_("Nothing more can be added to it; its history stays readable."),
        )
    return concern


def answer_concern(
    store: Store,
    *,
    participant_id: int,
    concern_id: int,
    text: str,
    translations: Mapping[str, str] | None = None,
) -> int:
    """The other side answers a concern in its own words; returns the answer's id."""
    body = clean(text, "answer")
    with store.write() as session:
        person = _person(session, participant_id, N_("answer concerns"))
        concern = _live_concern(session, concern_id, person)
        if concern.side_id == person.side_id:
            raise Forbidden(
                N_("a side does not answer its own concern; the other side answers it."),
                hint=N_("You can mark whether your view was understood."),
            )
        rnd = _open_round_of(session, person, N_("answer a concern"))
        assert person.side_id is not None
        answer = ConcernAnswer(
            concern_id=concern.id,
            round_id=rnd.id,
            side_id=person.side_id,
            author_id=person.id,
            text=body,
            language=detect_language(body),
        )
        session.add(answer)
        session.flush()
        source = Original(
            "answer.text",
            answer.id,
            concern.dialogue_id,
            body,
            answer.language,
            rnd.id,
            person.id,
            person.side_id,
        )
        after_writing(session, source, translations, participant_id=person.id)
        ratelimit.charge(session, "text", participant=person.id)
        return answer.id


def _took_part(session: Session, concern: Concern, side_id: int) -> set[int]:
    """Members of ``side_id`` who took part in the concern: raised, answered or marked it."""
    people = set(
        session.scalars(
            select(ConcernMemberMark.participant_id)
            .join(Participant, Participant.id == ConcernMemberMark.participant_id)
            .where(
                ConcernMemberMark.concern_id == concern.id,
                Participant.side_id == side_id,
                Participant.removed_at.is_(None),
            )
        )
    )
    if concern.side_id == side_id:
        people.add(concern.author_id)
    people.update(
        session.scalars(
            select(ConcernAnswer.author_id).where(
                ConcernAnswer.concern_id == concern.id, ConcernAnswer.side_id == side_id
            )
        )
    )
    return people


def _latest_says(session: Session, concern_id: int, kind: str) -> dict[int, bool]:
    out: dict[int, bool] = {}
    for pid, value in session.execute(
        select(ConcernMemberMark.participant_id, ConcernMemberMark.value)
        .where(ConcernMemberMark.concern_id == concern_id, ConcernMemberMark.kind == kind)
        .order_by(ConcernMemberMark.id)
    ):
        out[pid] = bool(value)
    return out


def _side_mark(session: Session, concern_id: int, side_id: int) -> bool | None:
    mark = session.scalar(
        select(ConcernMark.understood)
        .where(ConcernMark.concern_id == concern_id, ConcernMark.side_id == side_id)
        .order_by(ConcernMark.id.desc())
        .limit(1)
    )
    return None if mark is None else bool(mark)


def mark_understood(
    store: Store, *, participant_id: int, concern_id: int, understood: bool = True
) -> str:
    """A member says whether their side's view was understood; returns the concern's state.

    The side acts as one: its delegate decides; a side with no delegate decides by the
    majority of its members who took part in the concern (raised, answered or marked it).
    The concern is understood once every side's decision says so.
    """
    with store.write() as session:
        person = _person(session, participant_id, N_("mark concerns"))
        concern = _live_concern(session, concern_id, person)
        rnd = _open_round_of(session, person, N_("mark a concern"))
        assert person.side_id is not None
        session.add(
            ConcernMemberMark(
                concern_id=concern.id,
                participant_id=person.id,
                kind="understood",
                value=understood,
                round_id=rnd.id,
            )
        )
        session.flush()
        delegates = delegates_of(session, person.side_id)
        decision: bool | None = None
        decided_by = "majority"
        if delegates:
            if person.id in delegates:
                decision, decided_by = understood, "delegate"
        else:
            says = _latest_says(session, concern.id, "understood")
            voters = _took_part(session, concern, person.side_id)
            yes = sum(1 for pid in voters if says.get(pid))
            decision = 2 * yes > len(voters)
        if decision is not None and decision != _side_mark(session, concern.id, person.side_id):
            session.add(
                ConcernMark(
                    concern_id=concern.id,
                    round_id=rnd.id,
                    side_id=person.side_id,
                    understood=decision,
                    decided_by=decided_by,
                    participant_id=person.id if decided_by == "delegate" else None,
                )
            )
            session.flush()
        sides = set(session.scalars(select(Side.id).where(Side.dialogue_id == concern.dialogue_id)))
        latest: dict[int, bool] = {}
        for mark in session.scalars(
            select(ConcernMark).where(ConcernMark.concern_id == concern.id).order_by(ConcernMark.id)
        ):
            latest[mark.side_id] = mark.understood
        concern.state = "understood" if all(latest.get(s) for s in sides) else "open"
        ratelimit.charge(session, "mark", participant=person.id)
        return concern.state


def withdraw_concern(store: Store, *, participant_id: int, concern_id: int) -> None:
    """The concern's author, or a delegate of its side, withdraws it; its history is kept."""
    with store.write() as session:
        person = _person(session, participant_id, N_("withdraw concerns"))
        concern = _live_concern(session, concern_id, person)
        if concern.side_id != person.side_id:
            raise Forbidden(N_("only the side that raised a concern can withdraw it."))
        if person.id != concern.author_id and person.role != "delegate":
            raise Forbidden(
                N_("a concern is withdrawn by its author or by a delegate of the side."),
                hint=N_("Ask the member who raised it, or your side's delegate."),
            )
        rnd = _open_round_of(session, person, N_("withdraw a concern"))
        session.add(
            ConcernMemberMark(
                concern_id=concern.id,
                participant_id=person.id,
                kind="withdraw",
                value=True,
                round_id=rnd.id,
            )
        )
        concern.state = "withdrawn"
        ratelimit.charge(session, "mark", participant=person.id)


@dataclass(frozen=True)
class AnswerView:
    side: str
    round_number: int
    text: Shown
    at: datetime


@dataclass(frozen=True)
class MarkView:
    side: str
    round_number: int
    understood: bool
    at: datetime
    decided_by: str = "member"  # member (before delegates), delegate or majority
    delegate: str | None = None  # the delegate's display name


@dataclass(frozen=True)
class ConcernView:
    id: int
    side: str
    side_id: int
    title: Shown
    why_it_matters: Shown
    what_to_understand: Shown
    state: str
    raised_in_round: int
    answers: list[AnswerView] = field(default_factory=list)
    marks: list[MarkView] = field(default_factory=list)
    hidden_reason: str | None = None  # hidden by the team (only the team sees it then)
    author_id: int | None = None  # the member who raised it (never shown to the other side)


def concerns_of_dialogue(
    store: Store,
    *,
    dialogue_id: int,
    up_to_round: int | None = None,
    lang: str | None = None,
    include_hidden: bool = False,
) -> list[ConcernView]:
    """Every concern with its history; with ``up_to_round`` only those raised by that round.

    Texts are in the reader's language ``lang`` where a translation exists. Concerns and
    answers the team hid are left out unless ``include_hidden`` (the team's own view).
    """
    with store.read() as session:
        get(session, Dialogue, dialogue_id)
        reader = TextReader(session, dialogue_id, lang)
        numbers = {
            r.id: r.number
            for r in session.scalars(select(Round).where(Round.dialogue_id == dialogue_id))
        }
        names = {
            s.id: str(reader.show("side.name", s.id, s.name, language_of(s.name)))
            for s in session.scalars(select(Side).where(Side.dialogue_id == dialogue_id))
        }
        delegate_names = {
            p.id: p.display_name or ""
            for p in session.scalars(
                select(Participant).where(
                    Participant.dialogue_id == dialogue_id, Participant.role == "delegate"
                )
            )
        }
        out = []
        for c in session.scalars(
            select(Concern).where(Concern.dialogue_id == dialogue_id).order_by(Concern.id)
        ):
            if c.hidden_at is not None and not include_hidden:
                continue
            raised = numbers.get(c.raised_in_round_id, 0)
            if up_to_round is not None and raised > up_to_round:
                continue
            answers = [
                AnswerView(
                    names.get(a.side_id, "?"),
                    numbers.get(a.round_id, 0),
                    reader.show("answer.text", a.id, a.text, language_of(a.text, a.language)),
                    a.created_at,
                )
                for a in session.scalars(
                    select(ConcernAnswer)
                    .where(ConcernAnswer.concern_id == c.id)
                    .order_by(ConcernAnswer.id)
                )
                if include_hidden or a.hidden_at is None
            ]
            marks = [
                MarkView(
                    names.get(m.side_id, "?"),
                    numbers.get(m.round_id, 0),
                    m.understood,
                    m.at,
                    m.decided_by,
                    delegate_names.get(m.participant_id) if m.participant_id else None,
                )
                for m in session.scalars(
                    select(ConcernMark)
                    .where(ConcernMark.concern_id == c.id)
                    .order_by(ConcernMark.id)
                )
            ]
            out.append(
                ConcernView(
                    c.id,
                    names.get(c.side_id, "?"),
                    c.side_id,
                    reader.show("concern.title", c.id, c.title, language_of(c.title, c.language)),
                    reader.show(
                        "concern.why",
                        c.id,
                        c.why_it_matters,
                        language_of(c.why_it_matters, c.language),
                    ),
                    reader.show(
                        "concern.understand",
                        c.id,
                        c.what_to_understand,
                        language_of(c.what_to_understand, c.language),
                    ),
                    c.state,
                    raised,
                    answers,
                    marks,
                    (c.hidden_reason or "") if c.hidden_at is not None else None,
                    c.author_id,
                )
            )
        return out
