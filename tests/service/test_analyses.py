"""Analyses are versioned, fingerprinted, reproducible, and re-run every N votes."""

from __future__ import annotations

import threading

from alteram.service.analyses import (
    analyze_if_due,
    analyze_round,
    latest_analysis,
    votes_since_analysis,
)
from alteram.service.demo import create_demo
from alteram.service.facilitation import set_analysis_interval
from alteram.service.jobs import get_job, run_worker
from alteram.service.participation import record_vote, statements_to_vote
from alteram.service.results import round_results
from alteram.store.database import Store


def test_analysis_is_stored_once_per_distinct_input_and_reproducible(store: Store) -> None:
    demo = create_demo(store)
    first = analyze_round(store, round_id=1)
    assert first.version == 1 and len(first.fingerprint) == 64
    assert analyze_round(store, round_id=1).id == first.id  # same votes: no new version
    assert latest_analysis(store, round_id=1) == first
    assert first.result["n_votes"] > 2000
    sides = {p["id"] for p in first.result["participants"]}
    assert len(sides) > 100
    assert demo.dialogue_id == 1


def test_a_new_vote_makes_a_new_version_and_auto_analysis_waits_for_n(store: Store) -> None:
    create_demo(store)
    round_id = 3  # the demo's open round
    v1 = analyze_round(store, round_id=round_id)
    set_analysis_interval(store, round_id=round_id, every=2)
    voter = next(
        p for p in range(2, 400) if statements_to_vote(store, participant_id=p, round_id=round_id)
    )
    todo = statements_to_vote(store, participant_id=voter, round_id=round_id)
    record_vote(store, participant_id=voter, statement_id=todo[0].id, value=1)
    assert votes_since_analysis(store, round_id=round_id) == 1
    assert analyze_if_due(store, round_id=round_id) is None
    record_vote(store, participant_id=voter, statement_id=todo[1].id, value=-1)
    assert votes_since_analysis(store, round_id=round_id) == 2
    assert votes_since_analysis(store, round_id=round_id, at_most=1) == 1  # stops there
    job_id = analyze_if_due(store, round_id=round_id)
    assert job_id is not None
    assert analyze_if_due(store, round_id=round_id) is None  # already queued
    assert latest_analysis(store, round_id=round_id) == v1  # nothing ran here
    assert run_worker(store, worker_id="test", stop_event=threading.Event(), once=True) == 1
    assert get_job(store, job_id=job_id).state == "done"
    v2 = latest_analysis(store, round_id=round_id)
    assert v2 is not None and v2.version == v1.version + 1
    assert v2.fingerprint != v1.fingerprint
    assert v2.result["n_votes"] == v1.result["n_votes"] + 2


def test_results_in_words_match_the_stored_analysis(store: Store) -> None:
    create_demo(store)
    r = round_results(store, round_id=2, facilitator=True)
    stored = latest_analysis(store, round_id=2)
    assert stored is not None and r.analysis_version == stored.version
    assert [s.id for s in r.common_ground] == [
        c["statement"] for c in stored.result["common_ground"][: len(r.common_ground)]
    ]
    assert all(
        all(sh.percent is not None and sh.percent > 50 for sh in s.shares) for s in r.common_ground
    )
    # The demo's stereotype makes each side misjudge the other by well over ten points.
    assert {p.predicting for p in r.perception} == {"China", "United States"}
    assert all(p.enough_data and p.gap is not None and p.gap > 10 for p in r.perception)
    largest = r.perception[0].largest
    assert [abs(m.error) for m in largest] == sorted((abs(m.error) for m in largest), reverse=True)
    assert r.move_profile is not None and set(r.move_profile) == {"China", "United States"}


def test_a_round_where_only_one_side_has_voted_is_analysed(store: Store) -> None:
    from tests.factories import make_world, statement

    w = make_world(store)
    sids = [statement(store, w, "a1", f"Upstream view {i}") for i in range(3)]
    for who in ("b1", "b2"):
        for sid in sids:
            record_vote(
                store,
                participant_id=w.people[who],
                statement_id=sid,
                value=1,
                predictions={w.sides[0]: 50},
            )
    stored = analyze_round(store, round_id=w.round_id)
    assert stored.result["n_votes"] == 6
    r = round_results(store, round_id=w.round_id, facilitator=True)
    assert all(not p.enough_data for p in r.perception)
