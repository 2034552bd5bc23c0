"""``alteram export ROUND_ID --out DIR``: a round's data as CSV (the Polis set and the rest)
and one JSON document (``round.json``, see ``alteram/service/data/export.schema.json``);
``--parquet DIR``: its votes as Parquet shards for the Dask engine."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from alteram.cli.common import console, open_store


def export(
    round_id: int = typer.Argument(..., help="The round's id (a dialogue's with --dialogue)."),
    out: Path = typer.Option(Path("."), "--out", help="Folder to write the files into."),
    parquet: Path | None = typer.Option(
        None, "--parquet", help="Write Parquet vote shards (and statements, sides) here instead."
    ),
    dialogue: bool = typer.Option(
        False, "--dialogue", help="With --parquet: the id is a dialogue's; one folder per round."
    ),
    rows_per_shard: int = typer.Option(
        1_000_000, "--rows-per-shard", min=1, help="With --parquet: votes per shard."
    ),
) -> None:
    """Write the Polis set (summary, comments, votes, participants-votes), every other table
    as CSV, and round.json (which 'alteram import round' reads back) for a round."""
    if parquet is not None:
        _parquet(round_id, parquet, dialogue, rows_per_shard)
        return
    from alteram.service.exports import as_csv, as_json, round_data

    data = round_data(open_store(), round_id=round_id)
    out.mkdir(parents=True, exist_ok=True)
    for name, text in as_csv(data).items():
        (out / name).write_text(text, encoding="utf-8")
    (out / "round.json").write_text(
        json.dumps(as_json(data), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    console.print(f"Round {round_id} exported to {out}.", markup=False)


def _parquet(ident: int, folder: Path, dialogue: bool, rows_per_shard: int) -> None:
    from alteram.cli.dask_options import progress_bars
    from alteram.service.parquet_export import export_dialogue_parquet, export_round_parquet

    store = open_store()
    with progress_bars() as progress:
        if dialogue:
            manifests = export_dialogue_parquet(
                store,
                dialogue_id=ident,
                folder=folder,
                rows_per_shard=rows_per_shard,
                progress=progress,
            )
        else:
            manifests = {
                0: export_round_parquet(
                    store,
                    round_id=ident,
                    folder=folder,
                    rows_per_shard=rows_per_shard,
                    progress=progress,
                )
            }
    for m in manifests.values():
        console.print(
            f"Round {m['round_id']}: {m['n_votes']} votes in {len(m['shards'])} shard(s).",
            markup=False,
        )
    console.print(f"Written to {folder}.", markup=False)
