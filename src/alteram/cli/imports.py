"""``alteram import``: load other tools' exports into the store."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from alteram.cli.common import console, describe, open_store
from alteram.store.migrate import ensure_schema

app = typer.Typer(help="Load other tools' exports as dialogues.", no_args_is_help=True)


@app.command("polis")
def polis_command(
    folder: Path = typer.Argument(..., help="A Polis export folder (votes.csv, comments.csv...)."),
    mapping: Path | None = typer.Option(
        None,
        "--mapping",
        help="Where to write the file's ids and the new ones (CSV; default: DATA_DIR/imports/).",
    ),
) -> None:
    """Import a Polis export as a dialogue with one side and one closed round."""
    from alteram.interop.polis import read_polis_export
    from alteram.service.imports import import_polis

    export = read_polis_export(folder)
    store = open_store(must_exist=False)
    ensure_schema(store)
    with Progress(
        TextColumn("votes"), BarColumn(), MofNCompleteColumn(), console=console, transient=True
    ) as bar:
        task = bar.add_task("votes", total=len(export.votes))
        done = import_polis(
            store,
            export,
            source=folder,
            progress=lambda n, total: bar.update(task, completed=n, total=total),
        )
    console.print(
        f"Imported {folder.name} into {describe(store)} as dialogue {done.dialogue_id} "
        f"(round {done.round_id}): {done.participants} participants, {done.statements} "
        f"statements, {done.votes} votes.",
        markup=False,
    )
    _write_mapping(done.mapping, mapping, done.dialogue_id)


def _export_text(path: Path) -> str:
    """round.json's text from the file itself, the export folder or the export's ZIP."""
    import zipfile

    if path.is_dir():
        path = path / "round.json"
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as z:
            return z.read("round.json").decode("utf-8")
    return path.read_text(encoding="utf-8")


def _write_mapping(pairs: dict[str, dict[int, int]], target: Path | None, dialogue: int) -> None:
    """Write ``table,export-id,alteram-id`` when any id changed (to ``target``, else into
    the data folder's ``imports/``); say where."""
    from alteram.service.round_import import mapping_csv

    changed = {t: {a: b for a, b in m.items() if a != b} for t, m in pairs.items()}
    changed = {t: m for t, m in changed.items() if m}
    if not changed:
        console.print("Every id is the export's own.", markup=False)
        return
    if target is None:
        from alteram.config import get_settings

        target = get_settings().data_dir / "imports" / f"ids-dialogue-{dialogue}.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(mapping_csv(changed), encoding="utf-8")
    console.print(
        f"The new ids differ from the file's ({', '.join(changed)}); {target} maps them.",
        markup=False,
    )


@app.command("round")
def round_command(
    path: Path = typer.Argument(
        ..., help="The round.json an alteram export wrote, its folder, or the export's ZIP."
    ),
    mapping: Path | None = typer.Option(
        None,
        "--mapping",
        help="Where to write the export's ids and the new ones when they differ (CSV; default: "
        "DATA_DIR/imports/).",
    ),
) -> None:
    """Import an alteram round export as a new dialogue; ids are kept where they are free."""
    import json
    import zipfile

    from alteram.errors import InvalidInput
    from alteram.service.round_import import import_round

    try:
        doc = json.loads(_export_text(path))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, zipfile.BadZipFile) as exc:
        raise InvalidInput(
            f"{path}: cannot read it as JSON ({exc}).",
            hint="Give the round.json file that 'alteram export' wrote.",
        ) from None
    store = open_store(must_exist=False)
    ensure_schema(store)
    done = import_round(store, doc)
    counts = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in done.counts.items() if n)
    console.print(
        f"Imported {path.name} into {describe(store)} as dialogue {done.dialogue_id} "
        f"(round {done.round_id}): {counts}.",
        markup=False,
    )
    _write_mapping(done.mapping, mapping, done.dialogue_id)
