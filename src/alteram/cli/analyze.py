"""``alteram analyze``: run the opinion engine on a Polis export or a stored dialogue."""

from __future__ import annotations

import typer

app = typer.Typer(help="Analyse votes: opinion map, groups, consensus, bridging.", no_args_is_help=True)
