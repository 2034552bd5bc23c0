"""Migrations run forwards and backwards on both backends."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from alteram.store.database import Store
from alteram.store.migrate import alembic_config, current_revision, ensure_schema, head_revision
from alteram.store.schema import Base


def test_downgrade_then_upgrade(store: Store) -> None:
    config = alembic_config()
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
    with store.engine.connect() as conn:
        assert not inspect(conn).has_table("votes")
    assert ensure_schema(store) is True
    assert current_revision(store) == head_revision()
    assert ensure_schema(store) is False


def test_migrations_create_every_table_of_the_schema(store: Store) -> None:
    with store.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
    assert set(Base.metadata.tables) <= tables
