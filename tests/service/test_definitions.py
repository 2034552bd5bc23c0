"""Definitions, restatements and fairness ratings: the ideological Turing test."""

from __future__ import annotations

import pytest

from alteram.errors import Conflict, Forbidden, InvalidInput, NotFound
from alteram.service.definitions import (
    add_concept,
    concepts_of_round,
    propose_definition,
    rate_restatement,
    restate,
    vote_definition,
)
from alteram.service.rounds import close_round
from alteram.store.database import Store
from tests.factories import make_world


def test_top_voted_definition_is_restated_and_rated(store: Store) -> None:
    w = make_world(store)
    up, down = w.sides
    cid = add_concept(store, round_id=w.round_id, name="water")
    d1 = propose_definition(
        store,
        participant_id=w.people["a1"],
        concept_id=cid,
        text="Water is what keeps our fields alive.",
    )
    d2 = propose_definition(
        store,
        participant_id=w.people["a2"],
        concept_id=cid,
        text="Water is a shared trust across generations.",
    )
    vote_definition(store, participant_id=w.people["a1"], definition_id=d2, value=1)
    vote_definition(store, participant_id=w.people["a2"], definition_id=d2, value=1)
    vote_definition(store, participant_id=w.people["a2"], definition_id=d1, value=-1)
    r1 = restate(
        store,
        participant_id=w.people["b1"],
        concept_id=cid,
        side_id=up,
        text="To you, water is a trust you hold for your grandchildren.",
    )
    r2 = restate(
        store,
        participant_id=w.people["b2"],
        concept_id=cid,
        side_id=up,
        text="To you, water is a resource to be owned.",
    )
    rate_restatement(store, participant_id=w.people["a1"], restatement_id=r1, rating="fair")
    rate_restatement(store, participant_id=w.people["a2"], restatement_id=r1, rating="partly_fair")
    rate_restatement(store, participant_id=w.people["a2"], restatement_id=r1, rating="fair")
    rate_restatement(store, participant_id=w.people["a1"], restatement_id=r2, rating="unfair")
    (concept,) = concepts_of_round(store, round_id=w.round_id)
    by_side = {s.side_id: s for s in concept.sides}
    assert str(by_side[up].definition) == "Water is a shared trust across generations."
    assert by_side[up].candidates == 2
    assert [r.id for r in by_side[up].restatements] == [r1, r2]  # best first
    assert (by_side[up].restatements[0].fair, by_side[up].restatements[0].ratings) == (2, 2)
    # Downstream restated; 2 of its 3 latest ratings were "fair".
    assert by_side[down].fair_share == pytest.approx(2 / 3)
    assert by_side[up].fair_share is None and by_side[down].definition is None


def test_the_wrong_side_is_refused(store: Store) -> None:
    w = make_world(store)
    up, down = w.sides
    cid = add_concept(store, round_id=w.round_id, name="water")
    with pytest.raises(NotFound, match="not defined"):
        restate(store, participant_id=w.people["b1"], concept_id=cid, side_id=up, text="x")
    d = propose_definition(store, participant_id=w.people["a1"], concept_id=cid, text="Life.")
    with pytest.raises(Forbidden, match="only the defining side"):
        vote_definition(store, participant_id=w.people["b1"], definition_id=d, value=1)
    with pytest.raises(Forbidden, match="not your own"):
        restate(store, participant_id=w.people["a2"], concept_id=cid, side_id=up, text="Life")
    r = restate(store, participant_id=w.people["b1"], concept_id=cid, side_id=up, text="Life.")
    with pytest.raises(Forbidden, match="only the side whose definition"):
        rate_restatement(store, participant_id=w.people["b2"], restatement_id=r, rating="fair")
    with pytest.raises(InvalidInput, match="rating"):
        rate_restatement(store, participant_id=w.people["a1"], restatement_id=r, rating="great")
    with pytest.raises(InvalidInput, match="empty"):
        propose_definition(store, participant_id=w.people["a1"], concept_id=cid, text=" ")
    with pytest.raises(Conflict, match="already"):
        add_concept(store, round_id=w.round_id, name="water")
    close_round(store, round_id=w.round_id)
    with pytest.raises(Conflict, match="closed"):
        rate_restatement(store, participant_id=w.people["a1"], restatement_id=r, rating="fair")
    assert down
