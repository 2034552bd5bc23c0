"""The feedback comparison: a Welch difference of mean gaps, or nothing below the minimum."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from alteram.engine.feedback import compare_gaps


@pytest.mark.parametrize("seed", range(5))
def test_the_difference_and_interval_match_welchs_test(seed: int) -> None:
    rng = np.random.default_rng(seed)
    saw = rng.normal(15, 5, size=int(rng.integers(5, 30)))
    not_saw = rng.normal(22, 8, size=int(rng.integers(5, 30)))
    c = compare_gaps(list(saw), list(not_saw))
    oracle = stats.ttest_ind(saw, not_saw, equal_var=False).confidence_interval(0.95)
    assert c.enough_data
    assert c.difference == pytest.approx(saw.mean() - not_saw.mean())
    assert (c.low, c.high) == (pytest.approx(oracle.low), pytest.approx(oracle.high))
    assert (c.n_saw, c.n_not) == (len(saw), len(not_saw))


def test_below_the_minimum_nothing_is_claimed() -> None:
    c = compare_gaps([10, 12, 14, 9], [20, 22, 18, 25, 21])
    assert not c.enough_data
    assert c.difference is None and c.low is None and c.high is None
    assert c.mean_saw == pytest.approx(11.25) and c.n_saw == 4
    assert compare_gaps([], []).mean_saw is None


def test_identical_gaps_give_a_zero_width_interval() -> None:
    c = compare_gaps([10.0] * 5, [10.0] * 6)
    assert (c.difference, c.low, c.high) == (0.0, 0.0, 0.0)
