"""One number per fact (#12): a small round's shares are raw, with counts and an interval;
the ranking prior stays in the ranking; the misperception's "in fact" is the same share."""

from __future__ import annotations

import pytest
from scipy.stats import binomtest

from alteram.service.analyses import analyze_round
from alteram.service.joining import admit
from alteram.service.participation import record_vote
from alteram.service.results import round_results
from alteram.store.database import Store
from tests.factories import make_world, statement


def test_five_of_five_is_one_hundred_percent_with_its_interval(store: Store) -> None:
    world = make_world(store)
    a_side = world.sides[0]
    for n in (3, 4, 5):  # five people on each side
        for i, side in enumerate(world.sides):
            name = f"{'ab'[i]}{n}"
            world.people[name] = admit(
                store, token=world.tokens[side], display_name=name
            ).participant_id
    sid = statement(store, world, "a1", "Clean rivers matter to both of us.")
    other = statement(store, world, "b1", "Dams should be decided together.")
    for n in range(1, 6):
        record_vote(store, participant_id=world.people[f"a{n}"], statement_id=sid, value=1)
        record_vote(
            store,
            participant_id=world.people[f"b{n}"],
            statement_id=sid,
            value=1 if n <= 3 else -1,
            predictions={a_side: 40},  # they think 40 % of Upstream agree
        )
        record_vote(store, participant_id=world.people[f"a{n}"], statement_id=other, value=0)
        record_vote(store, participant_id=world.people[f"b{n}"], statement_id=other, value=1)
    stored = analyze_round(store, round_id=world.round_id)
    r = round_results(store, round_id=world.round_id, facilitator=True)
    (cg,) = [s for s in r.common_ground if s.id == sid]
    upstream, downstream = cg.shares
    assert (upstream.side, upstream.agree, upstream.votes) == ("Upstream", 5, 5)
    assert upstream.percent == 100.0  # not the smoothed 5.5 / 6 = 92 %
    ci = binomtest(5, 5).proportion_ci(method="wilson")
    assert (upstream.low, upstream.high) == pytest.approx((100 * ci.low, 100 * ci.high))
    assert upstream.small
    assert (downstream.agree, downstream.votes, downstream.percent) == (3, 5, 60.0)
    # the ranking score is the smoothed one, named as such, and not a share
    assert cg.ranking_score == pytest.approx(((5.5 / 6) * (3.5 / 6)) ** 0.5)
    # the stored analysis keeps the raw share and names the smoothed one for ranking
    rec = next(x for x in stored.result["sides"] if x["statement"] == sid and x["side"] == a_side)
    assert rec["agree_share"] == 1.0 and rec["ranking_share"] == pytest.approx(5.5 / 6)
    # the largest misperception: "in fact" is the very same share, 5 of 5
    (gap,) = [p for p in r.perception if p.predicting == "Downstream"]
    (m,) = gap.largest
    assert (m.predicted, m.actual) == (40.0, 100.0)
    assert m.share == upstream
    # passes count as votes: 0 of 5 Upstream agree with the other statement
    (dv,) = [s for s in r.divisive if s.id == other]
    assert [(x.agree, x.votes, x.percent) for x in dv.shares] == [(0, 5, 0.0), (5, 5, 100.0)]
    assert dv.shares[0].low == 0.0
