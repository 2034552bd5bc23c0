"""Fair routing: the sides a participant is shown stay even, whatever others vote."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from alteram.engine.routing import Candidate, order, priority, shown_by_side, uncertainty

SIDES = (10, 20, 30)


@st.composite
def rounds(draw: st.DrawFn) -> tuple[list[Candidate], int, list[tuple[str, int, int, int]]]:
    n_sides = draw(st.integers(2, 3))
    sides = SIDES[:n_sides]
    statements = []
    for i in range(draw(st.integers(2, 24))):
        side = draw(st.sampled_from((*sides, None)))
        statements.append(Candidate(i + 1, side, seeded=draw(st.booleans()) and i % 3 == 0))
    reader_side = draw(st.sampled_from(sides))
    # events: ("other", statement index, voter side, value) or ("me", 0, 0, value)
    events = draw(
        st.lists(
            st.one_of(
                st.tuples(
                    st.just("other"),
                    st.integers(0, len(statements) - 1),
                    st.sampled_from(sides),
                    st.sampled_from((-1, 0, 1)),
                ),
                st.tuples(st.just("me"), st.just(0), st.just(0), st.sampled_from((-1, 0, 1))),
            ),
            max_size=80,
        )
    )
    return statements, reader_side, events


def _with_votes(c: Candidate, reader_side: int, side: int, value: int) -> Candidate:
    mine = side == reader_side
    return replace(
        c,
        agree=c.agree + (mine and value == 1),
        disagree=c.disagree + (mine and value == -1),
        passes=c.passes + (mine and value == 0),
        votes=c.votes + 1,
    )


@settings(max_examples=300, deadline=None)
@given(rounds(), st.integers(0, 2**32))
def test_the_sides_shown_never_differ_by_more_than_one(
    world: tuple[list[Candidate], int, list[tuple[str, int, int, int]]], seed: int
) -> None:
    statements, reader_side, events = world
    pending = {c.id: c for c in statements}
    seen: list[int | None] = []
    team_seeds = {c.id for c in statements if c.side_id is None and c.seeded}
    for kind, index, side, value in events:
        if kind == "other":
            sid = statements[index].id
            if sid in pending:
                pending[sid] = _with_votes(pending[sid], reader_side, side, value)
            continue
        if not pending:
            continue
        queue = order(
            pending.values(), shown=shown_by_side(seen), reader_side=reader_side, seed=seed
        )
        assert sorted(c.id for c in queue) == sorted(pending)
        nxt = queue[0]
        if team_seeds & set(pending):
            assert nxt.id in team_seeds  # the team's seeds come first
        del pending[nxt.id]
        seen.append(nxt.side_id)
        counts = shown_by_side(seen)
        left = {c.side_id for c in pending.values()}
        for a in SIDES:
            for b in SIDES:
                if a in left and b in left:
                    assert abs(counts.get(a, 0) - counts.get(b, 0)) <= 1, (counts, left)


def test_a_new_participant_starts_with_the_other_side_and_alternates() -> None:
    cs = [Candidate(i, 10) for i in range(1, 11)] + [Candidate(i, 20) for i in range(11, 21)]
    sides = [c.side_id for c in order(cs, shown={}, reader_side=10, seed=1)]
    assert sides == [20, 10] * 10


def test_what_the_participant_was_shown_decides_the_next_side() -> None:
    cs = [Candidate(1, 10), Candidate(2, 20), Candidate(3, 20)]
    # shown two of their own side already: the other side now, even though it is their own
    assert order(cs, shown={10: 1, 20: 3}, reader_side=20, seed=1)[0].side_id == 10
    assert order(cs, shown={10: 3, 20: 1}, reader_side=20, seed=1)[0].side_id == 20


def test_the_least_certain_and_least_voted_come_first_within_a_side() -> None:
    split = Candidate(1, 20, agree=5, disagree=5, votes=10)
    settled = Candidate(2, 20, agree=10, disagree=0, votes=10)
    fresh = Candidate(3, 20, votes=0)
    crowded = Candidate(4, 20, votes=60)  # many votes, none from the reader's side
    assert uncertainty(5, 5) > uncertainty(10, 0)
    assert priority(fresh) > priority(crowded)
    ids = [c.id for c in order([settled, crowded, split, fresh], shown={}, reader_side=10, seed=3)]
    assert ids[0] == 3
    assert ids.index(1) < ids.index(2)
    assert ids.index(3) < ids.index(4)


def test_seeds_come_first_the_teams_before_all() -> None:
    cs = [
        Candidate(1, 20),
        Candidate(2, 20, seeded=True),
        Candidate(3, 10, seeded=True),
        Candidate(4, None, seeded=True),
        Candidate(5, 10),
    ]
    ids = [c.id for c in order(cs, shown={}, reader_side=10, seed=9)]
    assert ids == [4, 2, 3, 1, 5]


def test_two_members_of_a_side_see_different_orders() -> None:
    cs = [Candidate(i, 20) for i in range(1, 30)]
    first = [c.id for c in order(cs, shown={}, reader_side=10, seed=101)]
    second = [c.id for c in order(cs, shown={}, reader_side=10, seed=102)]
    assert sorted(first) == sorted(second)
    assert first != second
    assert first == [c.id for c in order(cs, shown={}, reader_side=10, seed=101)]  # stable
