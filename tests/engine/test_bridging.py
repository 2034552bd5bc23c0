from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.optimize import minimize

from alteram.engine import bridging
from alteram.engine.bridging import BridgingConvergenceWarning, BridgingModel


def camps(seed: int = 0) -> sp.csr_matrix:
    """Two camps of 40 and 10; s0 bridges (both agree), s1..s6 divide, s7 nobody likes."""
    rng = np.random.default_rng(seed)
    camp = np.r_[np.zeros(40), np.ones(10)].astype(int)
    stance = np.array([[1, 1, -1, 1, -1, 1, -1, -1], [1, -1, 1, -1, 1, -1, 1, -1]])
    votes = stance[camp].astype(float)
    flip = rng.random(votes.shape) < 0.1
    votes[flip] *= -1
    votes[rng.random(votes.shape) < 0.2] = 0.0  # passes are not ratings
    seen = rng.random(votes.shape) < 0.85
    return sp.csr_matrix((votes[seen], np.nonzero(seen)), shape=votes.shape)


def loss(model: BridgingModel, m: sp.csr_matrix) -> float:
    c = m.tocoo()
    keep = c.data != 0
    u, s, r = c.row[keep], c.col[keep], (c.data[keep] > 0).astype(float)
    pred = (
        model.global_intercept_
        + model.participant_intercepts_[u]
        + model.statement_intercepts_[s]
        + model.participant_factors_[u] * model.statement_factors_[s]
    )
    return float(
        np.mean((r - pred) ** 2)
        + 0.15
        * (np.mean(model.participant_intercepts_**2) + np.mean(model.statement_intercepts_**2))
        + 0.03 * (np.mean(model.participant_factors_**2) + np.mean(model.statement_factors_**2))
    )


def test_bridging_statement_scores_highest() -> None:
    m = camps()
    b = BridgingModel().fit(m)
    assert int(np.argmax(b.statement_intercepts_)) == 0
    assert int(np.argmin(b.statement_intercepts_)) == 7
    # the divisive statements carry the factor, the bridging one hardly
    assert np.abs(b.statement_factors_[1:7]).min() > 3 * abs(b.statement_factors_[0])


def test_matches_a_generic_optimiser() -> None:
    m = camps(1)
    b = BridgingModel(tol=1e-12, max_iter=5000).fit(m)
    n_u, n_s = m.shape
    c = m.tocoo()
    keep = c.data != 0
    u, s, r = c.row[keep], c.col[keep], (c.data[keep] > 0).astype(float)

    def objective(theta: np.ndarray) -> float:
        mu, iu, is_ = theta[0], theta[1 : 1 + n_u], theta[1 + n_u : 1 + n_u + n_s]
        fu, fs = theta[1 + n_u + n_s : 1 + 2 * n_u + n_s], theta[1 + 2 * n_u + n_s :]
        pred = mu + iu[u] + is_[s] + fu[u] * fs[s]
        return float(
            np.mean((r - pred) ** 2)
            + 0.15 * (np.mean(iu**2) + np.mean(is_**2))
            + 0.03 * (np.mean(fu**2) + np.mean(fs**2))
        )

    start = np.concatenate(
        [
            [b.global_intercept_],
            b.participant_intercepts_,
            b.statement_intercepts_,
            b.participant_factors_,
            b.statement_factors_,
        ]
    )
    res = minimize(objective, start, method="L-BFGS-B", options={"gtol": 1e-12, "ftol": 1e-15})
    assert objective(start) == pytest.approx(loss(b, m), rel=1e-12)
    assert objective(start) <= res.fun + 1e-9  # no better point nearby: ALS converged


def test_deterministic_bit_for_bit() -> None:
    m = camps(2)
    a, b = BridgingModel().fit(m), BridgingModel().fit(m)
    assert np.array_equal(a.statement_intercepts_, b.statement_intercepts_)
    assert np.array_equal(a.participant_factors_, b.participant_factors_)


def test_rejects_non_positive_regularisation() -> None:
    with pytest.raises(ValueError, match="must be > 0"):
        BridgingModel(intercept_lambda=0).fit(camps())


def test_input_matrix_is_not_modified() -> None:
    m = camps(3)
    before = (m.data.copy(), m.indices.copy(), m.indptr.copy())
    BridgingModel().fit(m)
    assert all(
        np.array_equal(x, y) for x, y in zip(before, (m.data, m.indices, m.indptr), strict=True)
    )


def test_subsampled_fit_for_large_inputs() -> None:
    rng = np.random.default_rng(4)
    camp = rng.integers(0, 2, 600)
    stance = rng.choice([-1.0, 1.0], size=(2, 30))
    stance[:, 0] = 1.0  # a bridging statement
    votes = stance[camp] * np.where(rng.random((600, 30)) < 0.85, 1.0, -1.0)
    m = sp.csr_matrix(votes)
    full = BridgingModel(max_ratings=None).fit(m)
    part = BridgingModel(max_ratings=6000).fit(m)
    assert len(part.participant_intercepts_) == 600
    assert np.corrcoef(full.statement_intercepts_, part.statement_intercepts_)[0, 1] > 0.95
    both_agree = (stance == 1).all(axis=0)
    assert (
        part.statement_intercepts_[both_agree].min() > part.statement_intercepts_[~both_agree].max()
    )
    with pytest.raises(ValueError, match="max_ratings"):
        BridgingModel(max_ratings=0).fit(m)


def test_warns_when_not_converged() -> None:
    with pytest.warns(BridgingConvergenceWarning, match="did not converge in 2"):
        b = BridgingModel(max_iter=2).fit(camps())
    assert b.converged_ is False
    assert BridgingModel().fit(camps()).converged_ is True


def test_least_penalty_moves_keep_predictions_and_lower_the_penalty() -> None:
    from alteram.engine.bridging import _least_penalty, _Penalties

    rng = np.random.default_rng(6)
    iu, fu = rng.normal(0.3, 0.5, 30), rng.normal(1.0, 2.0, 30)
    i_s, fs = rng.normal(-0.2, 0.5, 8), rng.normal(0.5, 0.1, 8)
    lam = _Penalties(i_u=0.9, f_u=0.2, i_s=3.0, f_s=0.7)

    def penalty(iu: np.ndarray, fu: np.ndarray, i_s: np.ndarray, fs: np.ndarray) -> float:
        return float(
            lam.i_u * iu @ iu + lam.f_u * fu @ fu + lam.i_s * i_s @ i_s + lam.f_s * fs @ fs
        )

    mu2, iu2, fu2, i_s2, fs2 = _least_penalty(0.6, iu, fu, i_s, fs, lam)
    before = 0.6 + iu[:, None] + i_s[None, :] + np.outer(fu, fs)
    after = mu2 + iu2[:, None] + i_s2[None, :] + np.outer(fu2, fs2)
    assert after == pytest.approx(before, abs=1e-12)
    assert penalty(iu2, fu2, i_s2, fs2) < penalty(iu, fu, i_s, fs)


def test_matches_the_tightly_converged_solution() -> None:
    m = camps(5)
    tight = BridgingModel(tol=1e-13, max_iter=5000).fit(m)
    default = BridgingModel().fit(m)
    assert default.converged_
    assert np.abs(default.statement_intercepts_ - tight.statement_intercepts_).max() < 1e-4
    assert np.abs(default.statement_factors_ - tight.statement_factors_).max() < 1e-4


def test_plain_sweeps_after_the_shortcut_reach_the_same_solution(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    m = camps(6)
    default = BridgingModel(tol=1e-10, max_iter=2000).fit(m)
    # The fallback used when the least-penalty moves do not settle: plain sweeps from the
    # second one on.
    monkeypatch.setattr(bridging, "SHORTCUT_SWEEPS", 1)
    plain = BridgingModel(tol=1e-10, max_iter=2000).fit(m)
    assert default.converged_ and plain.converged_
    assert plain.n_iter_ != default.n_iter_
    assert np.abs(plain.statement_intercepts_ - default.statement_intercepts_).max() < 1e-6
    assert np.abs(plain.statement_factors_ - default.statement_factors_).max() < 1e-6


def test_a_stray_extrapolation_restarts_the_history(monkeypatch: pytest.MonkeyPatch) -> None:
    m = camps(7)
    default = BridgingModel(tol=1e-10, max_iter=2000).fit(m)
    # With the threshold below 1 every sweep that does not improve on the best so far
    # restarts the history; the fixed point, and so the solution, is the same.
    monkeypatch.setattr(bridging, "RESTART", 0.5)
    restarted = BridgingModel(tol=1e-10, max_iter=2000).fit(m)
    assert default.converged_ and restarted.converged_
    assert restarted.n_iter_ != default.n_iter_  # the restarts did change the path
    assert np.abs(restarted.statement_intercepts_ - default.statement_intercepts_).max() < 1e-6
