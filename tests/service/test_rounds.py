"""A round's life: planned, open, suspended (with reason), resumed, closed."""

from __future__ import annotations

import pytest

from alteram.errors import Conflict, InvalidInput, NotFound
from alteram.service.dialogues import create_dialogue, dialogue_summary
from alteram.service.rounds import (
    close_round,
    create_round,
    open_round,
    resume_round,
    suspend_round,
)
from alteram.store.database import Store


def _dialogue(store: Store) -> int:
    return create_dialogue(store, title="T", sides=["A", "B"]).dialogue_id


def test_full_life_keeps_every_event_with_its_reason(store: Store) -> None:
    d = _dialogue(store)
    r = create_round(store, dialogue_id=d, topics=["What matters?", " "])
    open_round(store, round_id=r)
    suspend_round(store, round_id=r, reason="Delegations postponed")
    resume_round(store, round_id=r, reason="Back online")
    suspend_round(store, round_id=r, reason="Second pause")
    resume_round(store, round_id=r)
    close_round(store, round_id=r)
    (rnd,) = dialogue_summary(store, d).rounds
    assert rnd.state == "closed"
    assert [(e.kind, e.reason and str(e.reason)) for e in rnd.events] == [
        ("opened", None),
        ("suspended", "Delegations postponed"),
        ("resumed", "Back online"),
        ("suspended", "Second pause"),
        ("resumed", None),
        ("closed", None),
    ]


def test_rounds_are_numbered_in_order(store: Store) -> None:
    d = _dialogue(store)
    ids = [create_round(store, dialogue_id=d) for _ in range(3)]
    assert [r.number for r in dialogue_summary(store, d).rounds] == [1, 2, 3]
    assert [r.id for r in dialogue_summary(store, d).rounds] == ids


@pytest.mark.parametrize(
    ("steps", "action", "match"),
    [
        ([], "suspend", "planned and cannot be suspended"),
        ([], "resume", "planned and cannot be resumed"),
        (["open"], "open", "already open"),
        (["open"], "resume", "open and cannot be resumed"),
        (["open", "close"], "open", "plan a new round"),
        (["open", "close"], "suspend", "closed"),
    ],
)
def test_impossible_transitions_say_what_to_do(
    store: Store, steps: list[str], action: str, match: str
) -> None:
    d = _dialogue(store)
    r = create_round(store, dialogue_id=d)
    do = {
        "open": lambda: open_round(store, round_id=r),
        "close": lambda: close_round(store, round_id=r),
        "suspend": lambda: suspend_round(store, round_id=r, reason="why"),
        "resume": lambda: resume_round(store, round_id=r),
    }
    for step in steps:
        do[step]()
    before = dialogue_summary(store, d)
    with pytest.raises(Conflict, match=match):
        do[action]()
    assert dialogue_summary(store, d) == before


def test_a_suspension_needs_a_reason(store: Store) -> None:
    d = _dialogue(store)
    r = create_round(store, dialogue_id=d)
    open_round(store, round_id=r)
    with pytest.raises(InvalidInput, match="reason"):
        suspend_round(store, round_id=r, reason="  ")
    assert dialogue_summary(store, d).rounds[0].state == "open"


def test_only_one_round_open_at_a_time(store: Store) -> None:
    d = _dialogue(store)
    r1 = create_round(store, dialogue_id=d)
    r2 = create_round(store, dialogue_id=d)
    open_round(store, round_id=r1)
    with pytest.raises(Conflict, match="still open"):
        open_round(store, round_id=r2)
    suspend_round(store, round_id=r1, reason="pause")
    open_round(store, round_id=r2)
    with pytest.raises(Conflict, match="still open"):
        resume_round(store, round_id=r1)


def test_bad_round_input(store: Store) -> None:
    d = _dialogue(store)
    with pytest.raises(InvalidInput, match="moderation"):
        create_round(store, dialogue_id=d, moderation="later")
    with pytest.raises(NotFound, match="dialogue 4242"):
        create_round(store, dialogue_id=4242)
    with pytest.raises(NotFound, match="round 4242"):
        open_round(store, round_id=4242)
