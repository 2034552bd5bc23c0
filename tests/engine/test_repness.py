from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.sparse as sp

from alteram.engine.repness import Z_90, group_counts, prop_test, repness, two_prop_test
from alteram.engine.types import VoteCounts


def test_group_counts_by_hand() -> None:
    m = sp.csr_matrix(np.array([[1.0, -1.0], [1.0, 0.0], [-1.0, 1.0]]))
    m = sp.csr_matrix((np.array([1.0, -1.0, 1.0, 0.0, -1.0]), ([0, 0, 1, 1, 2], [0, 1, 0, 1, 0])))
    c = group_counts(m, np.array([0, 0, -1]), 1)
    assert c.agree.tolist() == [[2.0, 0.0]]
    assert c.disagree.tolist() == [[0.0, 1.0]]
    assert c.seen.tolist() == [[2.0, 2.0]]  # the pass counts as seen


def test_prop_tests_by_hand() -> None:
    # Polis: 2 * sqrt(n+1) * ((s+1)/(n+1) - 1/2)
    assert prop_test(np.array(3.0), np.array(3.0)) == pytest.approx(2 * 2 * (4 / 4 - 0.5))
    z = two_prop_test(np.array(4.0), np.array(4.0), np.array(0.0), np.array(4.0))
    p1, p2, ph = 5 / 5, 1 / 5, 6 / 10
    assert z == pytest.approx((p1 - p2) / math.sqrt(ph * (1 - ph) * (2 / 5)))
    assert two_prop_test(np.array(1.0), np.array(2.0), np.array(1.0), np.array(2.0)) == 0.0


def test_representative_statements_of_two_camps() -> None:
    # group 0 (10 people) agrees with s0 and disagrees with s1; group 1 the opposite;
    # everyone agrees with s2, so it represents no group
    agree = np.array([[10.0, 0.0, 10.0], [0.0, 10.0, 10.0]])
    disagree = np.array([[0.0, 10.0, 0.0], [10.0, 0.0, 0.0]])
    rep = repness(VoteCounts(agree=agree, disagree=disagree, seen=agree + disagree))
    assert rep.pa[0].tolist() == pytest.approx([11 / 12, 1 / 12, 11 / 12])
    assert rep.ra[0, 0] == pytest.approx((11 / 12) / (1 / 12))
    assert rep.rat[0, 0] > Z_90 and rep.pat[0, 0] > Z_90
    eligible = np.ones(3, dtype=bool)
    got0 = rep.representative(0, eligible)
    assert [(j, d) for j, d, _ in got0] == [(0, "agree"), (1, "disagree")]
    got1 = rep.representative(1, eligible)
    assert {(j, d) for j, d, _ in got1} == {(1, "agree"), (0, "disagree")}
    assert rep.representative(0, np.array([False, False, True]))[0][0] == 2
    assert rep.representative(0, np.zeros(3, dtype=bool)) == []


def test_group_counts_match_a_dense_oracle() -> None:
    rng = np.random.default_rng(5)
    votes = rng.choice([-1.0, 0.0, 1.0], size=(40, 9))
    seen = rng.random((40, 9)) < 0.6
    m = sp.csr_matrix((votes[seen], np.nonzero(seen)), shape=votes.shape)
    labels = rng.integers(-1, 3, 40)
    got = group_counts(m, labels, 3)
    for g in range(3):
        rows = labels == g
        assert got.agree[g].tolist() == ((votes == 1) & seen)[rows].sum(axis=0).tolist()
        assert got.disagree[g].tolist() == ((votes == -1) & seen)[rows].sum(axis=0).tolist()
        assert got.seen[g].tolist() == seen[rows].sum(axis=0).tolist()
