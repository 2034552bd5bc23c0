"""``alteram facilitator``: facilitator accounts."""

from __future__ import annotations

import typer

from alteram.cli.common import console, open_store
from alteram.service.accounts import create_facilitator

app = typer.Typer(help="Facilitator accounts.", no_args_is_help=True)


@app.command("create")
def create_command(
    email: str = typer.Argument(..., help="The facilitator's email (their sign-in name)."),
    password: str = typer.Option(
        ...,
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        envvar="ALTERAM_NEW_PASSWORD",
        help="Asked for when not given [ALTERAM_NEW_PASSWORD].",
    ),
) -> None:
    """Create a facilitator account (the password is stored as an argon2 hash)."""
    account_id = create_facilitator(open_store(), email=email, password=password)
    console.print(f"Facilitator {email} created (account {account_id}).", markup=False)
