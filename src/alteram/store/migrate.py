"""Schema migrations with Alembic, run on a :class:`~alteram.store.database.Store`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from alteram.store.database import Store

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    """An Alembic configuration pointing at alteram's migrations (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    return config


def head_revision() -> str:
    """The newest revision the code knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(store: Store) -> str | None:
    """The revision the database is at, or None for an empty database."""
    store.check()
    with store.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(store: Store, revision: str = "head") -> None:
    """Bring the database to ``revision`` (the newest by default), in one transaction."""
    _run(store, lambda config: command.upgrade(config, revision))


def downgrade(store: Store, revision: str) -> None:
    """Take the database back to ``revision``, in one transaction."""
    _run(store, lambda config: command.downgrade(config, revision))


def _run(store: Store, step: Callable[[Config], None]) -> None:
    """Run a migration step on one connection and transaction.

    On SQLite, foreign keys are switched off while the step runs (a table rebuilt by a
    migration would otherwise cascade deletes into the tables that refer to it), and checked
    before the transaction commits.
    """
    store.check()
    config = alembic_config()
    with store.engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            with conn.begin():
                config.attributes["connection"] = conn
                step(config)
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise RuntimeError(f"migration broke foreign keys: {broken[:5]}")
        finally:
            if sqlite:
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]


def ensure_schema(store: Store) -> bool:
    """Run the migrations when the database is behind; True when anything ran."""
    if current_revision(store) == head_revision():
        return False
    upgrade(store)
    return True
