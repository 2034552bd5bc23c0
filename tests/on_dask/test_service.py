"""A stored round analysed on Dask (workers read vote-id ranges), and exported as shards."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from distributed import Client

from alteram.service.analyses import analyze_round, latest_analysis
from alteram.service.demo import create_demo
from alteram.service.distributed import analyze_parquet, analyze_round_distributed
from alteram.service.parquet_export import export_dialogue_parquet, export_round_parquet
from alteram.store.database import Store

# The Dask path does not look for implausible voters (that reads each voter's vote times,
# in memory): a round analysed on Dask marks none for review.
SKIP = {"diagnostics", "ritual", "source", "timing", "implausible", "implausible_rules"}


def assert_close(a: Any, b: Any, path: str = "") -> None:
    """Equal JSON values, numbers within 1e-4 (bridging converges to 1e-5)."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and set(a) - SKIP == set(b) - SKIP, path
        for k in set(a) - SKIP:
            assert_close(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_close(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and not isinstance(b, bool):
        assert isinstance(b, int | float) and math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-4), (
            path,
            a,
            b,
        )
    else:
        assert a == b, (path, a, b)


def test_a_round_on_dask_equals_the_in_memory_analysis(store: Store, dask_client: Client) -> None:
    create_demo(store)
    memory = analyze_round(store, round_id=2)
    progress: list[str] = []
    dask = analyze_round_distributed(
        store,
        round_id=2,
        client=dask_client,
        batch_votes=700,
        progress=lambda stage, done: progress.append(stage),
    )
    assert dask.version == memory.version + 1  # stored as a new version
    assert latest_analysis(store, round_id=2) == dask
    assert dask.result["diagnostics"]["engine"] == "dask"
    assert dask.result["perception"]["pairs"]  # the demo has predictions
    assert_close(memory.result, dask.result)
    assert {"reading votes", "building blocks", "opinion map", "bridging"} <= set(progress)
    again = analyze_round_distributed(store, round_id=2, client=dask_client)
    assert again.id == dask.id  # same inputs: not analysed twice


def test_exported_shards_analyse_like_the_round(
    store: Store, dask_client: Client, tmp_path: Path
) -> None:
    create_demo(store)
    memory = analyze_round(store, round_id=2)
    manifest = export_round_parquet(store, round_id=2, folder=tmp_path / "r2", rows_per_shard=500)
    assert manifest["n_votes"] == memory.result["n_votes"]
    assert len(manifest["shards"]) == -(-manifest["n_votes"] // 500)
    result = analyze_parquet(tmp_path / "r2", client=dask_client)
    # shards carry no record of which version each voter read
    skip = {"last_vote_id", "versions"}
    assert_close({k: v for k, v in memory.result.items() if k not in skip}, result)
    rounds = export_dialogue_parquet(store, dialogue_id=1, folder=tmp_path / "all")
    assert sorted(rounds) == [1, 2, 3]
    assert (tmp_path / "all" / "round-3" / "manifest.json").is_file()
