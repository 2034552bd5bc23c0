"""``alteram db``: create and migrate the database."""

from __future__ import annotations

import typer

from alteram.cli.common import console, describe, open_store
from alteram.store.migrate import current_revision, head_revision, upgrade

app = typer.Typer(help="Create or migrate the database.", no_args_is_help=True)


@app.command("upgrade")
def upgrade_command() -> None:
    """Run the migrations: create the database or bring it to the newest schema."""
    store = open_store(must_exist=False)
    before = current_revision(store)
    upgrade(store)
    after = current_revision(store)
    if before == after:
        console.print(f"{describe(store)} is already at schema {after}.")
    else:
        console.print(f"{describe(store)}: schema {before or '(empty)'} -> {after}.")


@app.command("current")
def current_command() -> None:
    """Show where the database is and which schema it is at."""
    store = open_store(must_exist=False)
    console.print(f"database: {describe(store)}")
    console.print(f"schema:   {current_revision(store) or '(empty)'} (newest: {head_revision()})")
