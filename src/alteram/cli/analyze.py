"""``alteram analyze``: run the opinion engine on a Polis export or a stored dialogue."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from alteram.errors import InvalidInput

app = typer.Typer(
    help="Analyse votes: opinion map, groups, consensus, bridging.", no_args_is_help=True
)


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot write {path}: {exc.strerror}.") from None


@app.command("polis")
def polis(
    folder: Annotated[
        Path, typer.Argument(help="Folder of a Polis export (votes.csv, comments.csv ...).")
    ],
    json_out: Annotated[Path, typer.Option("--json", help="Write the analysis as JSON here.")],
    svg_out: Annotated[
        Path | None, typer.Option("--svg", help="Also draw the opinion map (SVG).")
    ] = None,
    max_groups: Annotated[
        int, typer.Option("--max-groups", min=1, help="Most opinion groups.")
    ] = 5,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress display.")] = False,
) -> None:
    """Analyse a Polis export folder without any database."""
    # Imported here so that other commands start without loading the engine.
    from alteram.charts import MapText, opinion_map_svg
    from alteram.engine import analyze
    from alteram.interop.polis import read_polis_export

    console = Console(stderr=True)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=quiet,
    ) as bar:
        task = bar.add_task("reading export", total=None)
        start = time.perf_counter()
        export = read_polis_export(folder)
        load_s = time.perf_counter() - start
        start = time.perf_counter()
        result = analyze(
            export.votes,
            moderated_out=export.moderated_out,
            max_groups=max_groups,
            progress=lambda stage: bar.update(task, description=stage),
        )
        analysis_s = time.perf_counter() - start
        bar.update(task, description="writing")
        data = result.to_dict()
        data["timing"] = {"load_s": load_s, "analysis_s": analysis_s}
        data["source"] = {
            "folder": str(folder),
            "votes_file": export.votes_source,
            "n_votes_rows": len(export.votes),
        }
        if export.groups:
            for p in data["participants"]:
                p["polis_group"] = export.groups.get(p["id"])
        _write(json_out, json.dumps(data, allow_nan=False))
        if svg_out is not None:
            title = f"Opinion map: {export.summary.get('topic', folder.name)}"
            svg = opinion_map_svg(
                result.embedding,
                result.labels,
                n_groups=result.n_groups,
                text=MapText(title=title),
                show_title=True,
            )
            _write(svg_out, svg)
    if not quiet:
        console.print(
            f"{len(data['participants'])} participants, {data['n_groups']} groups; "
            f"load {load_s:.2f} s, analysis {analysis_s:.2f} s -> {json_out}",
            markup=False,
            highlight=False,
        )
