"""What every command needs: the store from the settings, and console output."""

from __future__ import annotations

from rich.console import Console

from alteram.config import get_settings
from alteram.errors import StoreUnavailable
from alteram.store.database import Store, redact
from alteram.store.migrate import current_revision, head_revision

console = Console(highlight=False)


def open_store(*, must_exist: bool = True) -> Store:
    """The configured store; with ``must_exist``, refuse a missing or outdated database."""
    settings = get_settings()
    url = settings.resolved_database_url()
    store = Store(url, create_dir=not must_exist)
    if not must_exist:
        store.check()
        return store
    if store.path is not None and not store.path.exists():
        raise StoreUnavailable(
            f"there is no alteram database at {store.path}.",
            hint="Run 'alteram db upgrade' to create one, or 'alteram demo' for a demonstration "
            "dialogue (ALTERAM_DATA_DIR or ALTERAM_DATABASE_URL choose another place).",
        )
    revision = current_revision(store)
    if revision != head_revision():
        where = store.path if store.path is not None else redact(url)
        state = "empty" if revision is None else f"at schema {revision}"
        raise StoreUnavailable(
            f"the database at {where} is {state}, not at {head_revision()}.",
            hint="Run 'alteram db upgrade' first.",
        )
    return store


def describe(store: Store) -> str:
    """Where the store is, for messages (password hidden)."""
    return str(store.path) if store.path is not None else redact(store.url)
