"""The database enforces the rules itself, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, insert, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from alteram.service.participation import record_vote
from alteram.store.database import Store
from alteram.store.migrate import current_revision, head_revision
from alteram.store.schema import (
    Participant,
    Prediction,
    Round,
    RoundEvent,
    Side,
    Statement,
    Vote,
)
from tests.factories import make_world, statement


def test_new_database_is_at_the_newest_schema(store: Store) -> None:
    assert current_revision(store) == head_revision()


def test_votes_are_append_only(store: Store) -> None:
    w = make_world(store)
    sid = statement(store, w, "a1", "Rivers connect us.")
    recorded = record_vote(
        store,
        participant_id=w.people["b1"],
        statement_id=sid,
        value=1,
        predictions={w.sides[0]: 70},
    )
    with pytest.raises(DBAPIError, match="append-only"), store.write() as s:
        s.execute(update(Vote).where(Vote.id == recorded.vote_id).values(value=-1))
    with pytest.raises(DBAPIError, match="append-only"), store.write() as s:
        s.execute(delete(Vote).where(Vote.id == recorded.vote_id))
    with pytest.raises(DBAPIError, match="append-only"), store.write() as s:
        s.execute(update(Prediction).values(share=1))
    with store.read() as s:
        assert s.get(Vote, recorded.vote_id).value == 1  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("table", "values"),
    [
        ("vote", {"value": 2}),
        ("prediction", {"share": 101}),
        ("prediction", {"share": -1}),
    ],
)
def test_value_ranges_are_checked(store: Store, table: str, values: dict[str, int]) -> None:
    w = make_world(store)
    sid = statement(store, w, "a1", "Rivers connect us.")
    vote = record_vote(store, participant_id=w.people["b1"], statement_id=sid, value=1)
    with pytest.raises(IntegrityError), store.write() as s:
        if table == "vote":
            s.execute(
                insert(Vote).values(statement_id=sid, participant_id=w.people["b2"], **values)
            )
        else:
            s.execute(
                insert(Prediction).values(vote_id=vote.vote_id, target_side_id=w.sides[0], **values)
            )


def test_a_participants_side_belongs_to_their_dialogue(store: Store) -> None:
    w1 = make_world(store)
    w2 = make_world(store)
    with pytest.raises(IntegrityError), store.write() as s:
        s.add(Participant(dialogue_id=w1.dialogue_id, side_id=w2.sides[0], role="participant"))


def test_a_participant_other_than_a_facilitator_has_a_side(store: Store) -> None:
    w = make_world(store)
    with pytest.raises(IntegrityError), store.write() as s:
        s.add(Participant(dialogue_id=w.dialogue_id, side_id=None, role="participant"))
    with store.write() as s:
        s.add(Participant(dialogue_id=w.dialogue_id, side_id=None, role="facilitator"))


def test_only_one_open_round_per_dialogue(store: Store) -> None:
    w = make_world(store)
    with pytest.raises(IntegrityError), store.write() as s:
        s.add(Round(dialogue_id=w.dialogue_id, number=2, title="x", state="open"))


def test_a_suspension_event_needs_a_reason(store: Store) -> None:
    w = make_world(store)
    with pytest.raises(IntegrityError), store.write() as s:
        s.add(RoundEvent(round_id=w.round_id, kind="suspended", reason=""))


def test_unknown_states_and_empty_texts_are_refused(store: Store) -> None:
    w = make_world(store)
    with pytest.raises(IntegrityError), store.write() as s:
        s.execute(update(Round).where(Round.id == w.round_id).values(state="paused"))
    with pytest.raises(IntegrityError), store.write() as s:
        s.add(
            Statement(
                dialogue_id=w.dialogue_id,
                round_id=w.round_id,
                author_id=w.people["a1"],
                side_id=w.sides[0],
                text="",
            )
        )
    with pytest.raises(IntegrityError), store.write() as s:
        s.add(Side(dialogue_id=w.dialogue_id, name="Upstream", position=7))


def test_a_statement_cannot_point_at_a_round_of_another_dialogue(store: Store) -> None:
    w1 = make_world(store)
    w2 = make_world(store)
    with pytest.raises(IntegrityError), store.write() as s:
        s.add(
            Statement(
                dialogue_id=w1.dialogue_id,
                round_id=w2.round_id,
                author_id=w1.people["a1"],
                side_id=w1.sides[0],
                text="hello",
            )
        )


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_store: Store) -> None:
    with sqlite_store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 1000


def test_a_failed_transaction_leaves_nothing_behind(store: Store) -> None:
    w = make_world(store)
    with pytest.raises(RuntimeError), store.write() as s:
        s.add(
            Statement(
                dialogue_id=w.dialogue_id,
                round_id=w.round_id,
                author_id=w.people["a1"],
                side_id=w.sides[0],
                text="half-done",
            )
        )
        s.flush()
        raise RuntimeError("crash in the middle")
    with store.read() as s:
        assert s.query(Statement).count() == 0
