"""``alteram export ROUND_ID --out DIR``: a round's data as CSV (Polis columns) and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from alteram.cli.common import console, open_store


def export(
    round_id: int = typer.Argument(..., help="The round's id."),
    out: Path = typer.Option(Path("."), "--out", help="Folder to write the files into."),
) -> None:
    """Write votes.csv, comments.csv, predictions.csv and round.json for a round."""
    from alteram.service.exports import as_csv, as_json, round_data

    data = round_data(open_store(), round_id=round_id)
    out.mkdir(parents=True, exist_ok=True)
    for name, text in as_csv(data).items():
        (out / name).write_text(text, encoding="utf-8")
    (out / "round.json").write_text(
        json.dumps(as_json(data), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    console.print(f"Round {round_id} exported to {out}.", markup=False)
