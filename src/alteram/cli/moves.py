"""``alteram moves``: classify texts into dialogue and pressure moves."""

from __future__ import annotations

import typer


def moves(texts: list[str] = typer.Argument(None, help="Texts to classify.")) -> None:
    """Print each text's move, kind and confidence."""
    raise typer.Exit(1)
