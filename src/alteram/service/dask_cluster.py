"""Connecting to a Dask cluster: an existing scheduler, or a LocalCluster on this machine."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from alteram.errors import AlteramError

LOCAL = "local"


class DaskUnavailable(AlteramError):
    """The Dask engine is not installed, or its scheduler cannot be reached."""

    code = "dask_unavailable"
    status = 503


@dataclass(frozen=True)
class DaskOptions:
    """Where to run: ``tcp://HOST:PORT`` of a running scheduler, or ``local``.

    ``workers``, ``threads`` (per worker) and ``memory_limit`` (per worker, e.g. "4GiB")
    apply to ``local`` only.
    """

    address: str
    workers: int = 2
    threads: int = 1
    memory_limit: str = "4GiB"
    timeout_s: float = 5.0

    def describe(self) -> str:
        """For messages."""
        if self.address == LOCAL:
            return (
                f"a local cluster of {self.workers} worker(s) x {self.threads} thread(s), "
                f"{self.memory_limit} each"
            )
        return f"the Dask scheduler at {self.address}"


def _check_address(address: str) -> None:
    if address == LOCAL or address.startswith(("tcp://", "tls://", "inproc://")):
        return
    raise DaskUnavailable(
        f"the Dask address {address!r} is neither 'local' nor a scheduler address.",
        hint="Give --dask local, or --dask tcp://HOST:PORT of a running 'dask scheduler'.",
    )


@contextmanager
def dask_client(options: DaskOptions) -> Iterator[Any]:
    """A ``distributed.Client`` for ``options``, closed (with its local cluster) afterwards."""
    _check_address(options.address)
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise DaskUnavailable(
            "the Dask engine is not installed.",
            hint="Install the extra: pip install 'alteram[dask]' (make install does).",
        ) from exc
    if options.workers < 1 or options.threads < 1:
        raise DaskUnavailable(
            f"a local cluster needs at least one worker and thread, got {options.workers} "
            f"and {options.threads}."
        )
    cluster = None
    try:
        if options.address == LOCAL:
            cluster = LocalCluster(
                n_workers=options.workers,
                threads_per_worker=options.threads,
                memory_limit=options.memory_limit,
                processes=True,
                host="127.0.0.1",
                dashboard_address="127.0.0.1:0",  # any free port, loopback only
            )
            client = Client(cluster, timeout=options.timeout_s)
        else:
            client = Client(options.address, timeout=options.timeout_s)
    except (OSError, TimeoutError, ValueError) as exc:
        if cluster is not None:
            cluster.close()
        raise DaskUnavailable(
            f"cannot use {options.describe()}: {exc}.",
            hint="Start a scheduler ('dask scheduler') and workers ('dask worker tcp://HOST:8786')"
            ", or run with --dask local.",
        ) from exc
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
