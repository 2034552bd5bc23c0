"""Each participant's own view of a round, and feedback on their predictions.

When the round allows it (``Round.feedback_at``: once the participant voted on all of it,
once it closes, or, by default, once it is published) a participant sees how their
predictions compared with what the other side answered, their average gap against their
side's, where they stand on the opinion map, and the statements they share with most of
the other side. The first time they see it is recorded (:class:`FeedbackView`), so a later
round can compare the gaps of those who saw feedback with those who had not
(:func:`feedback_effect`).

Shares come from the per-side counts of latest votes (:mod:`alteram.service.side_counts`),
so they are the raw shares ("5 of 8") at the moment of reading.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from alteram.engine.feedback import GapComparison, compare_gaps
from alteram.engine.result import group_letter
from alteram.errors import N_, Conflict, Forbidden, InvalidInput
from alteram.service.access import Actor, access_to
from alteram.service.analyses import KIND
from alteram.service.lookup import get
from alteram.service.participation import votable_states
from alteram.service.shown import Shown, TextReader
from alteram.service.texts import language_of
from alteram.store.database import Store
from alteram.store.schema import (
    FEEDBACK_MOMENTS,
    Analysis,
    FeedbackView,
    Participant,
    Prediction,
    Round,
    Side,
    Statement,
    StatementSideCount,
    Vote,
)

TOP_SHARED = 5


@dataclass(frozen=True)
class PredictionCheck:
    """One prediction against what the predicted side answered (shares in percent)."""

    statement_id: int
    text: Shown
    side: str
    predicted: int
    agree: int
    seen: int

    @property
    def actual(self) -> float | None:
        return 100 * self.agree / self.seen if self.seen else None

    @property
    def gap(self) -> float | None:
        return None if self.actual is None else abs(self.predicted - self.actual)


@dataclass(frozen=True)
class SharedStatement:
    """A statement on which the participant voted as most of another side did."""

    statement_id: int
    text: Shown
    vote: int  # 1 agree, -1 disagree
    side: str
    same: int
    seen: int

    @property
    def percent(self) -> float:
        return 100 * self.same / self.seen


@dataclass(frozen=True)
class MapPlace:
    """Where the participant stands on the latest opinion map."""

    x: float
    y: float
    group: str | None
    group_size: int
    by_side: dict[str, int]
    analysis_version: int


@dataclass(frozen=True)
class MyFeedback:
    round_id: int
    number: int
    title: Shown
    side: str | None
    voted: int
    statements: int
    checks: list[PredictionCheck] = field(default_factory=list)
    my_gap: float | None = None
    side_gap: float | None = None
    side_predictors: int = 0
    place: MapPlace | None = None
    shared: list[SharedStatement] = field(default_factory=list)


def available(rnd: Round, *, voted_all: bool) -> bool:
    """Whether the round's feedback is open to a participant (``voted_all``: on all of it)."""
    if rnd.published_at is not None:
        return True
    if rnd.feedback_at == "closed":
        return rnd.state == "closed"
    if rnd.feedback_at == "all_voted":
        return voted_all or rnd.state == "closed"
    return False


def set_feedback_moment(store: Store, *, actor: Actor, round_id: int, moment: str) -> None:
    """Choose when participants see their own feedback on a round."""
    if moment not in FEEDBACK_MOMENTS:
        raise InvalidInput(
            N_("feedback is shown at one of %(moments)s, not %(moment)r."),
            params={"moments": ", ".join(FEEDBACK_MOMENTS), "moment": moment},
        )
    with store.write() as session:
        access_to(session, actor, "round", round_id, need="team")
        get(session, Round, round_id, lock=True).feedback_at = moment


def _counts(session: Session, round_id: int) -> dict[tuple[int, int], tuple[int, int, int]]:
    return {
        (c.statement_id, c.side_id): (c.agree, c.disagree, c.passes)
        for c in session.scalars(
            select(StatementSideCount)
            .join(Statement, Statement.id == StatementSideCount.statement_id)
            .where(Statement.round_id == round_id)
        )
    }


def _latest_predictions(
    session: Session, round_id: int, side_id: int | None = None
) -> dict[int, dict[tuple[int, int], int]]:
    """By participant: (statement, predicted side) -> their latest predicted share."""
    query = (
        select(Vote.participant_id, Vote.statement_id, Prediction.target_side_id, Prediction.share)
        .join(Vote, Vote.id == Prediction.vote_id)
        .join(Statement, Statement.id == Vote.statement_id)
        .join(Participant, Participant.id == Vote.participant_id)
        .where(Statement.round_id == round_id, Participant.removed_at.is_(None))
        .order_by(Vote.created_at, Vote.id)
    )
    if side_id is not None:
        query = query.where(Participant.side_id == side_id)
    found: dict[int, dict[tuple[int, int], int]] = defaultdict(dict)
    for pid, sid, target, share in session.execute(query):
        found[pid][(sid, target)] = int(share)
    return found


def _gap(
    predictions: dict[tuple[int, int], int], counts: dict[tuple[int, int], tuple[int, int, int]]
) -> float | None:
    gaps = []
    for key, share in predictions.items():
        agree, disagree, passes = counts.get(key, (0, 0, 0))
        seen = agree + disagree + passes
        if seen:
            gaps.append(abs(share - 100 * agree / seen))
    return sum(gaps) / len(gaps) if gaps else None


def _remaining(session: Session, rnd: Round, person: Participant) -> int:
    voted = select(Vote.statement_id).where(Vote.participant_id == person.id)
    return len(
        session.scalars(
            select(Statement.id).where(
                Statement.round_id == rnd.id,
                Statement.moderation.in_(votable_states(rnd)),
                Statement.author_id != person.id,
                Statement.id.not_in(voted),
            )
        ).all()
    )


def feedback_open(store: Store, *, participant_id: int, round_id: int) -> bool:
    """Whether the participant may see their feedback on the round now."""
    with store.read() as session:
        person = get(session, Participant, participant_id)
        rnd = get(session, Round, round_id)
        if rnd.dialogue_id != person.dialogue_id:
            return False
        voted = session.scalar(
            select(Vote.id)
            .join(Statement, Statement.id == Vote.statement_id)
            .where(Vote.participant_id == person.id, Statement.round_id == rnd.id)
            .limit(1)
        )
        voted_all = voted is not None and _remaining(session, rnd, person) == 0
        return available(rnd, voted_all=voted_all)


def _mark_seen(session: Session, participant_id: int, round_id: int) -> None:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(
        dialect.insert(FeedbackView)
        .values(participant_id=participant_id, round_id=round_id)
        .on_conflict_do_nothing()
    )


def my_feedback(
    store: Store, *, participant_id: int, round_id: int, lang: str | None = None
) -> MyFeedback:
    """A participant's own view of a round; refused until the round's moment has come.

    Seeing it is recorded (the first time only) in the same transaction.
    """
    with store.write() as session:
        person = get(session, Participant, participant_id)
        rnd = get(session, Round, round_id)
        if rnd.dialogue_id != person.dialogue_id:
            raise Forbidden(N_("this round belongs to another dialogue than yours."))
        mine = session.execute(
            select(Vote.statement_id, Vote.value)
            .join(Statement, Statement.id == Vote.statement_id)
            .where(Vote.participant_id == person.id, Statement.round_id == rnd.id)
            .order_by(Vote.created_at, Vote.id)
        ).all()
        my_votes = {sid: int(v) for sid, v in mine}
        remaining = _remaining(session, rnd, person)
        if not available(rnd, voted_all=bool(my_votes) and remaining == 0):
            hint = {
                "all_voted": N_("It opens once you have voted on every statement of the round."),
                "closed": N_("It opens when the facilitator closes the round."),
                "published": N_("It opens when the facilitator publishes the results."),
            }[rnd.feedback_at]
            raise Conflict(
                N_("your feedback on round %(number)s is not open yet."),
                params={"number": rnd.number},
                hint=hint,
            )
        _mark_seen(session, person.id, rnd.id)
        reader = TextReader(session, person.dialogue_id, lang)
        sides = {
            s.id: str(reader.show("side.name", s.id, s.name, language_of(s.name)))
            for s in session.scalars(select(Side).where(Side.dialogue_id == person.dialogue_id))
        }
        counts = _counts(session, rnd.id)
        side_predictions = _latest_predictions(session, rnd.id, person.side_id)
        my_predictions = side_predictions.get(person.id, {})
        statements = {
            st.id: st
            for st in session.scalars(
                select(Statement).where(
                    Statement.id.in_({sid for sid, _ in my_predictions} | set(my_votes))
                )
            )
        }

        def text(sid: int) -> Shown:
            st = statements[sid]
            return reader.show("statement.text", st.id, st.text, language_of(st.text, st.language))

        checks = []
        for (sid, target), share in sorted(my_predictions.items()):
            agree, disagree, passes = counts.get((sid, target), (0, 0, 0))
            checks.append(
                PredictionCheck(
                    sid,
                    text(sid),
                    sides.get(target, str(target)),
                    share,
                    agree,
                    agree + disagree + passes,
                )
            )
        gaps = [g for g in (_gap(p, counts) for p in side_predictions.values()) if g is not None]
        shared = []
        for sid, value in my_votes.items():
            if value == 0:
                continue
            for side_id, name in sides.items():
                if side_id == person.side_id:
                    continue
                agree, disagree, passes = counts.get((sid, side_id), (0, 0, 0))
                same = agree if value == 1 else disagree
                seen = agree + disagree + passes
                if seen and 2 * same > seen:
                    shared.append(SharedStatement(sid, text(sid), value, name, same, seen))
        shared.sort(key=lambda s: (-s.percent, -s.seen, s.statement_id))
        place = _place(session, rnd.id, person.id, sides)
        return MyFeedback(
            rnd.id,
            rnd.number,
            reader.show("round.title", rnd.id, rnd.title, language_of(rnd.title)),
            sides.get(person.side_id) if person.side_id is not None else None,
            len(my_votes),
            len(my_votes) + remaining,
            checks,
            _gap(my_predictions, counts),
            sum(gaps) / len(gaps) if gaps else None,
            len(gaps),
            place,
            shared[:TOP_SHARED],
        )


def _place(
    session: Session, round_id: int, participant_id: int, sides: dict[int, str]
) -> MapPlace | None:
    analysis = session.scalar(
        select(Analysis)
        .where(Analysis.round_id == round_id, Analysis.kind == KIND)
        .order_by(Analysis.version.desc())
        .limit(1)
    )
    if analysis is None:
        return None
    people = analysis.result.get("participants", [])
    me = next((p for p in people if p.get("id") == participant_id), None)
    if me is None or me.get("x") is None or me.get("y") is None:
        return None
    group = me.get("group")
    by_side: dict[str, int] = {}
    size = 0
    if group is not None:
        ids = [p["id"] for p in people if p.get("group") == group]
        size = len(ids)
        for side_id in session.scalars(select(Participant.side_id).where(Participant.id.in_(ids))):
            name = sides.get(side_id, "") if side_id is not None else ""
            by_side[name] = by_side.get(name, 0) + 1
    return MapPlace(
        float(me["x"]),
        float(me["y"]),
        group_letter(int(group)) if group is not None else None,
        size,
        by_side,
        analysis.version,
    )


@dataclass(frozen=True)
class FeedbackEffect:
    """Round N's gaps of those who had seen feedback on an earlier round, against the rest."""

    round_id: int
    comparison: GapComparison
    earlier_rounds: int


def feedback_effect(store: Store, *, round_id: int) -> FeedbackEffect | None:
    """Compare this round's perception gaps by whether people had seen earlier feedback.

    A participant "saw feedback" when they first opened their feedback on an earlier round
    of the dialogue before their first vote in this one. None for a first round.
    """
    with store.read() as session:
        rnd = get(session, Round, round_id)
        earlier = list(
            session.scalars(
                select(Round.id).where(
                    Round.dialogue_id == rnd.dialogue_id, Round.number < rnd.number
                )
            )
        )
        if not earlier:
            return None
        counts = _counts(session, rnd.id)
        predictions = _latest_predictions(session, rnd.id)
        first_vote: dict[int, datetime] = {}
        for pid, at in session.execute(
            select(Vote.participant_id, Vote.created_at)
            .join(Statement, Statement.id == Vote.statement_id)
            .where(Statement.round_id == rnd.id, Vote.participant_id.in_(list(predictions)))
            .order_by(Vote.created_at)
        ):
            first_vote.setdefault(pid, at)
        seen: dict[int, datetime] = {}
        for pid, at in session.execute(
            select(FeedbackView.participant_id, FeedbackView.seen_at).where(
                FeedbackView.round_id.in_(earlier),
                FeedbackView.participant_id.in_(list(predictions)),
            )
        ):
            seen[pid] = min(at, seen.get(pid, at))
        saw: list[float] = []
        not_saw: list[float] = []
        for pid, made in predictions.items():
            gap = _gap(made, counts)
            if gap is None:
                continue
            before = pid in seen and pid in first_vote and seen[pid] <= first_vote[pid]
            (saw if before else not_saw).append(gap)
        return FeedbackEffect(rnd.id, compare_gaps(saw, not_saw), len(earlier))
