"""Migrations run forwards and backwards on both backends."""

from __future__ import annotations

from sqlalchemy import inspect, select

from alteram.service.participation import record_vote
from alteram.store.database import Store
from alteram.store.migrate import current_revision, downgrade, ensure_schema, head_revision, upgrade
from alteram.store.schema import Base, Round, Statement, Vote
from tests.factories import make_world, statement


def test_downgrade_then_upgrade(store: Store) -> None:
    downgrade(store, "base")
    with store.engine.connect() as conn:
        assert not inspect(conn).has_table("votes")
    assert ensure_schema(store) is True
    assert current_revision(store) == head_revision()
    assert ensure_schema(store) is False


def test_migrations_create_every_table_of_the_schema(store: Store) -> None:
    with store.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_each_step_back_keeps_the_data(store: Store) -> None:
    w = make_world(store)
    sid = statement(store, w, "a1", "Keep me through migrations.")
    record_vote(store, participant_id=w.people["b1"], statement_id=sid, value=1)
    downgrade(store, "0001")
    upgrade(store)
    with store.read() as s:
        assert s.scalars(select(Statement.text)).all() == ["Keep me through migrations."]
        assert s.scalars(select(Vote.value)).all() == [1]
        assert s.scalars(select(Round.analysis_every)).all() == [100]
