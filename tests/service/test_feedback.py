"""A participant's own feedback: when it opens, what it says, and whether it narrows the gap."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from alteram.engine.result import group_letter
from alteram.errors import Conflict, InvalidInput
from alteram.service.access import ADMIN
from alteram.service.analyses import analyze_round
from alteram.service.facilitation import publish_round
from alteram.service.feedback import (
    feedback_effect,
    feedback_open,
    my_feedback,
    set_feedback_moment,
)
from alteram.service.participation import admit, moderate_statement, record_vote
from alteram.service.rounds import close_round, create_round, open_round
from alteram.store.database import Store
from alteram.store.schema import FeedbackView
from tests.factories import World, make_world, statement


def _round(store: Store) -> tuple[World, list[int], int]:
    """Two Upstream statements; Upstream answers; b1 predicts 30 % and 90 %."""
    w = make_world(store)
    s = [statement(store, w, "a1", "Rivers belong to all."), statement(store, w, "a1", "Dams.")]
    for sid in s:
        moderate_statement(store, statement_id=sid, accept=True)
    a3 = admit(store, token=w.tokens[w.sides[0]], display_name="a3").participant_id
    for who, values in ((w.people["a2"], (1, -1)), (a3, (1, 0))):
        for sid, v in zip(s, values, strict=True):
            record_vote(store, participant_id=who, statement_id=sid, value=v)
    up = w.sides[0]
    b1, b2 = w.people["b1"], w.people["b2"]
    record_vote(store, participant_id=b1, statement_id=s[0], value=1, predictions={up: 30})
    record_vote(store, participant_id=b2, statement_id=s[0], value=-1, predictions={up: 60})
    record_vote(store, participant_id=b2, statement_id=s[1], value=1, predictions={up: 0})
    return w, s, b1


def test_by_default_feedback_opens_with_the_published_results(store: Store) -> None:
    w, s, b1 = _round(store)
    record_vote(store, participant_id=b1, statement_id=s[1], value=-1, predictions={w.sides[0]: 90})
    assert not feedback_open(store, participant_id=b1, round_id=w.round_id)
    with pytest.raises(Conflict, match="not open yet"):
        my_feedback(store, participant_id=b1, round_id=w.round_id)
    close_round(store, round_id=w.round_id)
    with pytest.raises(Conflict):
        my_feedback(store, participant_id=b1, round_id=w.round_id)
    publish_round(store, round_id=w.round_id)
    f = my_feedback(store, participant_id=b1, round_id=w.round_id)
    # what a user reads: "you thought 30 % agree; 100 % do (2 of 2)" and "90 %; 0 % (0 of 2)"
    assert [(c.statement_id, c.predicted, c.agree, c.seen) for c in f.checks] == [
        (s[0], 30, 2, 2),
        (s[1], 90, 0, 2),
    ]
    assert [c.actual for c in f.checks] == [100, 0]
    assert f.my_gap == pytest.approx((70 + 90) / 2)
    b2_gap = (40 + 0) / 2
    assert f.side_gap == pytest.approx(((70 + 90) / 2 + b2_gap) / 2) and f.side_predictors == 2
    # b1 agreed with s[0] as both Upstream voters did; disagreed with s[1], one of two did
    assert [(x.statement_id, x.vote, x.same, x.seen) for x in f.shared] == [(s[0], 1, 2, 2)]
    assert (f.voted, f.statements) == (2, 2)
    assert f.place is None  # not analysed yet


def test_the_facilitator_may_open_it_once_someone_voted_on_everything(store: Store) -> None:
    w, _, b1 = _round(store)
    with pytest.raises(InvalidInput, match="one of"):
        set_feedback_moment(store, actor=ADMIN, round_id=w.round_id, moment="now")
    set_feedback_moment(store, actor=ADMIN, round_id=w.round_id, moment="all_voted")
    with pytest.raises(Conflict, match="every statement"):
        my_feedback(store, participant_id=b1, round_id=w.round_id)
    b2 = w.people["b2"]
    assert feedback_open(store, participant_id=b2, round_id=w.round_id)
    analyze_round(store, round_id=w.round_id)
    first = my_feedback(store, participant_id=b2, round_id=w.round_id)
    my_feedback(store, participant_id=b2, round_id=w.round_id)  # seen twice: recorded once
    with store.read() as session:
        views = session.execute(select(FeedbackView.participant_id, FeedbackView.round_id)).all()
    assert [tuple(v) for v in views] == [(b2, w.round_id)]
    from alteram.service.analyses import latest_analysis

    stored = latest_analysis(store, round_id=w.round_id)
    assert stored is not None
    me = next((p for p in stored.result["participants"] if p["id"] == b2), None)
    if me is None:
        assert first.place is None
    else:
        assert first.place is not None and (first.place.x, first.place.y) == (me["x"], me["y"])
        assert first.place.group == (None if me["group"] is None else group_letter(me["group"]))


def test_closing_opens_it_when_chosen(store: Store) -> None:
    w, _, b1 = _round(store)
    set_feedback_moment(store, actor=ADMIN, round_id=w.round_id, moment="closed")
    assert not feedback_open(store, participant_id=b1, round_id=w.round_id)
    close_round(store, round_id=w.round_id)
    assert feedback_open(store, participant_id=b1, round_id=w.round_id)


def test_the_next_round_compares_those_who_saw_feedback_with_the_rest(store: Store) -> None:
    w = make_world(store)
    up = w.sides[0]
    set_feedback_moment(store, actor=ADMIN, round_id=w.round_id, moment="closed")
    first = statement(store, w, "a1", "Round one.")
    token = w.tokens[w.sides[1]]
    down = [admit(store, token=token, display_name=f"d{i}").participant_id for i in range(9)]
    for p in down:
        record_vote(store, participant_id=p, statement_id=first, value=1, predictions={up: 50})
    close_round(store, round_id=w.round_id)
    saw = down[:5]
    for p in saw:
        my_feedback(store, participant_id=p, round_id=w.round_id)
    second = create_round(store, dialogue_id=w.dialogue_id)
    open_round(store, round_id=second)
    sid = statement_in(store, w.people["a1"], second, "Round two.")
    for p in (w.people["a1"], w.people["a2"]):
        record_vote(store, participant_id=p, statement_id=sid, value=1)  # Upstream: 100 %
    guesses = dict(zip(down, (90, 80, 95, 70, 85, 40, 20, 60, 30), strict=True))
    for p, share in guesses.items():
        record_vote(store, participant_id=p, statement_id=sid, value=0, predictions={up: share})
    effect = feedback_effect(store, round_id=second)
    assert effect is not None
    c = effect.comparison
    assert not c.enough_data and (c.n_saw, c.n_not) == (5, 4)  # 4 is below the minimum
    extra = admit(store, token=w.tokens[w.sides[1]], display_name="late").participant_id
    record_vote(store, participant_id=extra, statement_id=sid, value=0, predictions={up: 50})
    c = feedback_effect(store, round_id=second).comparison  # type: ignore[union-attr]
    gaps_saw = [100 - guesses[p] for p in saw]
    gaps_not = [100 - guesses[p] for p in down[5:]] + [50]
    assert c.enough_data and (c.n_saw, c.n_not) == (5, 5)
    assert c.difference == pytest.approx(sum(gaps_saw) / 5 - sum(gaps_not) / 5)
    assert c.low is not None and c.high is not None and c.low < c.difference < c.high
    assert feedback_effect(store, round_id=w.round_id) is None  # a first round has no before


def statement_in(store: Store, author: int, round_id: int, text: str) -> int:
    from alteram.service.participation import add_statement

    sid = add_statement(store, participant_id=author, round_id=round_id, text=text)
    moderate_statement(store, statement_id=sid, accept=True)
    return sid
