"""``alteram import``: load other tools' exports into the store."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from alteram.cli.common import console, describe, open_store
from alteram.store.migrate import ensure_schema

app = typer.Typer(help="Load other tools' exports as dialogues.", no_args_is_help=True)


@app.command("polis")
def polis_command(
    folder: Path = typer.Argument(..., help="A Polis export folder (votes.csv, comments.csv...)."),
) -> None:
    """Import a Polis export as a dialogue with one side and one closed round."""
    from alteram.interop.polis import read_polis_export
    from alteram.service.imports import import_polis

    export = read_polis_export(folder)
    store = open_store(must_exist=False)
    ensure_schema(store)
    with Progress(
        TextColumn("votes"), BarColumn(), MofNCompleteColumn(), console=console, transient=True
    ) as bar:
        task = bar.add_task("votes", total=len(export.votes))
        done = import_polis(
            store,
            export,
            source=folder,
            progress=lambda n, total: bar.update(task, completed=n, total=total),
        )
    console.print(
        f"Imported {folder.name} into {describe(store)} as dialogue {done.dialogue_id} "
        f"(round {done.round_id}): {done.participants} participants, {done.statements} "
        f"statements, {done.votes} votes.",
        markup=False,
    )
