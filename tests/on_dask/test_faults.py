"""A Dask worker killed mid-analysis: the analysis completes (Dask recomputes what was
lost) or fails with one clear error, and a run again completes. Loopback only; each run
is bounded by a timeout."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from distributed import Client, LocalCluster

from alteram.engine import AnalysisResult, analyze
from alteram.engine.distributed import AnalysisInterrupted, analyze_distributed
from alteram.interop.parquet import ShardWriter, open_shards, statement_frame
from tests.on_dask.conftest import assert_same_analysis

N, PER, STATEMENTS = 10_000, 20, 200
BOUND_S = 60

pytestmark = pytest.mark.slow


def planted_votes() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    truth = rng.integers(0, 2, N)
    stance = rng.choice(np.array([-1, 1]), size=(2, STATEMENTS))
    participant = np.repeat(np.arange(N, dtype=np.int64), PER)
    rng.shuffle(participant)  # everyone's votes interleave in time
    statement = rng.integers(0, STATEMENTS, len(participant))
    vote = stance[truth[participant], statement]
    vote = np.where(rng.random(len(vote)) < 0.2, -vote, vote)
    return pd.DataFrame(
        {
            "time": np.arange(len(vote), dtype=np.int64),
            "participant": participant,
            "statement": statement.astype(np.int64),
            "vote": vote.astype(np.int8),
        }
    )


@pytest.fixture(scope="module")
def cluster() -> Iterator[Client]:
    """Two worker processes (each restarted by its nanny when killed)."""
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            memory_limit="1GiB",
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",  # any free port, loopback only
        ) as local,
        Client(local) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def votes() -> pd.DataFrame:
    return planted_votes()


@pytest.fixture(scope="module")
def reference(votes: pd.DataFrame) -> AnalysisResult:
    return analyze(votes, sides={p: p % 2 for p in range(N)})


def killer(client: Client, at: str) -> tuple[Callable[[str, float], None], list[int]]:
    """A progress callback that SIGKILLs one worker process when stage ``at`` starts."""
    victim = sorted(client.run(os.getpid).values())[0]
    killed: list[int] = []

    def progress(stage: str, done: float) -> None:
        if stage == at and not killed:
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

    return progress, killed


def bounded(fn: Callable[[], Any]) -> Any:
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(fn).result(timeout=BOUND_S)


def test_shards_lost_with_a_worker_are_read_again(
    cluster: Client, votes: pd.DataFrame, reference: AnalysisResult, tmp_path: Path
) -> None:
    """Chunks read from shards can be read again: the analysis completes, or says plainly
    that it must be re-run, and the re-run completes."""
    writer = ShardWriter(tmp_path, rows_per_shard=10_000)
    writer.write(votes)
    writer.finish(
        statements=statement_frame((s, None, "accepted", None) for s in range(STATEMENTS)),
        sides=pd.DataFrame({"participant": np.arange(N), "side": np.arange(N) % 2}),
    )
    shards = open_shards(tmp_path, rows_per_chunk=20_000)
    progress, killed = killer(cluster, "opinion map")  # every block is on the workers then

    def run(progress: Callable[[str, float], None] | None = None) -> AnalysisResult:
        return analyze_distributed(
            cluster, shards.chunks, sides=shards.sides, block_votes=20_000, progress=progress
        )

    start = time.monotonic()
    try:
        first = bounded(lambda: run(progress))
    except AnalysisInterrupted as exc:
        assert "run the analysis again" in str(exc)
        first = None
    assert killed and killed[0] not in cluster.run(os.getpid).values()  # it really died
    if first is not None:
        assert_same_analysis(reference, first, bridging_tol=1e-4)
    assert_same_analysis(reference, bounded(run), bridging_tol=1e-4)
    assert time.monotonic() - start < 2 * BOUND_S


def test_data_that_cannot_be_recomputed_is_one_clear_error_then_a_rerun_completes(
    cluster: Client, votes: pd.DataFrame, reference: AnalysisResult
) -> None:
    """Chunks scattered from memory (no way to read them again) die with their worker."""
    cluster.wait_for_workers(2, timeout=BOUND_S)
    sides = {p: p % 2 for p in range(N)}

    def run(progress: Callable[[str, float], None] | None = None) -> AnalysisResult:
        chunks = [cluster.scatter(votes.iloc[i : i + 20_000]) for i in range(0, len(votes), 20_000)]
        return analyze_distributed(
            cluster, chunks, sides=sides, block_votes=20_000, progress=progress
        )

    progress, killed = killer(cluster, "opinion map")
    with pytest.raises(AnalysisInterrupted) as caught:
        bounded(lambda: run(progress))
    message = str(caught.value)
    assert "lost work during the 'opinion map' step" in message
    assert "nothing was stored" in message and "run the analysis again" in message
    assert killed
    cluster.wait_for_workers(2, timeout=BOUND_S)
    assert_same_analysis(reference, bounded(run), bridging_tol=1e-4)
