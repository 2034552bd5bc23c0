"""Original readers against translation readers: the two-proportion test and its grouping."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import chi2_contingency

from alteram.engine.versions import compare_versions, two_proportion_test


def test_hand_worked_case() -> None:
    # 30 of 50 original readers agree, 20 of 50 translation readers: p1 - p2 = 0.2, SE 0.1
    z, p = two_proportion_test(20, 50, 30, 50)
    assert z == pytest.approx(-2.0)
    assert p == pytest.approx(0.04550026, rel=1e-6)


@given(
    k1=st.integers(0, 60),
    extra1=st.integers(1, 60),
    k2=st.integers(0, 60),
    extra2=st.integers(1, 60),
)
def test_agrees_with_the_uncorrected_chi_square_test(
    k1: int, extra1: int, k2: int, extra2: int
) -> None:
    n1, n2 = k1 + extra1, k2 + extra2
    z, p = two_proportion_test(k1, n1, k2, n2)
    table = np.array([[k1, n1 - k1], [k2, n2 - k2]])
    if (table.sum(axis=0) == 0).any():
        assert (z, p) == (0.0, 1.0)
        return
    chi2, p_chi, _, _ = chi2_contingency(table, correction=False)
    assert z**2 == pytest.approx(chi2, rel=1e-9, abs=1e-9)
    assert p == pytest.approx(p_chi, rel=1e-9, abs=1e-12)


def _frame(rows: list[tuple[int, int | None, int, bool]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["statement", "side", "vote", "translated"])


def test_compares_within_each_side_and_says_when_there_is_not_enough_data() -> None:
    rows = []
    # side 1: 12 original readers all agree, 12 translation readers all disagree
    rows += [(5, 1, 1, False)] * 12 + [(5, 1, -1, True)] * 12
    # side 2 reads only the translation: nothing to compare it with
    rows += [(5, 2, 1, True)] * 30
    # statement 6: too few translation readers
    rows += [(6, 1, 1, False)] * 20 + [(6, 1, 1, True)] * 3
    found = {(c.statement, c.side): c for c in compare_versions(_frame(rows))}
    assert set(found) == {(5, 1), (5, 2), (6, 1)}
    strong = found[(5, 1)]
    assert (strong.agree_original, strong.agree_translated, strong.difference) == (1.0, 0.0, -1.0)
    assert strong.enough_data and strong.differs and strong.p_value < 1e-5
    assert not found[(5, 2)].enough_data and found[(5, 2)].n_original == 0
    assert not found[(6, 1)].enough_data and found[(6, 1)].z is None


def test_same_agreement_in_both_groups_does_not_differ() -> None:
    rows = [(1, 1, v, t) for t in (False, True) for v in [1] * 10 + [-1] * 10]
    (c,) = compare_versions(_frame(rows))
    assert c.enough_data and not c.differs and c.difference == 0.0


def test_passes_count_as_votes_cast_and_missing_sides_are_kept_apart() -> None:
    rows = [(1, None, 0, False)] * 10 + [(1, None, 1, True)] * 10
    (c,) = compare_versions(_frame(rows))
    assert c.side is None and c.agree_original == 0.0 and c.agree_translated == 1.0


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="min_per_group"):
        compare_versions(_frame([]), min_per_group=0)
    with pytest.raises(ValueError, match="translated"):
        compare_versions(pd.DataFrame({"statement": [1], "side": [1], "vote": [1]}))
