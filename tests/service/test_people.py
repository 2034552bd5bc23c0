"""Removal, restoration and the moderation log through the service layer (both stores)."""

from __future__ import annotations

import pytest

from alteram.errors import Conflict, NotFound
from alteram.service.access import ADMIN, Actor
from alteram.service.analyses import round_inputs
from alteram.service.flags import flag_statement
from alteram.service.invites import create_link, list_invites, replace_invite
from alteram.service.moderation import moderation_log
from alteram.service.participation import add_statement, moderate_statement, record_vote
from alteram.service.people import members, remove_participant, restore_participant
from alteram.service.people_state import Removed
from alteram.store.database import Store
from tests.factories import make_world, statement


def test_removed_votes_and_predictions_leave_the_inputs_and_come_back(store: Store) -> None:
    w = make_world(store)
    sid = statement(store, w, "a1", "The river is a common good.")
    other = w.sides[0]
    record_vote(
        store, participant_id=w.people["b1"], statement_id=sid, value=1, predictions={other: 70}
    )
    record_vote(
        store, participant_id=w.people["b2"], statement_id=sid, value=-1, predictions={other: 20}
    )
    record_vote(store, participant_id=w.people["a2"], statement_id=sid, value=1)

    def inputs() -> tuple[set[int], set[int], str]:
        with store.read() as session:
            found = round_inputs(session, w.round_id)
        return (
            set(found.votes["participant"]),
            set(found.predictions["participant"]),
            found.fingerprint,
        )

    voters, predictors, before = inputs()
    assert voters == {w.people["b1"], w.people["b2"], w.people["a2"]}
    assert predictors == {w.people["b1"], w.people["b2"]}

    remove_participant(store, actor=ADMIN, participant_id=w.people["b1"], reason="a test")
    voters, predictors, removed = inputs()
    assert w.people["b1"] not in voters and predictors == {w.people["b2"]}
    assert removed != before
    everyone = {m.id: m for m in members(store, actor=ADMIN, dialogue_id=w.dialogue_id)}
    assert everyone[w.people["b1"]].votes == 1  # nothing deleted

    with pytest.raises(Removed, match="removed you"):
        record_vote(store, participant_id=w.people["b1"], statement_id=sid, value=0)
    with pytest.raises(Removed):
        add_statement(store, participant_id=w.people["b1"], round_id=w.round_id, text="Hello.")
    with pytest.raises(Removed):
        flag_statement(store, participant_id=w.people["b1"], statement_id=sid, reason="x")

    restore_participant(store, actor=ADMIN, participant_id=w.people["b1"], reason="back")
    assert inputs()[2] == before
    with pytest.raises(Conflict, match="not removed"):
        restore_participant(store, actor=ADMIN, participant_id=w.people["b1"], reason="again")


def test_moderation_by_the_administrator_is_logged_as_such(store: Store) -> None:
    w = make_world(store)
    sid = statement(store, w, "a1", "Factories should publish what they release.")
    moderate_statement(store, statement_id=sid, accept=False, reason="off topic")
    moderate_statement(store, statement_id=sid, accept=True)
    log = moderation_log(store, actor=ADMIN, dialogue_id=w.dialogue_id)
    assert [(e.kind, e.by_kind, e.reason, e.item_id, e.participant_id) for e in log] == [
        ("statement_accepted", "administrator", None, sid, w.people["a1"]),
        ("statement_rejected", "administrator", "off topic", sid, w.people["a1"]),
    ]


def test_nobody_outside_the_team_manages_links_or_people(store: Store) -> None:
    w = make_world(store)
    outsider = Actor(account_id=None, participant_id=w.people["a1"])
    with pytest.raises(NotFound):
        list_invites(store, actor=outsider, dialogue_id=w.dialogue_id)
    with pytest.raises(NotFound):
        create_link(store, actor=outsider, dialogue_id=w.dialogue_id, side_id=w.sides[0])
    with pytest.raises(NotFound):
        remove_participant(store, actor=outsider, participant_id=w.people["b1"], reason="x")
    with pytest.raises(NotFound):
        moderate_statement(
            store,
            statement_id=statement(store, w, "a2", "A statement."),
            accept=True,
            actor=outsider,
        )


def test_replacing_a_sides_link_leaves_its_personal_and_observer_links_alone(
    store: Store,
) -> None:
    w = make_world(store)
    watch = create_link(
        store, actor=ADMIN, dialogue_id=w.dialogue_id, kind="observer", side_id=w.sides[0]
    )
    replace_invite(store, side_id=w.sides[0])
    states = {v.id: v.state for v in list_invites(store, actor=ADMIN, dialogue_id=w.dialogue_id)}
    assert states[watch.links[0].invite_id] == "active"
    assert sorted(states.values()).count("revoked") == 1
