"""``alteram analyze dialogue ID``: analyse a stored dialogue's rounds and store the results."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from alteram.cli.common import console, open_store
from alteram.cli.dask_options import (
    DaskOption,
    MemoryOption,
    ThreadsOption,
    WorkersOption,
    dask_runner,
)


def dialogue(
    dialogue_id: int = typer.Argument(..., help="The dialogue's id."),
    round_number: int | None = typer.Option(None, "--round", help="Only this round (number)."),
    json_out: Path | None = typer.Option(None, "--json", help="Write the analyses as JSON here."),
    svg_out: Path | None = typer.Option(None, "--svg", help="Write the last round's map here."),
    dask: str | None = DaskOption,
    workers: int = WorkersOption,
    threads: int = ThreadsOption,
    memory_limit: str = MemoryOption,
) -> None:
    """Analyse each round (opinion map, groups, sides, common ground, perception gaps)."""
    from alteram.service.analyses import analyze_round
    from alteram.service.dialogues import dialogue_summary
    from alteram.service.results import round_results
    from alteram.web.charts import opinion_map
    from alteram.web.i18n import translations

    store = open_store()
    summary = dialogue_summary(store, dialogue_id)
    chosen = [r for r in summary.rounds if round_number in (None, r.number)]
    if not chosen:
        from alteram.errors import NotFound

        raise NotFound(
            f"dialogue {dialogue_id} has no round {round_number}.",
            hint=f"Run 'alteram dialogues show {dialogue_id}' to see its rounds.",
        )
    out = {}
    svg = None
    with dask_runner(dask, workers, threads, memory_limit) as on_dask:
        for r in chosen:
            with console.status(f"Analysing round {r.number}...") if on_dask is None else on_dask:
                run = analyze_round if on_dask is None else on_dask.analyze_round
                stored = run(store, round_id=r.id)
                view = round_results(store, round_id=r.id, facilitator=True)
            gaps = (
                "; ".join(
                    f"{p.predicting} about {p.predicted}: "
                    + (
                        f"{p.gap:.1f} points"
                        if p.enough_data and p.gap is not None
                        else "not enough data"
                    )
                    for p in view.perception
                )
                or "no predictions"
            )
            console.print(
                f"round {r.number} (id {r.id}): analysis v{stored.version}, {view.n_votes} votes, "
                f"{len(view.groups)} opinion groups, {len(view.common_ground)} common-ground "
                f"statements; perception gap: {gaps}",
                markup=False,
            )
            out[str(r.number)] = stored.result
            if view.map_points:
                svg = opinion_map(view, translations("en").gettext, show_title=True)
    if json_out:
        json_out.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    if svg_out and svg:
        svg_out.write_text(svg, encoding="utf-8")
