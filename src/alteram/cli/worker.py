"""``alteram worker``: run background jobs (analyses, ...) from the database."""

from __future__ import annotations

import importlib
import logging
import threading

import typer

from alteram.cli.common import open_store
from alteram.errors import InvalidInput
from alteram.service import jobs


def worker(
    worker_id: str | None = typer.Option(
        None, "--id", help="This worker's name in the jobs table [HOST:PID]."
    ),
    once: bool = typer.Option(False, "--once", help="Do the jobs that are due, then exit."),
    poll: float = typer.Option(
        jobs.POLL_SECONDS, "--poll", min=0.01, help="Seconds between looks for work when idle."
    ),
    lease: float = typer.Option(
        jobs.LEASE_SECONDS,
        "--lease",
        min=0.5,
        help="Seconds a job stays this worker's without a heartbeat; after that, another "
        "worker may take it over.",
    ),
    modules: list[str] = typer.Option(
        [], "--import", help="Import MODULE first (it registers more job kinds); repeatable."
    ),
    parent_pid: int | None = typer.Option(None, "--parent-pid", hidden=True),
) -> None:
    """Run background jobs until SIGTERM or Ctrl-C (or, with --once, until none is due)."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
    if parent_pid is not None and not jobs.die_with_parent(parent_pid):
        return  # the parent died before this worker started
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError as exc:
            raise InvalidInput(f"cannot import {name!r} for its job kinds: {exc}.") from None
    store = open_store()
    stop = threading.Event()
    try:
        with jobs.stop_on_signals(stop):
            jobs.run_worker(
                store,
                worker_id=worker_id or jobs.default_worker_id(),
                stop_event=stop,
                poll_interval=poll,
                once=once,
                parent_pid=parent_pid,
                lease=lease,
            )
    finally:
        store.dispose()
