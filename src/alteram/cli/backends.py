"""``alteram backends check``: which outside services are configured, and do they answer.

    alteram backends check
    translation: LibreTranslate at http://127.0.0.1:5000 answers (en->zh in 0.41 s): '...'
    language model: not configured (ALTERAM_LLM_URL is unset).

Exits with 1 when a configured backend does not answer properly. API keys never appear.
"""

from __future__ import annotations

import logging

import typer
from rich.console import Console

from alteram.config import get_settings

app = typer.Typer(
    help="Outside services: machine translation and the language model.", no_args_is_help=True
)


@app.command("check")
def check() -> None:
    """Say which translation backend and language model are set, and whether each answers."""
    from alteram.backends.check import check_backends

    settings = get_settings()
    # Each failure ends in one line that counts the attempts; the retry warnings are noise here.
    logging.getLogger("alteram.backends").setLevel(logging.ERROR)
    statuses = check_backends(settings)
    console = Console(highlight=False, soft_wrap=True)
    for status in statuses:
        console.print(status.line, markup=False)
    if not all(status.ok for status in statuses):
        raise typer.Exit(1)
