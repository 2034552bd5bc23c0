"""A Dask worker killed under an analysis that runs as a job: the attempt fails with the
clear ``AnalysisInterrupted`` message, the job queue retries it (it is not a permanent
error), and the retry completes with the in-memory engine's result. Loopback only.

The job kind is this test's own (analyses of rounds run in memory today); what is tested
is that a lost Dask worker is an error the job machinery retries, end to end.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest
from distributed import Client, LocalCluster

from alteram.engine import AnalysisResult, analyze
from alteram.engine.distributed import analyze_distributed
from alteram.service.jobs import enqueue, get_job, register, run_worker
from alteram.store.database import Store
from tests.on_dask.conftest import assert_same_analysis

pytestmark = pytest.mark.slow

N, PER, STATEMENTS = 3000, 20, 100
KIND = "test.dask_analysis"
RUN: dict[str, Any] = {}  # the test's cluster, votes, and what each attempt did


def _votes() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    truth = rng.integers(0, 2, N)
    stance = rng.choice(np.array([-1, 1]), size=(2, STATEMENTS))
    participant = np.repeat(np.arange(N, dtype=np.int64), PER)
    rng.shuffle(participant)
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


@register(KIND)
def dask_analysis(store: Store, payload: dict[str, Any]) -> None:
    """Scatter the votes (they die with a worker) and analyse; the first attempt kills one."""
    client: Client = RUN["client"]
    votes: pd.DataFrame = RUN["votes"]
    client.wait_for_workers(2, timeout=60)
    victim = sorted(client.run(os.getpid).values())[0]

    def progress(stage: str, done: float) -> None:
        if stage == "opinion map" and not RUN["killed"]:
            os.kill(victim, signal.SIGKILL)
            RUN["killed"].append(victim)

    chunks = [client.scatter(votes.iloc[i : i + 10_000]) for i in range(0, len(votes), 10_000)]
    RUN["results"].append(
        analyze_distributed(
            client,
            chunks,
            sides={p: p % 2 for p in range(N)},
            block_votes=10_000,
            progress=progress,
        )
    )


@pytest.fixture
def cluster() -> Iterator[Client]:
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            memory_limit="1GiB",
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
        ) as local,
        Client(local) as client,
    ):
        yield client


def test_a_job_whose_dask_worker_dies_fails_clearly_and_its_retry_completes(
    cluster: Client, sqlite_store: Store
) -> None:
    votes = _votes()
    reference: AnalysisResult = analyze(votes, sides={p: p % 2 for p in range(N)})
    RUN.update(client=cluster, votes=votes, killed=[], results=[])
    with sqlite_store.write() as session:
        job_id = enqueue(session, kind=KIND, payload={}, max_attempts=3)
    assert job_id is not None

    def attempt() -> None:
        run_worker(
            sqlite_store,
            worker_id="w",
            stop_event=threading.Event(),
            kinds=[KIND],
            once=True,
            retry_base=0.1,
        )

    attempt()
    first = get_job(sqlite_store, job_id=job_id)
    assert RUN["killed"] and not RUN["results"]
    assert first.state == "queued" and first.attempts == 1, first  # to be retried
    assert first.last_error is not None
    assert first.last_error.startswith("AnalysisInterrupted: the Dask cluster lost work")
    assert "run the analysis again" in first.last_error
    deadline = time.monotonic() + 60
    while get_job(sqlite_store, job_id=job_id).state == "queued":
        assert time.monotonic() < deadline, get_job(sqlite_store, job_id=job_id)
        attempt()  # claims nothing until the back-off has passed
        time.sleep(0.05)
    done = get_job(sqlite_store, job_id=job_id)
    assert done.state == "done" and done.attempts == 2, done
    (result,) = RUN["results"]
    assert_same_analysis(reference, result, bridging_tol=1e-4)
