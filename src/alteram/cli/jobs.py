"""``alteram jobs``: see a dialogue's background jobs."""

from __future__ import annotations

import typer
from rich.table import Table

from alteram.cli.common import console, open_store
from alteram.service.jobs import list_jobs

app = typer.Typer(help="See background jobs (analyses, ...).", no_args_is_help=True)


@app.command("list")
def list_command(
    dialogue_id: int = typer.Argument(..., help="The dialogue's id."),
    limit: int = typer.Option(50, min=1, max=1000, help="How many, newest first."),
) -> None:
    """A dialogue's jobs: state, attempts and last error, newest first."""
    found = list_jobs(open_store(), dialogue_id=dialogue_id, limit=limit)
    if not found:
        console.print(f"Dialogue {dialogue_id} has no jobs.", markup=False)
        return
    table = Table(title=f"Jobs of dialogue {dialogue_id}")
    for name in ("id", "kind", "key", "state", "attempts", "created", "finished", "last error"):
        table.add_column(name, overflow="fold")
    for j in found:
        table.add_row(
            str(j.id),
            j.kind,
            j.key or "",
            j.state,
            f"{j.attempts}/{j.max_attempts}",
            f"{j.created_at:%Y-%m-%d %H:%M:%S}",
            f"{j.finished_at:%Y-%m-%d %H:%M:%S}" if j.finished_at else "",
            j.last_error or "",
            style={"failed": "red", "running": "cyan"}.get(j.state),
        )
    console.print(table)
