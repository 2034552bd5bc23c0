from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score, silhouette_score

from alteram.engine.clusters import (
    GroupClusterer,
    assign,
    unique_rows,
    weighted_kmeans,
    weighted_silhouette,
)


def blobs(
    n_per: int, centres: list[tuple[float, float]], seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    pts = np.vstack([rng.normal(c, 0.3, size=(n_per, 2)) for c in centres])
    return pts, np.repeat(np.arange(len(centres)), n_per)


def test_assign_by_hand() -> None:
    labels, dist = assign(
        np.array([[0.0, 0.0], [2.0, 0.0], [1.0, 0.5]]), np.array([[0.0, 0.0], [2.0, 0.0]])
    )
    assert labels.tolist() == [0, 1, 0]
    assert dist.tolist() == pytest.approx([0.0, 0.0, 1.25])


def test_assign_matches_brute_force() -> None:
    rng = np.random.default_rng(0)
    pts, centres = rng.normal(size=(500, 2)), rng.normal(size=(30, 2))
    d = ((pts[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
    labels, dist = assign(pts, centres)
    assert labels.tolist() == d.argmin(axis=1).tolist()
    assert dist == pytest.approx(d.min(axis=1))


def test_unique_rows() -> None:
    pts = np.array([[1.0, 2.0], [0.0, 5.0], [1.0, 2.0], [1.0, -1.0]])
    uniq, inverse, counts = unique_rows(pts)
    assert uniq.tolist() == [[0.0, 5.0], [1.0, -1.0], [1.0, 2.0]]
    assert inverse.tolist() == [2, 0, 2, 1]
    assert counts.tolist() == [1.0, 1.0, 2.0]


def test_weighted_kmeans_toy() -> None:
    # a heavy point at 0 and light points at 10 and 11: two clusters {0}, {10, 11}
    pts = np.array([[0.0, 0.0], [10.0, 0.0], [11.0, 0.0]])
    centres, labels, inertia = weighted_kmeans(pts, np.array([5.0, 1.0, 1.0]), 2, n_init=3)
    assert labels[1] == labels[2] != labels[0]
    assert sorted(centres[:, 0].tolist()) == pytest.approx([0.0, 10.5])
    assert inertia == pytest.approx(0.5)


def test_weights_equal_repeated_points() -> None:
    pts = np.array([[0.0, 0.0], [1.0, 0.0], [5.0, 5.0], [6.0, 5.0]])
    w = np.array([1.0, 3.0, 2.0, 1.0])
    rep = np.repeat(pts, w.astype(int), axis=0)
    lab = np.array([0, 0, 1, 1])
    got = weighted_silhouette(pts, w, lab)
    assert got == pytest.approx(silhouette_score(rep, np.repeat(lab, w.astype(int))))


@pytest.mark.parametrize("seed", range(4))
def test_unit_weight_silhouette_matches_sklearn(seed: int) -> None:
    pts, truth = blobs(15, [(0, 0), (3, 0), (0, 3)], seed)
    labels = np.random.default_rng(seed).permutation(truth)
    labels[:15] = truth[:15]
    want = silhouette_score(pts, labels)
    assert weighted_silhouette(pts, np.ones(len(pts)), labels) == pytest.approx(want)


@pytest.mark.parametrize("k", [2, 3, 4])
def test_recovers_planted_groups_and_their_number(k: int) -> None:
    centres = [(0.0, 0.0), (6.0, 0.0), (0.0, 6.0), (6.0, 6.0)][:k]
    pts, truth = blobs(80, centres)
    gc = GroupClusterer().fit(pts)
    assert gc.n_groups_ == k
    assert adjusted_rand_score(truth, gc.labels_) == 1.0
    assert len(np.unique(gc.base_labels_)) == 100


def test_more_than_five_groups_when_allowed() -> None:
    centres = [(10 * np.cos(a), 10 * np.sin(a)) for a in np.linspace(0, 2 * np.pi, 8)[:7]]
    pts, truth = blobs(40, centres)
    assert GroupClusterer().fit(pts).n_groups_ == 5
    gc = GroupClusterer(max_groups=9).fit(pts)
    assert gc.n_groups_ == 7
    assert adjusted_rand_score(truth, gc.labels_) == 1.0


def test_groups_numbered_by_size() -> None:
    rng = np.random.default_rng(3)
    pts = np.vstack([rng.normal((0, 0), 0.2, (30, 2)), rng.normal((5, 5), 0.2, (70, 2))])
    gc = GroupClusterer().fit(pts)
    assert np.bincount(gc.labels_).tolist() == [70, 30]


def test_few_points() -> None:
    assert GroupClusterer().fit(np.zeros((0, 2))).n_groups_ == 0
    assert GroupClusterer().fit(np.array([[1.0, 2.0]])).labels_.tolist() == [0]
    assert GroupClusterer().fit(np.array([[1.0, 2.0], [1.0, 2.0]])).n_groups_ == 1
    two = GroupClusterer(min_group_size=1).fit(np.array([[0.0, 0.0], [5.0, 5.0]]))
    assert two.n_groups_ == 2
    assert GroupClusterer().fit(np.array([[0.0, 0.0], [5.0, 5.0]])).n_groups_ == 1


def test_a_small_round_is_not_split_into_groups_of_one_to_four() -> None:
    # Two tight camps of four: with groups of at least 5 they stay one group.
    pts, _ = blobs(4, [(0.0, 0.0), (6.0, 0.0)])
    gc = GroupClusterer().fit(pts)
    assert gc.n_groups_ == 1 and gc.labels_.tolist() == [0] * 8
    assert gc.too_small_ == [2, 3, 4, 5]
    assert 2 in gc.silhouettes_  # tried, measured, refused
    # The same people may form two groups when groups of four are allowed.
    assert GroupClusterer(min_group_size=4).fit(pts).n_groups_ == 2


def test_falls_back_to_fewer_groups_until_each_is_big_enough() -> None:
    # Three camps of 12, 12 and 3: k=3 would give a group of three; k=2 keeps 12 + 15.
    rng = np.random.default_rng(2)
    pts = np.vstack(
        [
            rng.normal((0, 0), 0.2, (12, 2)),
            rng.normal((8, 0), 0.2, (12, 2)),
            rng.normal((4, 7), 0.2, (3, 2)),
        ]
    )
    free = GroupClusterer(min_group_size=1).fit(pts)
    assert free.n_groups_ == 3 and sorted(np.bincount(free.labels_)) == [3, 12, 12]
    gc = GroupClusterer().fit(pts)
    assert gc.n_groups_ == 2
    assert np.bincount(gc.labels_).min() >= 5
    assert 3 in gc.too_small_


def test_min_group_size_counts_people_not_weights() -> None:
    # Four heavy people far from six light ones: the four are still fewer than five.
    pts, _ = blobs(5, [(0.0, 0.0), (6.0, 0.0)])
    pts = pts[1:]
    weights = np.where(pts[:, 0] > 3, 1.0, 10.0)
    assert GroupClusterer().fit(pts, sample_weight=weights).n_groups_ == 1


def test_a_forced_number_of_groups_ignores_the_minimum() -> None:
    pts, _ = blobs(3, [(0.0, 0.0), (6.0, 0.0)])
    assert GroupClusterer(n_groups=2).fit(pts).n_groups_ == 2


def test_rejects_bad_parameters() -> None:
    with pytest.raises(ValueError, match="max_groups"):
        GroupClusterer(max_groups=0).fit(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="n_base_clusters"):
        GroupClusterer(n_base_clusters=1).fit(np.zeros((3, 2)))
    with pytest.raises(
        ValueError,
        match=r"The 'min_group_size' parameter of GroupClusterer must be an int in the "
        r"range \[1, inf\), got 0\.",
    ):
        GroupClusterer(min_group_size=0).fit(np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"'min_group_size'.*got 2\.5"):
        GroupClusterer(min_group_size=2.5).fit(np.zeros((3, 2)))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"'n_groups'.*int in the range.*or None, got True"):
        GroupClusterer(n_groups=True).fit(np.zeros((3, 2)))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(-20, 20), st.integers(-20, 20)), min_size=1, max_size=160),
    st.randoms(use_true_random=False),
)
def test_order_of_points_does_not_change_groups(points: list[tuple[int, int]], rnd: object) -> None:
    pts = np.array(points, dtype=float) / 4.0
    perm = np.arange(len(pts))
    rnd.shuffle(perm)  # type: ignore[attr-defined]
    a = GroupClusterer(n_base_clusters=20).fit(pts)
    b = GroupClusterer(n_base_clusters=20).fit(pts[perm])
    assert np.array_equal(a.labels_[perm], b.labels_)
    assert np.array_equal(a.centers_, b.centers_)


def test_forced_number_of_groups() -> None:
    pts, _ = blobs(40, [(0.0, 0.0), (6.0, 0.0), (0.0, 6.0)])
    assert GroupClusterer(n_groups=2).fit(pts).n_groups_ == 2
    assert GroupClusterer(n_groups=1).fit(pts).n_groups_ == 1
    assert GroupClusterer(n_groups=6).fit(pts).n_groups_ == 6
    with pytest.raises(ValueError, match="n_groups"):
        GroupClusterer(n_groups=0).fit(pts)


def test_integer_sample_weights_equal_repeated_points() -> None:
    pts, _ = blobs(25, [(0.0, 0.0), (4.0, 0.0), (2.0, 4.0)], seed=5)
    reps = np.random.default_rng(1).integers(1, 4, size=len(pts))
    weighted = GroupClusterer(n_base_clusters=20).fit(pts, sample_weight=reps.astype(float))
    repeated = GroupClusterer(n_base_clusters=20).fit(np.repeat(pts, reps, axis=0))
    assert weighted.n_groups_ == repeated.n_groups_
    assert np.allclose(weighted.centers_, repeated.centers_)
    assert weighted.silhouettes_ == pytest.approx(repeated.silhouettes_)


def test_heavy_points_pull_the_centres() -> None:
    pts = np.array([[0.0, 0.0], [1.0, 0.0], [10.0, 0.0], [11.0, 0.0]])
    gc = GroupClusterer(n_groups=2).fit(pts, sample_weight=np.array([3.0, 1.0, 1.0, 1.0]))
    assert sorted(gc.centers_[:, 0].tolist()) == pytest.approx([0.25, 10.5])
    # Groups are still numbered by their number of points, not by weight.
    assert np.bincount(gc.labels_).tolist() == [2, 2]


@pytest.mark.parametrize(
    "weights", [[1.0, 1.0], [1.0, 0.0, 1.0], [1.0, -1.0, 1.0], [1.0, np.nan, 1.0]]
)
def test_rejects_bad_sample_weights(weights: list[float]) -> None:
    with pytest.raises(ValueError, match="sample_weight must hold 3 finite positive"):
        GroupClusterer().fit(np.zeros((3, 2)), sample_weight=np.array(weights))
