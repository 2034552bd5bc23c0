"""Routing over the store: per-side counts kept with each vote, fair order per participant."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from alteram.service import ratelimit
from alteram.service.access import ADMIN
from alteram.service.participation import admit, moderate_statement, record_vote
from alteram.service.participation import statements_to_vote as queue
from alteram.service.people import remove_participant, restore_participant
from alteram.service.seeds import seed_statements
from alteram.service.side_counts import recount
from alteram.store.database import Store
from alteram.store.schema import StatementSideCount
from tests.factories import World, make_world, statement


@pytest.fixture(autouse=True)
def _no_rate_limits() -> Iterator[None]:
    """Twenty statements by one author in a second are a test's, not a flood."""
    ratelimit.configure(enabled=False)
    yield
    ratelimit.configure(enabled=True)


def _counts(store: Store) -> dict[tuple[int, int], tuple[int, int, int]]:
    with store.read() as s:
        return {
            (c.statement_id, c.side_id): (c.agree, c.disagree, c.passes)
            for c in s.scalars(select(StatementSideCount))
        }


def _world(store: Store, per_side: int = 10) -> tuple[World, list[int], list[int]]:
    w = make_world(store)
    a = [statement(store, w, "a1", f"Upstream view number {i}") for i in range(per_side)]
    b = [statement(store, w, "b1", f"Downstream view number {i}") for i in range(per_side)]
    for sid in a + b:
        moderate_statement(store, statement_id=sid, accept=True)
    return w, a, b


def test_counts_follow_each_vote_and_its_replacement(store: Store) -> None:
    w, a, _ = _world(store, per_side=1)
    record_vote(store, participant_id=w.people["b1"], statement_id=a[0], value=1)
    record_vote(store, participant_id=w.people["b2"], statement_id=a[0], value=0)
    record_vote(store, participant_id=w.people["a2"], statement_id=a[0], value=-1)
    assert _counts(store) == {(a[0], w.sides[1]): (1, 0, 1), (a[0], w.sides[0]): (0, 1, 0)}
    record_vote(store, participant_id=w.people["b1"], statement_id=a[0], value=-1)  # changes
    record_vote(store, participant_id=w.people["b2"], statement_id=a[0], value=0)  # same again
    kept = _counts(store)
    assert kept == {(a[0], w.sides[1]): (0, 1, 1), (a[0], w.sides[0]): (0, 1, 0)}
    with store.write() as s:
        recount(s, round_ids=[w.round_id])  # what a rebuild from the votes gives
    assert _counts(store) == kept
    remove_participant(store, actor=ADMIN, participant_id=w.people["b1"], reason="Spam.")
    assert _counts(store)[(a[0], w.sides[1])] == (0, 0, 1)
    restore_participant(store, actor=ADMIN, participant_id=w.people["b1"], reason="Mistake.")
    assert _counts(store) == kept


def test_a_new_participant_alternates_between_the_sides(store: Store) -> None:
    w, a, b = _world(store)
    new = admit(store, token=w.tokens[w.sides[0]], display_name="a3").participant_id
    side = {sid: w.sides[0] for sid in a} | {sid: w.sides[1] for sid in b}
    shown = []
    while q := queue(store, participant_id=new):
        shown.append(side[q[0].id])
        record_vote(store, participant_id=new, statement_id=q[0].id, value=1)
    assert shown == [w.sides[1], w.sides[0]] * 10  # the other side first, then in turn


def test_two_members_of_a_side_get_different_orders_and_uncertain_first(store: Store) -> None:
    w, a, _ = _world(store)
    one = admit(store, token=w.tokens[w.sides[1]], display_name="b3").participant_id
    two = admit(store, token=w.tokens[w.sides[1]], display_name="b4").participant_id
    first = [s.id for s in queue(store, participant_id=one)]
    second = [s.id for s in queue(store, participant_id=two)]
    assert sorted(first) == sorted(second) and first != second
    # b2 of the same side settles every Upstream statement but two: those come first now
    for sid in a[2:]:
        record_vote(store, participant_id=w.people["b2"], statement_id=sid, value=1)
    for reader in (one, two):
        q = queue(store, participant_id=reader)
        upstream = [s.id for s in q if s.side_id == w.sides[0]]
        assert set(upstream[:2]) == set(a[:2])
        assert q[0].side_id == w.sides[0] and q[0].votes == 0


def test_seed_statements_come_first(store: Store) -> None:
    w, _, _ = _world(store, per_side=3)
    team, ours = seed_statements(
        store,
        actor=ADMIN,
        round_id=w.round_id,
        seeds=[("What would change your mind?", None), ("Rivers feed us.", w.sides[0])],
    )
    new = admit(store, token=w.tokens[w.sides[1]], display_name="b3").participant_id
    q = queue(store, participant_id=new)
    assert [s.id for s in q[:2]] == [team, ours]
    assert len(q) == 8
    record_vote(store, participant_id=new, statement_id=team, value=1)
    record_vote(store, participant_id=new, statement_id=ours, value=1)
    # shown one Upstream statement so far: a Downstream one now
    assert queue(store, participant_id=new)[0].side_id == w.sides[1]
