"""Parquet shards: fixed rows per shard, read back as chunks, analysed with no database."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from distributed import Client

from alteram.engine import analyze
from alteram.engine.distributed import analyze_distributed
from alteram.errors import InvalidInput
from alteram.interop.parquet import ShardWriter, open_shards, read_shards, statement_frame
from tests.on_dask.conftest import assert_same_analysis, conversation


def write(folder: Path, votes: pd.DataFrame, sides: dict[int, int], rows: int) -> dict:
    writer = ShardWriter(folder, rows_per_shard=rows)
    for start in range(0, len(votes), 333):  # batches that do not line up with shards
        writer.write(votes.iloc[start : start + 333])
    statements = statement_frame(
        (int(s), None, "rejected" if s == 107 else "accepted", None)
        for s in sorted(votes["statement"].unique())
    )
    side_frame = pd.DataFrame({"participant": list(sides), "side": list(sides.values())})
    return writer.finish(statements=statements, sides=side_frame, about={"round_id": 1})


def test_shards_hold_a_fixed_number_of_rows_and_read_back(tmp_path: Path) -> None:
    votes, sides = conversation(n=100)
    votes = votes.sort_values("time", kind="stable").reset_index(drop=True)
    manifest = write(tmp_path, votes, sides, rows=500)
    assert manifest["n_votes"] == len(votes)
    sizes = [len(read_shards([str(tmp_path / s)])) for s in manifest["shards"]]
    assert sizes[:-1] == [500] * (len(sizes) - 1) and 0 < sizes[-1] <= 500
    back = read_shards([str(tmp_path / s) for s in manifest["shards"]])
    pd.testing.assert_frame_equal(
        back, votes[["time", "participant", "statement", "vote"]].astype(back.dtypes.to_dict())
    )
    assert back.dtypes.to_dict() == {
        "time": np.dtype("int64"),
        "participant": np.dtype("int64"),
        "statement": np.dtype("int64"),
        "vote": np.dtype("int8"),
    }
    assert json.loads((tmp_path / "manifest.json").read_text())["rows_per_shard"] == 500


def test_analysis_of_shards_equals_the_in_memory_engine(
    dask_client: Client, tmp_path: Path
) -> None:
    votes, sides = conversation(n=300, seed=2)
    votes = votes.sort_values("time", kind="stable").reset_index(drop=True)
    write(tmp_path, votes, sides, rows=700)
    shards = open_shards(tmp_path, rows_per_chunk=1_400)
    assert len(shards.chunks) == -(-len(votes) // 1_400)
    assert shards.moderated_out == [107]
    ref = analyze(votes, moderated_out=[107], sides=sides)
    got = analyze_distributed(
        dask_client,
        shards.chunks,
        moderated_out=shards.moderated_out,
        sides=shards.sides,
        block_votes=1_000,
    )
    assert_same_analysis(ref, got, bridging_tol=1e-4)


def test_not_a_shard_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"no manifest\.json"):
        open_shards(tmp_path)
    write(tmp_path / "x", *conversation(n=20), rows=50)
    (tmp_path / "x" / "votes" / "part-00001.parquet").unlink()
    with pytest.raises(InvalidInput, match="missing"):
        open_shards(tmp_path / "x")
    with pytest.raises(InvalidInput, match="already holds vote shards"):
        ShardWriter(tmp_path / "x")
