from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.sparse as sp

from alteram.engine.perception import PerceptionGap

SIDE_A, SIDE_B = 0, 1


def simulate(
    n_a: int, n_b: int, shares: np.ndarray, gap: float, noise: float, seed: int
) -> tuple[sp.csr_matrix, np.ndarray, tuple[np.ndarray, ...]]:
    """Side B votes with the given true agree shares; side A predicts share + gap + noise."""
    rng = np.random.default_rng(seed)
    n_s = len(shares)
    votes_b = np.where(rng.random((n_b, n_s)) < shares, 1.0, -1.0)
    votes_a = rng.choice([-1.0, 1.0], size=(n_a, n_s))
    matrix = sp.csr_matrix(np.vstack([votes_a, votes_b]))
    side_of = np.r_[np.full(n_a, SIDE_A), np.full(n_b, SIDE_B)].astype(np.int64)
    who = np.repeat(np.arange(n_a), n_s)
    stmt = np.tile(np.arange(n_s), n_a)
    q = 100 * shares[stmt] + gap + rng.normal(0, noise, len(who))
    target = np.full(len(who), SIDE_B, dtype=np.int64)
    return matrix, side_of, (who, stmt, target, q)


def true_mae(gap: float, sd: float) -> float:
    """E|g + e| for e ~ N(0, sd^2)."""
    phi = math.exp(-(gap**2) / (2 * sd**2)) * sd * math.sqrt(2 / math.pi)
    return phi + gap * (1 - 2 * 0.5 * math.erfc(gap / (sd * math.sqrt(2))))


def test_hand_example() -> None:
    # B: 3 voters on s0, 2 agree -> 66.7%; A's 5 predictors say 50, 60, 70, 80, 90
    matrix = sp.csr_matrix(np.array([[1.0]] * 5 + [[1.0], [1.0], [-1.0]]))
    side_of = np.array([0] * 5 + [1] * 3, dtype=np.int64)
    q = np.array([50.0, 60, 70, 80, 90])
    pg = PerceptionGap(min_voters=3, n_boot=200).fit(
        matrix, side_of, np.arange(5), np.zeros(5, dtype=np.int64), np.ones(5, dtype=np.int64), q
    )
    rec = pg.statements_[0]
    actual = 200 / 3
    assert rec["actual"].value == pytest.approx(actual)
    assert rec["predicted"].value == pytest.approx(70.0)
    assert rec["signed"].value == pytest.approx(70.0 - actual)
    assert rec["mae"].value == pytest.approx(np.mean(np.abs(q - actual)))
    assert rec["enough_data"] and rec["n_predictors"] == 5 and rec["n_voters"] == 3
    lo, hi = rec["signed"].low, rec["signed"].high
    assert lo is not None and hi is not None and lo <= rec["signed"].value <= hi
    assert pg.pairs_[0]["n_statements"] == 1


def test_not_enough_data_claims_nothing() -> None:
    matrix, side_of, (who, stmt, target, q) = simulate(4, 100, np.array([0.5]), 10, 5, 0)
    pg = PerceptionGap().fit(matrix, side_of, who, stmt, target, q)
    rec = pg.statements_[0]
    assert rec["enough_data"] is False
    assert rec["mae"].value is None and rec["signed"].low is None
    assert pg.pairs_[0]["enough_data"] is False and pg.pairs_[0]["mae"].value is None


@pytest.mark.parametrize("gap", [-15.0, 0.0, 8.0])
def test_recovers_planted_gaps(gap: float) -> None:
    shares = np.linspace(0.25, 0.75, 8)
    matrix, side_of, (who, stmt, target, q) = simulate(800, 6000, shares, gap, 10.0, 1)
    pg = PerceptionGap(n_boot=300).fit(matrix, side_of, who, stmt, target, q)
    assert len(pg.statements_) == 8
    for rec in pg.statements_:
        assert rec["signed"].value == pytest.approx(gap, abs=2.0)
        assert rec["mae"].value == pytest.approx(true_mae(gap, 10.0), abs=2.0)
    pair = pg.pairs_[0]
    assert pair["signed"].value == pytest.approx(gap, abs=1.0)
    assert pair["signed"].low <= gap <= pair["signed"].high


def test_interval_coverage_is_about_95_percent() -> None:
    hits, n_sim = 0, 200
    for seed in range(n_sim):
        matrix, side_of, (who, stmt, target, q) = simulate(40, 60, np.array([0.6]), 5.0, 12, seed)
        pg = PerceptionGap(n_boot=400, random_state=seed).fit(matrix, side_of, who, stmt, target, q)
        est = pg.statements_[0]["signed"]
        hits += int(est.low <= 5.0 <= est.high)
    assert 0.90 <= hits / n_sim <= 0.99


def test_deterministic() -> None:
    args = simulate(30, 30, np.array([0.4, 0.6]), 3.0, 8, 5)
    a = PerceptionGap().fit(args[0], args[1], *args[2])
    b = PerceptionGap().fit(args[0], args[1], *args[2])
    assert a.statements_ == b.statements_ and a.pairs_ == b.pairs_


def test_rejects_bad_parameters() -> None:
    args = simulate(30, 30, np.array([0.4]), 3.0, 8, 5)
    with pytest.raises(ValueError, match="n_boot"):
        PerceptionGap(n_boot=0).fit(args[0], args[1], *args[2])
    with pytest.raises(ValueError, match="confidence"):
        PerceptionGap(confidence=1.5).fit(args[0], args[1], *args[2])
