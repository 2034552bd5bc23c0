"""The Dask engine gives the in-memory engine's results on the same conversation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from distributed import Client

from alteram.engine import BridgingModel, OpinionMap, analyze, build_vote_matrix
from alteram.engine.distributed import (
    DistributedBridging,
    DistributedOpinionMap,
    analyze_distributed,
    build_votes,
)
from alteram.errors import InvalidInput
from alteram.interop.polis import read_polis_export
from tests.on_dask.conftest import assert_same_analysis, chunked, conversation


def predictions_for(votes: pd.DataFrame, sides: dict[int, int], seed: int = 0) -> pd.DataFrame:
    """Each vote predicts the other side's agreement share (noisy)."""
    rng = np.random.default_rng(seed)
    latest = votes.sort_values("time").drop_duplicates(["participant", "statement"], keep="last")
    return pd.DataFrame(
        {
            "participant": latest["participant"].to_numpy(),
            "statement": latest["statement"].to_numpy(),
            "target_side": [1 - sides[int(p)] for p in latest["participant"]],
            "predicted": rng.integers(0, 101, len(latest)),
        }
    )


@pytest.mark.parametrize("delayed", [False, True])
def test_equals_the_in_memory_engine(dask_client: Client, delayed: bool) -> None:
    votes, sides = conversation()
    predictions = predictions_for(votes, sides)
    moderated = [107, 240]
    ref = analyze(votes, moderated_out=moderated, sides=sides, predictions=predictions)
    got = analyze_distributed(
        dask_client,
        chunked(dask_client, votes, 1_500, delayed=delayed),
        moderated_out=moderated,
        sides=sides,
        predictions=predictions,
        block_votes=2_000,
        wave_votes=5_000,
    )
    assert got.diagnostics["blocks"] > 2  # it really ran in pieces
    assert not ref.clustered.all()  # some participants stay below the threshold
    assert_same_analysis(ref, got, bridging_tol=1e-4)


def test_equals_the_in_memory_engine_when_every_vector_travels_as_a_future(
    dask_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Large vectors (a statement's worth at national scale) are scattered once, not sent
    with each task; every iteration's new vector must reach the workers."""
    import alteram.engine.distributed.votes as votes_module

    monkeypatch.setattr(votes_module, "SEND_BYTES", 0)
    votes, sides = conversation(seed=4)
    ref = analyze(votes, sides=sides)
    got = analyze_distributed(
        dask_client, chunked(dask_client, votes, 3_000), sides=sides, block_votes=2_000
    )
    assert_same_analysis(ref, got, bridging_tol=1e-4)


@pytest.mark.data
def test_equals_the_in_memory_engine_on_a_polis_conversation(
    dask_client: Client, shared_data: Path
) -> None:
    export = read_polis_export(shared_data / "polis-opendata" / "vtaiwan.uberx")
    ref = analyze(export.votes, moderated_out=export.moderated_out)
    got = analyze_distributed(
        dask_client,
        chunked(dask_client, export.votes, 20_000),
        moderated_out=export.moderated_out,
        block_votes=15_000,
    )
    assert got.diagnostics["blocks"] >= 3
    assert_same_analysis(ref, got, bridging_tol=1e-4)


def test_subsampled_estimators_match(dask_client: Client) -> None:
    """Above their size limits both backends fit on the same evenly spaced participants."""
    votes, _ = conversation(n=600, seed=3)
    vm = build_vote_matrix(votes)
    dv = build_votes(dask_client, chunked(dask_client, votes, 2_000), block_votes=1_500)
    om = OpinionMap(max_participants=250).fit(vm)
    dom = DistributedOpinionMap(max_participants=250).fit(dv)
    np.testing.assert_allclose(np.abs(dom.components_), np.abs(om.components_), atol=1e-8)
    np.testing.assert_allclose(dom.explained_variance_, om.explained_variance_, rtol=1e-9)
    bm = BridgingModel(max_ratings=2_000).fit(vm.matrix, init_factors=om.embedding_[:, 0])
    dbm = DistributedBridging(max_ratings=2_000).fit(dv, init_factors=om.embedding_[:, 0])
    assert dbm.converged_ and bm.converged_
    np.testing.assert_allclose(dbm.statement_intercepts_, bm.statement_intercepts_, atol=1e-4)
    np.testing.assert_allclose(dbm.participant_intercepts_, bm.participant_intercepts_, atol=1e-3)
    assert abs(dbm.global_intercept_ - bm.global_intercept_) < 1e-4


def test_default_start_without_init_factors(dask_client: Client) -> None:
    votes, _ = conversation(n=200, seed=5)
    vm = build_vote_matrix(votes)
    dv = build_votes(dask_client, chunked(dask_client, votes, 1_000), block_votes=800)
    bm = BridgingModel().fit(vm.matrix)
    dbm = DistributedBridging().fit(dv)
    np.testing.assert_allclose(dbm.statement_intercepts_, bm.statement_intercepts_, atol=1e-4)


def test_a_bad_vote_names_its_chunk_and_row(dask_client: Client) -> None:
    votes, _ = conversation(n=50)
    votes.loc[130, "vote"] = 2
    with pytest.raises(InvalidInput, match=r"chunk 1: votes row 30 has vote 2"):
        build_votes(dask_client, chunked(dask_client, votes, 100))


def test_string_ids_are_refused_with_what_to_do(dask_client: Client) -> None:
    votes = pd.DataFrame({"participant": ["a", "b"], "statement": [1, 2], "vote": [1, -1]})
    with pytest.raises(InvalidInput, match="integer participant ids"):
        build_votes(dask_client, [dask_client.scatter(votes)])


def test_no_votes_is_a_clear_error(dask_client: Client) -> None:
    with pytest.raises(InvalidInput, match="no votes"):
        analyze_distributed(dask_client, [])
