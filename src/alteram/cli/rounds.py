"""``alteram rounds``: plan, open, suspend, resume and close rounds."""

from __future__ import annotations

import typer

from alteram.cli.common import console, open_store
from alteram.service import rounds

app = typer.Typer(help="Plan and run the rounds of a dialogue.", no_args_is_help=True)


@app.command("create")
def create_command(
    dialogue_id: int = typer.Argument(..., help="The dialogue's id."),
    title: str = typer.Option("", help="The round's title (default 'Round N')."),
    topic: list[str] = typer.Option([], "--topic", help="A prompt on the agenda; repeatable."),
    moderation: str = typer.Option("post", help="'pre' or 'post' moderation of statements."),
) -> None:
    """Plan the next round of a dialogue."""
    round_id = rounds.create_round(
        open_store(), dialogue_id=dialogue_id, title=title, topics=topic, moderation=moderation
    )
    console.print(f"Round {round_id} planned.", markup=False)


@app.command("open")
def open_command(round_id: int = typer.Argument(..., help="The round's id.")) -> None:
    """Open a planned round."""
    rounds.open_round(open_store(), round_id=round_id)
    console.print(f"Round {round_id} is open.", markup=False)


@app.command("suspend")
def suspend_command(
    round_id: int = typer.Argument(..., help="The round's id."),
    reason: str = typer.Option(..., help="Why; shown to participants."),
) -> None:
    """Suspend an open round, with a reason."""
    rounds.suspend_round(open_store(), round_id=round_id, reason=reason)
    console.print(f"Round {round_id} is suspended.", markup=False)


@app.command("resume")
def resume_command(
    round_id: int = typer.Argument(..., help="The round's id."),
    reason: str = typer.Option("", help="Optional note on the resumption."),
) -> None:
    """Resume a suspended round."""
    rounds.resume_round(open_store(), round_id=round_id, reason=reason)
    console.print(f"Round {round_id} is open again.", markup=False)


@app.command("close")
def close_command(round_id: int = typer.Argument(..., help="The round's id.")) -> None:
    """Close an open or suspended round."""
    rounds.close_round(open_store(), round_id=round_id)
    console.print(f"Round {round_id} is closed.", markup=False)
