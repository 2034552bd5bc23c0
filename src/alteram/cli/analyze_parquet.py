"""``alteram analyze parquet DIR --dask ...``: analyse vote shards on Dask, no database."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from alteram.cli.common import console
from alteram.cli.dask_options import (
    DaskOption,
    MemoryOption,
    ThreadsOption,
    WorkersOption,
    dask_address,
    progress_bars,
)


def parquet(
    folder: Path = typer.Argument(..., help="A folder written by 'alteram export --parquet'."),
    json_out: Path = typer.Option(..., "--json", help="Write the analysis as JSON here."),
    dask: str | None = DaskOption,
    workers: int = WorkersOption,
    threads: int = ThreadsOption,
    memory_limit: str = MemoryOption,
    quiet: bool = typer.Option(False, "--quiet", help="No progress display."),
) -> None:
    """Analyse Parquet vote shards on a Dask cluster (opinion map, groups, sides, bridging)."""
    from alteram.service.dask_cluster import DaskOptions, dask_client
    from alteram.service.distributed import analyze_parquet

    options = DaskOptions(dask_address(dask) or "local", workers, threads, memory_limit)
    with progress_bars(quiet=quiet) as progress, dask_client(options) as client:
        result = analyze_parquet(folder, client=client, progress=progress)
    try:
        json_out.write_text(json.dumps(result, allow_nan=False), encoding="utf-8")
    except OSError as exc:
        from alteram.errors import InvalidInput

        raise InvalidInput(f"cannot write {json_out}: {exc.strerror}.") from None
    if not quiet:
        console.print(
            f"{len(result['participants'])} participants, {result['n_groups']} groups, "
            f"{result['n_votes']} votes on {options.describe()} -> {json_out}",
            markup=False,
        )
