"""Concerns: raised with reasons, answered by the other side, understood by both, or withdrawn."""

from __future__ import annotations

import pytest

from alteram.errors import Conflict, Forbidden, InvalidInput
from alteram.service.concerns import (
    answer_concern,
    concerns_of_dialogue,
    mark_understood,
    raise_concern,
    withdraw_concern,
)
from alteram.service.rounds import close_round, create_round, open_round
from alteram.store.database import Store
from tests.factories import make_world


def test_a_concern_carries_over_until_both_sides_understand(store: Store) -> None:
    w = make_world(store)
    cid = raise_concern(
        store,
        participant_id=w.people["a1"],
        title="The dam",
        why_it_matters="Our fields flood when it opens without warning.",
        what_to_understand="How do you decide when to open it?",
    )
    answer_concern(
        store,
        participant_id=w.people["b1"],
        concern_id=cid,
        text="We open it when the lake is full; we could warn you a day before.",
    )
    # Without a delegate a side decides by the majority of its members who took part:
    # on the raising side that is only the author so far.
    assert mark_understood(store, participant_id=w.people["a1"], concern_id=cid) == "open"
    close_round(store, round_id=w.round_id)
    r2 = create_round(store, dialogue_id=w.dialogue_id)
    open_round(store, round_id=r2)
    (view,) = concerns_of_dialogue(store, dialogue_id=w.dialogue_id)
    assert view.state == "open" and view.raised_in_round == 1  # carried into round 2
    # b1 answered, so b2 alone is half of the side that took part: not yet a majority.
    assert mark_understood(store, participant_id=w.people["b2"], concern_id=cid) == "open"
    assert mark_understood(store, participant_id=w.people["b1"], concern_id=cid) == "understood"
    (view,) = concerns_of_dialogue(store, dialogue_id=w.dialogue_id)
    assert view.state == "understood"
    assert [a.round_number for a in view.answers] == [1]
    marks = [(m.side, m.round_number) for m in view.marks]
    assert marks == [("Upstream", 1), ("Downstream", 2), ("Downstream", 2)]


def test_refusals(store: Store) -> None:
    w = make_world(store)
    with pytest.raises(InvalidInput, match="title"):
        raise_concern(store, participant_id=w.people["a1"], title="", why_it_matters="x")
    cid = raise_concern(
        store, participant_id=w.people["a1"], title="The dam", why_it_matters="Floods."
    )
    with pytest.raises(Forbidden, match="own concern"):
        answer_concern(store, participant_id=w.people["a2"], concern_id=cid, text="We agree.")
    with pytest.raises(Forbidden, match="only the side that raised"):
        withdraw_concern(store, participant_id=w.people["b1"], concern_id=cid)
    with pytest.raises(Forbidden, match="by its author or by a delegate"):
        withdraw_concern(store, participant_id=w.people["a2"], concern_id=cid)
    withdraw_concern(store, participant_id=w.people["a1"], concern_id=cid)
    with pytest.raises(Conflict, match="withdrawn"):
        answer_concern(store, participant_id=w.people["b1"], concern_id=cid, text="Late answer")
    with pytest.raises(Conflict, match="withdrawn"):
        mark_understood(store, participant_id=w.people["a1"], concern_id=cid)
    (view,) = concerns_of_dialogue(store, dialogue_id=w.dialogue_id)
    assert view.state == "withdrawn" and view.answers == []
