from __future__ import annotations

import numpy as np
import pytest

from alteram.engine.sides import side_scores
from alteram.engine.types import VoteCounts


def counts(agree: list[list[float]], seen: list[list[float]]) -> VoteCounts:
    a, s = np.array(agree), np.array(seen)
    return VoteCounts(agree=a, disagree=s - a, seen=s)


def test_common_ground_weighs_sides_equally() -> None:
    # side 0 has 1000 voters, side 1 has 10. s0: both sides 80% agree. s1: the big side 95%,
    # the small side 20%: a size-weighted share would call s1 common ground, we do not.
    c = counts([[800, 950], [8, 2]], [[1000, 1000], [10, 10]])
    sc = side_scores(c)
    assert sc.is_common_ground.tolist() == [True, False]
    assert sc.common_ground[0] > sc.common_ground[1]
    assert sc.agree_share[1].tolist() == pytest.approx([8.5 / 11, 2.5 / 11])
    assert sc.divisiveness[1] == pytest.approx(950.5 / 1001 - 2.5 / 11)


def test_prior_does_not_crush_a_small_unanimous_side() -> None:
    # 3 of 3 agree: Jeffreys 3.5/4 = 0.875 (Polis's +1/+2 would give 0.8)
    sc = side_scores(counts([[3.0], [3.0]], [[3.0], [3.0]]))
    assert sc.agree_share[:, 0].tolist() == pytest.approx([0.875, 0.875])
    assert sc.common_ground[0] == pytest.approx(0.875)


def test_geometric_mean_does_not_shrink_with_more_sides() -> None:
    two = side_scores(counts([[9.0]] * 2, [[10.0]] * 2)).common_ground[0]
    five = side_scores(counts([[9.0]] * 5, [[10.0]] * 5)).common_ground[0]
    assert two == pytest.approx(five)


def test_a_side_that_did_not_vote_blocks_common_ground() -> None:
    sc = side_scores(counts([[9.0], [0.0]], [[10.0], [0.0]]))
    assert not sc.is_common_ground[0]
    assert sc.divisiveness[0] == 0.0
