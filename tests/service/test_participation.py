"""Writing statements, voting with predictions, and what each participant has left to vote on."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from alteram.errors import Conflict, Forbidden, InvalidInput, NotFound
from alteram.service.participation import (
    MAX_STATEMENT_LENGTH,
    add_statement,
    moderate_statement,
    record_vote,
    statements_to_vote,
)
from alteram.service.rounds import close_round, suspend_round
from alteram.store.database import Store
from alteram.store.schema import Prediction, Statement, Vote
from tests.factories import make_world, statement


def test_a_statement_is_stored_with_side_and_language(store: Store) -> None:
    w = make_world(store)
    en = statement(store, w, "a1", "  Water is   a shared inheritance. ")
    zh = statement(store, w, "b1", "水是我们共同的遗产。")
    with store.read() as s:
        a = s.get(Statement, en)
        b = s.get(Statement, zh)
        assert a is not None and b is not None
        assert (a.text, a.language, a.side_id, a.moderation) == (
            "Water is a shared inheritance.",
            "en",
            w.sides[0],
            "pending",
        )
        assert (b.language, b.side_id) == ("zh", w.sides[1])


@pytest.mark.parametrize(
    ("text", "match"), [("   ", "empty"), ("x" * (MAX_STATEMENT_LENGTH + 1), "at most")]
)
def test_empty_or_oversize_statements_are_refused(store: Store, text: str, match: str) -> None:
    w = make_world(store)
    with pytest.raises(InvalidInput, match=match):
        statement(store, w, "a1", text)
    with store.read() as s:
        assert s.scalars(select(Statement)).all() == []


def test_a_second_vote_is_a_new_row_and_the_latest_counts(store: Store) -> None:
    w = make_world(store)
    sid = statement(store, w, "a1", "Share the river.")
    first = record_vote(
        store,
        participant_id=w.people["b1"],
        statement_id=sid,
        value=1,
        predictions={w.sides[0]: 80},
    )
    second = record_vote(store, participant_id=w.people["b1"], statement_id=sid, value=-1)
    assert (first.replaced_earlier_vote, second.replaced_earlier_vote) == (False, True)
    with store.read() as s:
        rows = s.execute(select(Vote.value).order_by(Vote.id)).scalars().all()
        assert rows == [1, -1]
        pred = s.scalars(select(Prediction)).one()
        assert (pred.vote_id, pred.target_side_id, pred.share) == (first.vote_id, w.sides[0], 80)


@pytest.mark.parametrize(
    ("value", "predictions", "error", "match"),
    [
        (2, None, InvalidInput, "agree"),
        (1, {"own": 50}, InvalidInput, "another side"),
        (1, {"other": 101}, InvalidInput, "0 to 100"),
        (1, {"other": 50.5}, InvalidInput, "whole percentage"),
        (1, {999: 50}, InvalidInput, "another side"),
    ],
)
def test_bad_votes_are_refused_and_store_nothing(
    store: Store,
    value: int,
    predictions: dict[object, float] | None,
    error: type[Exception],
    match: str,
) -> None:
    w = make_world(store)
    sid = statement(store, w, "a1", "Share the river.")
    names = {"own": w.sides[1], "other": w.sides[0]}
    preds = None if predictions is None else {names.get(k, k): v for k, v in predictions.items()}
    with pytest.raises(error, match=match):
        record_vote(
            store, participant_id=w.people["b1"], statement_id=sid, value=value, predictions=preds
        )  # type: ignore[arg-type]
    with store.read() as s:
        assert s.scalars(select(Vote)).all() == []
        assert s.scalars(select(Prediction)).all() == []


@pytest.mark.parametrize("state", ["suspended", "closed"])
def test_no_votes_or_statements_outside_an_open_round(store: Store, state: str) -> None:
    w = make_world(store)
    sid = statement(store, w, "a1", "Share the river.")
    if state == "suspended":
        suspend_round(store, round_id=w.round_id, reason="pause")
    else:
        close_round(store, round_id=w.round_id)
    with pytest.raises(Conflict, match=f"round 1 is {state}"):
        record_vote(store, participant_id=w.people["b1"], statement_id=sid, value=1)
    with pytest.raises(Conflict, match=f"round 1 is {state}"):
        statement(store, w, "a2", "Another thought.")


def test_not_yet_open_round_refuses_statements(store: Store) -> None:
    w = make_world(store, open_it=False)
    with pytest.raises(Conflict, match="planned"):
        statement(store, w, "a1", "Too early.")


def test_participants_act_only_in_their_own_dialogue(store: Store) -> None:
    w1 = make_world(store)
    w2 = make_world(store)
    sid = statement(store, w1, "a1", "Share the river.")
    with pytest.raises(Forbidden, match="another dialogue"):
        record_vote(store, participant_id=w2.people["a1"], statement_id=sid, value=1)
    with pytest.raises(Forbidden, match="another dialogue"):
        add_statement(store, participant_id=w2.people["a1"], round_id=w1.round_id, text="hi")


def test_unknown_ids(store: Store) -> None:
    w = make_world(store)
    with pytest.raises(NotFound, match="statement 31337"):
        record_vote(store, participant_id=w.people["a1"], statement_id=31337, value=1)
    with pytest.raises(NotFound, match="participant 31337"):
        record_vote(store, participant_id=31337, statement_id=1, value=1)


def test_rejected_and_premoderated_statements_cannot_be_voted(store: Store) -> None:
    w = make_world(store, moderation="pre")
    sid = statement(store, w, "a1", "Share the river.")
    with pytest.raises(Conflict, match="pending"):
        record_vote(store, participant_id=w.people["b1"], statement_id=sid, value=1)
    assert statements_to_vote(store, participant_id=w.people["b1"]) == []
    moderate_statement(store, statement_id=sid, accept=True)
    assert [s.id for s in statements_to_vote(store, participant_id=w.people["b1"])] == [sid]
    with pytest.raises(InvalidInput, match="reason"):
        moderate_statement(store, statement_id=sid, accept=False)
    moderate_statement(store, statement_id=sid, accept=False, reason="Attacks a person.")
    with pytest.raises(Conflict, match="rejected"):
        record_vote(store, participant_id=w.people["b1"], statement_id=sid, value=1)


def test_statements_to_vote_alternate_sides_and_skip_own_and_voted(store: Store) -> None:
    w = make_world(store)
    a = [statement(store, w, "a1", f"Upstream view {i}") for i in range(3)]
    b = [statement(store, w, "b2", f"Downstream view {i}") for i in range(2)]
    own = statement(store, w, "b1", "My own view")
    record_vote(store, participant_id=w.people["a2"], statement_id=a[0], value=1)
    record_vote(store, participant_id=w.people["b1"], statement_id=a[1], value=0)
    queue = statements_to_vote(store, participant_id=w.people["b1"])
    order = [s.id for s in queue]
    # b1 was shown one Upstream statement: a Downstream one now, then in turn; fewest votes
    # first within a side; one's own and those voted on left out
    assert [s.side_id for s in queue] == [w.sides[1], w.sides[0]] * 2
    assert [i for i in order if i in a] == [a[2], a[0]]
    assert sorted(i for i in order if i in b) == b
    assert own not in order
