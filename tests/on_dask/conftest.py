"""A small in-process Dask cluster shared by these tests, and conversations to compare on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest
from distributed import Client, LocalCluster
from sklearn.metrics import adjusted_rand_score

from alteram.engine import AnalysisResult


@pytest.fixture(scope="session")
def dask_client() -> Iterator[Client]:
    """Two single-threaded workers in this process (in-process transport, no network)."""
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=False,
            dashboard_address="127.0.0.1:0",  # any free port, loopback only
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def chunked(client: Client, votes: pd.DataFrame, rows: int, *, delayed: bool = False) -> list[Any]:
    """``votes`` cut into chunks of ``rows`` rows: futures, or dask.delayed values."""
    from dask import delayed as make_delayed

    parts = [votes.iloc[i : i + rows].reset_index(drop=True) for i in range(0, len(votes), rows)]
    if delayed:
        return [make_delayed(p, traverse=False) for p in parts]
    return [client.scatter(p) for p in parts]


def conversation(
    n: int = 400, n_statements: int = 40, seed: int = 0, duplicates: int = 300
) -> tuple[pd.DataFrame, dict[int, int]]:
    """Three planted groups with uneven participation (some below the clustering threshold),
    repeated votes out of time order, and two sides that cut across the groups."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, 3, n)
    stance = rng.choice([-1, 1], size=(3, n_statements))
    per = rng.integers(1, n_statements, n)
    participant = np.repeat(np.arange(n) * 3 + 5, per)  # ids not a plain range
    statement = np.concatenate([rng.choice(n_statements, k, replace=False) for k in per])
    vote = stance[truth[(participant - 5) // 3], statement]
    u = rng.random(len(vote))
    vote = np.where(u < 0.15, -vote, np.where(u > 0.93, 0, vote))
    frame = pd.DataFrame(
        {
            "participant": participant,
            "statement": statement * 7 + 100,
            "vote": vote.astype(np.int64),
            "time": rng.permutation(len(vote)).astype(np.int64) * 2,
        }
    )
    again = frame.sample(duplicates, random_state=seed).copy()
    again["vote"] = rng.integers(-1, 2, duplicates)
    again["time"] = rng.integers(0, 2 * len(frame), duplicates)
    frame = pd.concat([frame, again], ignore_index=True)
    sides = {int(p): int(p % 2) for p in np.unique(participant)}
    return frame, sides


def assert_same_analysis(ref: AnalysisResult, got: AnalysisResult, *, bridging_tol: float) -> None:
    """What a person would compare between the two engines' results."""
    assert list(got.votes.participant_ids) == list(ref.votes.participant_ids)
    assert list(got.votes.statement_ids) == list(ref.votes.statement_ids)
    np.testing.assert_array_equal(got.votes.n_votes, ref.votes.n_votes)
    np.testing.assert_array_equal(got.votes.moderated, ref.votes.moderated)
    np.testing.assert_array_equal(got.clustered, ref.clustered)
    # positions: equal up to the sign of each axis
    for j in range(ref.embedding.shape[1]):
        a, b = ref.embedding[:, j], got.embedding[:, j]
        sign = 1.0 if float(a @ b) >= 0 else -1.0
        np.testing.assert_allclose(sign * b, a, atol=1e-7 * max(1.0, float(np.abs(a).max())))
    assert got.n_groups == ref.n_groups
    c = ref.labels >= 0
    np.testing.assert_array_equal(got.labels >= 0, c)
    assert adjusted_rand_score(ref.labels[c], got.labels[c]) == 1.0
    np.testing.assert_array_equal(got.labels, ref.labels)  # same numbering too
    for name in ("agree", "disagree", "seen"):
        np.testing.assert_array_equal(
            getattr(got.group_counts, name), getattr(ref.group_counts, name)
        )
    assert [[(j, d) for j, d, _ in g] for g in got.representative] == [
        [(j, d) for j, d, _ in g] for g in ref.representative
    ]
    np.testing.assert_allclose(got.consensus, ref.consensus, rtol=1e-12)
    np.testing.assert_allclose(
        got.group_informed_consensus, ref.group_informed_consensus, rtol=1e-12
    )
    np.testing.assert_allclose(got.bridging, ref.bridging, atol=bridging_tol)
    np.testing.assert_allclose(got.bridging_factor, ref.bridging_factor, atol=10 * bridging_tol)
    if ref.side_scores is not None:
        assert got.side_scores is not None and got.side_ids == ref.side_ids
        np.testing.assert_allclose(
            got.side_scores.common_ground, ref.side_scores.common_ground, rtol=1e-12
        )
        np.testing.assert_array_equal(
            got.side_scores.is_common_ground, ref.side_scores.is_common_ground
        )
    if ref.perception is not None:
        assert got.perception is not None
        assert _plain(got.perception.statements_) == _plain(ref.perception.statements_)
        assert _plain(got.perception.pairs_) == _plain(ref.perception.pairs_)


def _plain(records: list[dict[str, Any]]) -> Any:
    from alteram.engine.result import plain

    return plain(records)
