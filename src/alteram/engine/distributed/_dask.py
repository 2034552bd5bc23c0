"""Client-side helpers: submitting to Dask, summing partial results, reporting lost work."""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import reduce
from typing import Any

import numpy as np
from dask.delayed import Delayed
from distributed import Client, Future

from alteram.errors import AlteramError

FAN_IN = 8
Progress = Callable[[str, float], None]


class AnalysisInterrupted(AlteramError):
    """The Dask cluster lost work it could not recompute, or could not be reached."""

    code = "analysis_interrupted"
    status = 503


def _noop(stage: str, done: float) -> None:
    return None


def add(*parts: Any) -> Any:
    """Element-wise sum of arrays, numbers, or tuples of them."""
    if isinstance(parts[0], tuple):
        return tuple(add(*items) for items in zip(*parts, strict=True))
    return reduce(np.add, parts)


def tree_sum(client: Client, futures: Sequence[Future]) -> Any:
    """Sum ``futures`` on the workers in a fixed tree (so the result is reproducible)."""
    level = list(futures)
    if not level:
        raise ValueError("nothing to sum")
    while len(level) > 1:
        level = [
            client.submit(add, *level[i : i + FAN_IN], pure=False)
            for i in range(0, len(level), FAN_IN)
        ]
    return level[0].result()


def as_future(client: Client, chunk: Any, fn: Callable[..., Any], *args: Any) -> Future:
    """``fn(chunk, *args)`` on the cluster, for a chunk given as a Delayed or a Future.

    A Delayed chunk (a read of a shard or of a batch) is read again each time it is used,
    so that no more than the chunks in work are in memory.
    """
    if isinstance(chunk, Delayed):
        from dask import delayed

        future: Future = client.compute(delayed(fn, pure=False)(chunk, *args))
        return future
    return client.submit(fn, chunk, *args, pure=False)


def scatter(client: Client, value: Any) -> Future:
    """Send ``value`` to every worker once (it survives the loss of one)."""
    future: Future = client.scatter(value, broadcast=True, hash=False)
    return future


def worker_count(client: Client) -> int:
    """Workers currently connected (at least 1)."""
    return max(1, len(client.scheduler_info().get("workers", {})))


LOST = (
    concurrent.futures.CancelledError,
    asyncio.CancelledError,
    concurrent.futures.TimeoutError,
    TimeoutError,
    ConnectionError,
)


def _is_lost(exc: BaseException) -> bool:
    from distributed.scheduler import KilledWorker

    name = type(exc).__name__
    return isinstance(exc, (KilledWorker, *LOST)) or name in {
        "FutureCancelledError",
        "CommClosedError",
        "FuturesCancelledError",
    }


@contextmanager
def interrupted_as_error(stage: Callable[[], str]) -> Iterator[None]:
    """Turn the cluster's loss of work into one :class:`AnalysisInterrupted`."""
    try:
        yield
    except AlteramError:
        raise
    except Exception as exc:
        if not _is_lost(exc):
            raise
        raise AnalysisInterrupted(
            f"the Dask cluster lost work during the '{stage()}' step and could not recompute "
            f"it ({type(exc).__name__}: {exc}); nothing was stored.",
            hint="Check that the scheduler and its workers are running, then run the "
            "analysis again: it starts from the votes each time.",
        ) from exc
