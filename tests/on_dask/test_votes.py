"""The distributed vote matrix is the in-memory one, however the votes are cut."""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from distributed import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alteram.engine import build_vote_matrix
from alteram.engine.distributed import DistributedVotes, build_votes
from tests.on_dask.conftest import chunked


def gathered(dv: DistributedVotes) -> sp.csr_matrix:
    blocks = dv.client.gather(dv.blocks)
    if not blocks:
        return sp.csr_matrix(dv.shape)
    return sp.vstack([b.matrix() for b in blocks], format="csr")


votes_tables = st.integers(min_value=1, max_value=120).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 15), min_size=n, max_size=n),  # participant
        st.lists(st.integers(0, 9), min_size=n, max_size=n),  # statement
        st.lists(st.sampled_from([-1, 0, 1]), min_size=n, max_size=n),
        st.lists(st.integers(0, 40), min_size=n, max_size=n),  # time, with ties
    )
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    table=votes_tables,
    chunk_rows=st.integers(1, 50),
    block_votes=st.integers(1, 60),
    wave_votes=st.integers(1, 100),
    with_time=st.booleans(),
    moderated=st.sets(st.integers(0, 9), max_size=3),
)
def test_any_cut_gives_the_same_matrix(
    dask_client: Client,
    table: tuple[list[int], list[int], list[int], list[int]],
    chunk_rows: int,
    block_votes: int,
    wave_votes: int,
    with_time: bool,
    moderated: set[int],
) -> None:
    p, s, v, t = table
    votes = pd.DataFrame({"participant": p, "statement": s, "vote": v})
    if with_time:
        votes["time"] = t
    ref = build_vote_matrix(votes, moderated_out=moderated)
    dv = build_votes(
        dask_client,
        chunked(dask_client, votes, chunk_rows),
        moderated_out=moderated,
        block_votes=block_votes,
        wave_votes=wave_votes,
    )
    assert list(dv.participant_ids) == list(ref.participant_ids)
    assert list(dv.statement_ids) == list(ref.statement_ids)
    np.testing.assert_array_equal(dv.moderated, ref.moderated)
    np.testing.assert_array_equal(dv.n_votes, ref.n_votes)
    np.testing.assert_array_equal(dv.ever_clustered, ref.ever_clustered)
    got = gathered(dv)
    assert (got != ref.matrix).nnz == 0
    np.testing.assert_array_equal(got.indptr, ref.matrix.indptr)
    np.testing.assert_array_equal(dv.n_seen, np.diff(ref.matrix.indptr))


def test_history_decides_who_is_clustered(dask_client: Client) -> None:
    """Polis's rule: a participant who voted on every statement there was at the time stays
    clustered though they now have fewer votes than min(7, statements)."""
    early = [(1, s, 1, s) for s in range(3)]  # participant 1 votes on the first three
    later = [(2, s, -1, 10 + s) for s in range(9)]  # then nine statements exist
    late = [(3, s, 1, 30 + s) for s in range(3)]  # participant 3 votes on three, too late
    votes = pd.DataFrame(early + later + late, columns=["participant", "statement", "vote", "time"])
    dv = build_votes(dask_client, chunked(dask_client, votes, 4), block_votes=2)
    assert dict(zip(dv.participant_ids.tolist(), dv.ever_clustered.tolist(), strict=True)) == {
        1: True,
        2: True,
        3: False,
    }
    assert len(dv.blocks) > 1


def test_blocks_hold_about_the_same_number_of_votes(dask_client: Client) -> None:
    rng = np.random.default_rng(0)
    votes = pd.DataFrame(
        {
            "participant": rng.integers(0, 2_000, 40_000),
            "statement": rng.integers(0, 50, 40_000),
            "vote": rng.integers(-1, 2, 40_000),
        }
    )
    dv = build_votes(dask_client, chunked(dask_client, votes, 5_000), block_votes=5_000)
    sizes = [len(b.data) for b in dask_client.gather(dv.blocks)]
    assert len(sizes) >= 6
    assert max(sizes) < 2 * min(sizes)
