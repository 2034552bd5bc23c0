"""``alteram demo``: put the simulated demonstration dialogue in the database."""

from __future__ import annotations

import typer

from alteram.cli.common import console, describe, open_store
from alteram.config import get_settings
from alteram.service.demo import create_demo
from alteram.service.dialogues import count_dialogues
from alteram.store.migrate import ensure_schema


def demo(
    if_empty: bool = typer.Option(
        False, "--if-empty", help="Only when the database holds no dialogue yet."
    ),
) -> None:
    """Create the demonstration dialogue (simulated participants and votes)."""
    store = open_store(must_exist=False)
    ensure_schema(store)
    if if_empty and count_dialogues(store) > 0:
        console.print(f"{describe(store)} already holds dialogues; no demo added.")
        return
    with console.status("Simulating the demonstration dialogue..."):
        created = create_demo(store)
    console.print(
        f"Demo dialogue {created.dialogue_id} (simulated) created in {describe(store)}: "
        f"{created.participants} participants, {created.statements} statements, "
        f"{created.votes} votes, {created.predictions} predictions."
    )
    base = get_settings().base_url()
    for side, token in created.invite_tokens.items():
        console.print(f"  invite link for {side}: {base}/join/{token}", markup=False)
