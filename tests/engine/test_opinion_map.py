from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from alteram.engine.opinion_map import OpinionMap, centred_matrix, top_components
from alteram.engine.votes import build_vote_matrix


def test_centred_matrix_by_hand() -> None:
    # statement 0: votes 1, -1, (missing) -> mean 0; statement 1: 1, 1, 0 -> mean 2/3
    m = sp.csr_matrix(np.array([[1.0, 1.0], [-1.0, 1.0], [0.0, 0.0]]))
    m = sp.csr_matrix((np.array([1.0, 1.0, -1.0, 1.0, 0.0]), ([0, 0, 1, 1, 2], [0, 1, 0, 1, 1])))
    centred, mean = centred_matrix(m)
    assert mean == pytest.approx([0.0, 2 / 3])
    assert centred.toarray() == pytest.approx(
        np.array([[1.0, 1 / 3], [-1.0, 1 / 3], [0.0, -2 / 3]])
    )


def test_centred_equals_mean_imputed_dense_oracle() -> None:
    rng = np.random.default_rng(1)
    dense = rng.choice([-1.0, 0.0, 1.0], size=(30, 8))
    seen = rng.random((30, 8)) < 0.6
    m = sp.csr_matrix((dense[seen], np.nonzero(seen)), shape=dense.shape)
    filled = np.where(seen, dense, np.nan)
    means = np.nanmean(filled, axis=0)
    filled = np.where(seen, dense, means)
    centred, mean = centred_matrix(m)
    assert mean == pytest.approx(means)
    assert centred.toarray() == pytest.approx(filled - filled.mean(axis=0))


@pytest.mark.parametrize("seed", range(5))
def test_top_components_match_numpy_svd(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((60, 12)) @ np.diag(np.linspace(3, 0.1, 12))
    comps, var = top_components(sp.csr_matrix(x), 2, seed=seed)
    _, s, vt = np.linalg.svd(x, full_matrices=False)
    assert var == pytest.approx(s[:2] ** 2, rel=1e-9)
    for got, want in zip(comps, vt[:2], strict=True):
        assert abs(float(got @ want)) == pytest.approx(1.0, abs=1e-9)
        assert got[np.argmax(np.abs(got))] > 0


def test_fewer_statements_than_components() -> None:
    comps, var = top_components(sp.csr_matrix(np.array([[1.0], [-1.0]])), 2)
    assert comps.tolist() == [[1.0], [0.0]]
    assert var.tolist() == [2.0, 0.0]


def test_projection_is_scaled_by_sparsity() -> None:
    # two statements; p0 voted both, p1 only the first: p1 is scaled by sqrt(2/1)
    votes = pd.DataFrame(
        {
            "participant": [0, 0, 1, 2, 2],
            "statement": [0, 1, 0, 0, 1],
            "vote": [1, 1, 1, -1, -1],
            "time": [1, 2, 3, 4, 5],
        }
    )
    vm = build_vote_matrix(votes)
    om = OpinionMap().fit(vm)
    centred, _ = centred_matrix(vm.matrix)
    raw = centred.toarray() @ om.components_.T
    scale = np.sqrt(2 / np.array([2, 1, 2]))
    assert om.embedding_ == pytest.approx(raw * scale[:, None])
    assert om.center_ == pytest.approx([1 / 3, 0.0])


def test_moderated_columns_count_in_the_scaling() -> None:
    votes = pd.DataFrame(
        {
            "participant": [0, 0, 1, 1],
            "statement": [0, 1, 0, 1],
            "vote": [1, 1, -1, 1],
            "time": [1, 2, 3, 4],
        }
    )
    vm = build_vote_matrix(votes, moderated_out=[1])
    om = OpinionMap().fit(vm)
    # every participant counts as having voted on both columns: scale sqrt(2/2) = 1
    centred, _ = centred_matrix(vm.matrix)
    assert om.embedding_ == pytest.approx(centred.toarray() @ om.components_.T)


def test_empty_input() -> None:
    vm = build_vote_matrix(pd.DataFrame(columns=["participant", "statement", "vote", "time"]))
    om = OpinionMap().fit(vm)
    assert om.embedding_.shape == (0, 2)


def test_components_from_a_subsample_of_many_participants() -> None:
    rng = np.random.default_rng(0)
    camp = rng.integers(0, 2, 3000)
    stance = rng.choice([-1.0, 1.0], size=(2, 20))
    votes = stance[camp] * np.where(rng.random((3000, 20)) < 0.85, 1.0, -1.0)
    rows, cols = np.nonzero(rng.random((3000, 20)) < 0.7)
    frame = pd.DataFrame(
        {"participant": rows, "statement": cols, "vote": votes[rows, cols], "time": 0}
    )
    vm = build_vote_matrix(frame)
    full = OpinionMap(max_participants=None).fit(vm)
    part = OpinionMap(max_participants=500).fit(vm)
    assert abs(float(full.components_[0] @ part.components_[0])) > 0.99
    assert part.embedding_.shape == (3000, 2)
    with pytest.raises(ValueError, match="max_participants"):
        OpinionMap(max_participants=0).fit(vm)


def test_top_components_with_thick_restarts(monkeypatch: pytest.MonkeyPatch) -> None:
    # close singular values converge slowly: a small basis must restart, and still agree
    import alteram.engine.opinion_map as om_module

    monkeypatch.setattr(om_module, "RESTART_BASIS", 10)
    rng = np.random.default_rng(7)
    u, _ = np.linalg.qr(rng.standard_normal((300, 80)))
    v, _ = np.linalg.qr(rng.standard_normal((80, 80)))
    s = np.r_[10.0, 9.9, np.linspace(9.7, 1.0, 78)]
    x = (u * s) @ v.T
    comps, var = top_components(sp.csr_matrix(x), 2, tol=1e-11)
    assert var == pytest.approx(s[:2] ** 2, rel=1e-9)
    for got, want in zip(comps, v.T[:2], strict=True):
        assert abs(float(got @ want)) == pytest.approx(1.0, abs=1e-8)


def test_top_components_of_a_rank_one_matrix() -> None:
    # the Krylov space is exhausted after one step: the second component is any unit
    # vector orthogonal to the first, with variance 0
    x = np.outer([1.0, -2.0, 0.5, 1.0], [1.0, 2.0, 0.0, -1.0, 3.0])
    comps, var = top_components(sp.csr_matrix(x), 2)
    want = np.array([1.0, 2.0, 0.0, -1.0, 3.0]) / np.sqrt(15.0)
    assert comps[0] == pytest.approx(want, abs=1e-12)
    assert var == pytest.approx([float(np.sum(x**2)), 0.0], abs=1e-9)
    assert float(comps[0] @ comps[1]) == pytest.approx(0.0, abs=1e-12)
    assert float(np.linalg.norm(comps[1])) == pytest.approx(1.0)


def test_top_components_are_reproducible_bit_for_bit() -> None:
    rng = np.random.default_rng(3)
    x = sp.random(400, 60, density=0.2, random_state=4, format="csr")
    x.data = rng.choice([-1.0, 0.0, 1.0], size=x.nnz)
    a, b = top_components(x, 2), top_components(x, 2)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
