"""``alteram dialogues``: list, show and create dialogues."""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.table import Table

from alteram.cli.common import console, open_store
from alteram.config import get_settings
from alteram.service.dialogues import create_dialogue, dialogue_summary, list_dialogues

app = typer.Typer(help="List, show and create dialogues.", no_args_is_help=True)


@app.command("list")
def list_command() -> None:
    """List the dialogues with their sides and rounds."""
    store = open_store()
    rows = list_dialogues(store)
    if not rows:
        console.print(
            "No dialogues yet. Create one with 'alteram dialogues create' or 'alteram demo'."
        )
        return
    table = Table("id", "title", "sides", "rounds")
    for d in rows:
        title = escape(str(d.title)) + (" (simulated)" if d.simulated else "")
        sides = escape(", ".join(f"{s.name} ({s.participants})" for s in d.sides))
        rounds = ", ".join(f"{r.number}: {r.state}" for r in d.rounds) or "none yet"
        table.add_row(str(d.id), title, sides, rounds, style=None)
    console.print(table)


@app.command("show")
def show_command(dialogue_id: int = typer.Argument(..., help="The dialogue's id.")) -> None:
    """Show one dialogue: charter, sides, rounds and their history."""
    store = open_store()
    d = dialogue_summary(store, dialogue_id)
    simulated = " (simulated)" if d.simulated else ""
    console.print(f"[bold]{d.id}. {escape(str(d.title))}[/bold]{simulated}")
    console.print(str(d.charter), markup=False)
    for s in d.sides:
        console.print(f"  side {s.id}: {s.name}, {s.participants} participants", markup=False)
    for r in d.rounds:
        console.print(
            f"  round {r.number} (id {r.id}): {r.title} -- {r.state}, {r.statements} statements, "
            f"{r.votes} votes",
            markup=False,
        )
        for e in r.events:
            reason = f": {e.reason}" if e.reason else ""
            console.print(f"      {e.at:%Y-%m-%d} {e.kind}{reason}", markup=False)


@app.command("create")
def create_command(
    title: str = typer.Argument(..., help="The dialogue's title."),
    side: list[str] = typer.Option(..., "--side", help="A side's name; give two or more."),
    charter: str = typer.Option("", help="Purpose and norms shown to every participant."),
    language: list[str] = typer.Option(
        ["en", "zh"], "--language", help="A language the dialogue is held in; two or more."
    ),
) -> None:
    """Create a dialogue with its sides and languages; prints one invite link per side."""
    store = open_store()
    created = create_dialogue(store, title=title, charter=charter, sides=side, languages=language)
    console.print(
        f"Dialogue {created.dialogue_id} created, held in {', '.join(language)}.", markup=False
    )
    base = get_settings().base_url()
    for sid, name in zip(created.side_ids, side, strict=True):
        console.print(
            f"  invite link for {name.strip()}: {base}/join/{created.invite_tokens[sid]}",
            markup=False,
        )
