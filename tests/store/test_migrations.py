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


def test_ids_are_wide_enough_for_a_national_dialogue(store: Store) -> None:
    """Ids past 2^31 fit (BIGINT on PostgreSQL, 64-bit INTEGER on SQLite), sequences too."""
    w = make_world(store)
    sid = statement(store, w, "a1", "Big ids are fine.")
    big = 2**40
    with store.write() as s:
        s.execute(
            Vote.__table__.insert().values(
                id=big, statement_id=sid, participant_id=w.people["b1"], value=1
            )
        )
    record_vote(store, participant_id=w.people["b1"], statement_id=sid, value=-1)
    with store.read() as s:
        assert s.scalars(select(Vote.id).order_by(Vote.id)).all()[-1] >= big
    if store.dialect == "postgresql":
        with store.engine.connect() as conn:
            kinds = dict(
                conn.exec_driver_sql(
                    "SELECT table_name || '.' || column_name, data_type FROM "
                    "information_schema.columns WHERE table_schema = 'public' "
                    "AND (column_name = 'id' "
                    "OR right(column_name, 3) = '_id')"
                ).all()
            )
            seq = conn.exec_driver_sql(
                "SELECT data_type FROM information_schema.sequences "
                "WHERE sequence_name = 'votes_id_seq'"
            ).scalar()
        narrow = {
            c: k
            for c, k in kinds.items()
            if k != "bigint" and not c.startswith("alembic") and not c.endswith(".external_id")
        }
        assert narrow == {}
        assert seq == "bigint"
