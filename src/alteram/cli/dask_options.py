"""What the commands that can run on Dask share: the options, and a progress display."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)

from alteram.config import get_settings

if TYPE_CHECKING:
    from alteram.service.analyses import StoredAnalysis
    from alteram.store.database import Store

DASK_HELP = (
    "Run on Dask: 'local' (a cluster on this machine) or tcp://HOST:PORT of a scheduler. "
    "Default: $ALTERAM_DASK_SCHEDULER, else in memory."
)

DaskOption = typer.Option(None, "--dask", help=DASK_HELP)
WorkersOption = typer.Option(2, "--workers", min=1, help="With --dask local: worker processes.")
ThreadsOption = typer.Option(1, "--threads", min=1, help="With --dask local: threads per worker.")
MemoryOption = typer.Option(
    "4GiB", "--memory-limit", help="With --dask local: memory per worker (e.g. 4GiB)."
)


def dask_address(option: str | None) -> str | None:
    """The option, else the setting."""
    return option or get_settings().dask_scheduler


@contextmanager
def progress_bars(*, quiet: bool = False) -> Iterator[Callable[[str, float], None]]:
    """A ``progress(stage, fraction)`` callback drawing one bar per stage on stderr."""
    console = Console(stderr=True)
    tasks: dict[str, TaskID] = {}
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=quiet,
    ) as bar:

        def update(stage: str, done: float) -> None:
            if stage not in tasks:
                for other in tasks.values():  # a new stage: the earlier ones are done
                    bar.update(other, completed=1.0)
                tasks[stage] = bar.add_task(stage, total=1.0)
            bar.update(tasks[stage], completed=min(max(done, 0.0), 1.0))

        yield update
        for task in tasks.values():
            bar.update(task, completed=1.0)


class DaskRunner:
    """Analyses on an open Dask client; entering it draws the progress bars of one run."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self._bars: AbstractContextManager[Callable[[str, float], None]] | None = None
        self._progress: Callable[[str, float], None] | None = None

    def __enter__(self) -> DaskRunner:
        self._bars = progress_bars()
        self._progress = self._bars.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._bars is not None:
            self._bars.__exit__(*exc)
        self._bars = self._progress = None

    def analyze_round(self, store: Store, *, round_id: int) -> StoredAnalysis:
        """:func:`alteram.service.distributed.analyze_round_distributed` on this client."""
        from alteram.service.distributed import analyze_round_distributed

        return analyze_round_distributed(
            store, round_id=round_id, client=self.client, progress=self._progress
        )


@contextmanager
def dask_runner(
    option: str | None, workers: int, threads: int, memory_limit: str
) -> Iterator[DaskRunner | None]:
    """A :class:`DaskRunner` when ``--dask`` (or the setting) asks for Dask, else None."""
    address = dask_address(option)
    if not address:
        yield None
        return
    from alteram.service.dask_cluster import DaskOptions, dask_client

    options = DaskOptions(address, workers, threads, memory_limit)
    with dask_client(options) as client:
        Console(stderr=True, highlight=False).print(f"Running on {options.describe()}.")
        yield DaskRunner(client)
