"""The ``alteram`` command: a thin Typer layer over the service layer.

Every command turns :class:`alteram.errors.AlteramError` into one line on standard error
and a non-zero exit; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from alteram.cli import (
    analyze,
    analyze_dialogue,
    analyze_parquet,
    backends,
    db,
    demo,
    dialogues,
    export,
    facilitator,
    imports,
    jobs,
    moves,
    report,
    rounds,
    serve,
    worker,
)
from alteram.errors import AlteramError

app = typer.Typer(
    name="alteram",
    help="alteram: structured dialogue between groups that hold different values.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _main(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks of errors."),
) -> None:
    """alteram: hear the other side, and measure whether understanding grows."""


app.add_typer(db.app, name="db")
app.add_typer(dialogues.app, name="dialogues")
app.add_typer(rounds.app, name="rounds")
app.add_typer(facilitator.app, name="facilitator")
analyze.app.command("dialogue")(analyze_dialogue.dialogue)
analyze.app.command("parquet")(analyze_parquet.parquet)
app.add_typer(analyze.app, name="analyze")
app.add_typer(imports.app, name="import")
app.command("demo")(demo.demo)
app.command("serve")(serve.serve)
app.command("worker")(worker.worker)
app.add_typer(jobs.app, name="jobs")
app.command("report")(report.report)
app.command("export")(export.export)
app.command("moves")(moves.moves)
app.add_typer(backends.app, name="backends")

err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def run(argv: list[str] | None = None) -> None:
    """Entry point of the console script; renders errors as one clear line."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        app(args=args, prog_name="alteram")
    except AlteramError as exc:
        if debug:
            raise
        err_console.print(f"error: {exc}", markup=False)
        sys.exit(1)
    except KeyboardInterrupt:
        err_console.print("interrupted", markup=False)
        sys.exit(130)
    except OSError as exc:  # a file the command reads or writes
        if debug:
            raise
        where = f" {exc.filename}" if exc.filename else ""
        err_console.print(
            f"error: cannot use{where}: {exc.strerror or exc}. Check the path, its folder and "
            "the free space.",
            markup=False,
        )
        sys.exit(1)
    except Exception as exc:
        if debug:
            raise
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
        err_console.print(
            f"error: alteram failed with an internal error ({detail}). Run again with --debug "
            "and report the traceback.",
            markup=False,
        )
        sys.exit(2)
