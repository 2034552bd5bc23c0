"""``alteram dialogues``: list, show and create dialogues; their team and visibility.

The CLI acts as the machine's administrator: it sees and runs every dialogue."""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.table import Table

from alteram.cli.common import console, open_store
from alteram.config import get_settings
from alteram.service import dialogue_life, team
from alteram.service.access import ADMIN
from alteram.service.dialogues import create_dialogue, dialogue_summary, list_dialogues
from alteram.store.database import Store

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
    owner: str | None = typer.Option(
        None, "--owner", help="Email of the facilitator account that owns it."
    ),
    visibility: str = typer.Option("private", help="private, unlisted or public."),
) -> None:
    """Create a dialogue with its sides and languages; prints one invite link per side."""
    store = open_store()
    owner_id = _account(store, owner) if owner else None
    created = create_dialogue(
        store,
        title=title,
        charter=charter,
        sides=side,
        languages=language,
        owner_account_id=owner_id,
        visibility=visibility,
    )
    console.print(
        f"Dialogue {created.dialogue_id} created, held in {', '.join(language)}.", markup=False
    )
    base = get_settings().base_url()
    for sid, name in zip(created.side_ids, side, strict=True):
        console.print(
            f"  invite link for {name.strip()}: {base}/join/{created.invite_tokens[sid]}",
            markup=False,
        )


def _account(store: Store, email: str) -> int:
    from sqlalchemy import select

    from alteram.errors import NotFound
    from alteram.store.schema import Account

    with store.read() as session:
        found = session.scalar(select(Account.id).where(Account.email == email.strip().lower()))
    if found is None:
        raise NotFound(
            f"there is no facilitator account for {email}.",
            hint="Create it first: alteram facilitator create EMAIL.",
        )
    return int(found)


@app.command("team")
def team_command(
    dialogue_id: int = typer.Argument(..., help="The dialogue's id."),
    add: str | None = typer.Option(None, "--add", help="Add this facilitator account (email)."),
    role: str = typer.Option("cofacilitator", help="owner or cofacilitator."),
    remove: str | None = typer.Option(None, "--remove", help="Take this account off the team."),
) -> None:
    """Show a dialogue's facilitation team, or change it (as the machine's administrator)."""
    store = open_store()
    if add:
        team.add_facilitator(store, actor=ADMIN, dialogue_id=dialogue_id, email=add, role=role)
    if remove:
        team.remove_facilitator(
            store, actor=ADMIN, dialogue_id=dialogue_id, account_id=_account(store, remove)
        )
    members = team.team(store, actor=ADMIN, dialogue_id=dialogue_id)
    if not members:
        console.print(
            f"Dialogue {dialogue_id} has no facilitation team yet: "
            f"alteram dialogues team {dialogue_id} --add EMAIL --role owner",
            markup=False,
        )
    for m in members:
        console.print(f"  {m.email}: {m.role}", markup=False)


@app.command("visibility")
def visibility_command(
    dialogue_id: int = typer.Argument(..., help="The dialogue's id."),
    visibility: str = typer.Argument(..., help="private, unlisted or public."),
) -> None:
    """Set who can see a dialogue: private, unlisted (by its link) or public (listed)."""
    store = open_store()
    dialogue_life.set_visibility(store, actor=ADMIN, dialogue_id=dialogue_id, visibility=visibility)
    console.print(f"Dialogue {dialogue_id} is now {visibility}.", markup=False)
