"""Groups of participants: 100 base clusters, then groups with k chosen by silhouette.

Everything is deterministic and independent of the order of participants: points are
rounded, collapsed to unique positions in lexicographic order and weighted by multiplicity
before any clustering, and the k-means starts come from a seeded generator.
"""

from __future__ import annotations

from typing import ClassVar, Self

import numpy as np
from scipy.spatial import cKDTree

from alteram.engine._params import Constraint, Integral, Interval, validate_params
from alteram.engine.types import FloatArray, IntArray

ROUND_DECIMALS = 9
BASE_SAMPLE = 20000
BRUTE_FORCE = 200_000


def assign(points: FloatArray, centres: FloatArray) -> tuple[IntArray, FloatArray]:
    """Nearest centre and squared distance for each point.

    Small problems compare every pair (ties go to the lowest index); large ones query a
    k-d tree of the centres.
    """
    if len(points) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    if len(points) * len(centres) <= BRUTE_FORCE:
        labels, near = _nearest(points, centres[None, :, :])
        return labels[0], near[0]
    dist, labels = cKDTree(centres).query(points)
    return np.asarray(labels, dtype=np.int64), np.asarray(dist, dtype=np.float64) ** 2


def unique_rows(points: FloatArray) -> tuple[FloatArray, IntArray, FloatArray]:
    """Unique rows in lexicographic order, the index of each point's row, and row counts."""
    if len(points) == 0:
        return points, np.zeros(0, dtype=np.int64), np.zeros(0)
    order = np.lexsort(points.T[::-1])
    srt = points[order]
    new = np.ones(len(srt), dtype=bool)
    new[1:] = np.any(srt[1:] != srt[:-1], axis=1)
    group = np.cumsum(new) - 1
    inverse = np.empty(len(points), dtype=np.int64)
    inverse[order] = group
    counts = np.bincount(group).astype(np.float64)
    return srt[new], inverse, counts


def _draw(cdf: FloatArray, rng: np.random.Generator) -> int:
    """Index drawn with probability proportional to the increments of ``cdf``."""
    idx = int(np.searchsorted(cdf, rng.random() * cdf[-1], side="right"))
    return min(idx, len(cdf) - 1)


def _plusplus(
    points: FloatArray, weights: FloatArray, k: int, rng: np.random.Generator
) -> FloatArray:
    """Weighted k-means++ starts."""
    n, dims = points.shape
    cols = [np.ascontiguousarray(points[:, d]) for d in range(dims)]
    cdf = np.cumsum(weights)
    first = _draw(cdf, rng)
    centres = np.empty((k, dims))
    centres[0] = points[first]
    d2 = np.zeros(n)
    step = np.empty(n)
    for d in range(dims):
        np.subtract(cols[d], centres[0, d], out=step)
        d2 += step * step
    near = np.empty(n)
    w = np.empty(n)
    for c in range(1, k):
        np.multiply(weights, d2, out=w)
        np.cumsum(w, out=cdf)
        idx = _draw(cdf, rng) if cdf[-1] > 0 else int(np.argmax(weights))
        centres[c] = points[idx]
        near.fill(0.0)
        for d in range(dims):
            np.subtract(cols[d], centres[c, d], out=step)
            near += step * step
        np.minimum(d2, near, out=d2)
    return centres


def _nearest(points: FloatArray, centres: FloatArray) -> tuple[IntArray, FloatArray]:
    """Every pair compared: nearest centre and squared distance, (runs, k, dims) -> (runs, n).

    |p - c|^2 = |p|^2 + (|c|^2 - 2 p.c); the first term does not change the argmin (ties go
    to the lowest index).
    """
    d = np.matmul(points[None, :, :], -2.0 * centres.transpose(0, 2, 1))
    d += np.einsum("rkd,rkd->rk", centres, centres)[:, None, :]
    lab = np.argmin(d, axis=2)
    near = np.take_along_axis(d, lab[:, :, None], axis=2)[:, :, 0]
    near += np.einsum("ij,ij->i", points, points)[None, :]
    return lab.astype(np.int64), np.maximum(near, 0.0)


def _assign_runs(points: FloatArray, centres: FloatArray) -> tuple[IntArray, FloatArray]:
    """:func:`assign` for several runs' centres at once: (runs, k, dims) -> (runs, n)."""
    if len(points) * centres.shape[1] <= BRUTE_FORCE:
        return _nearest(points, centres)
    pairs = [assign(points, c) for c in centres]
    return np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])


def _means(points: FloatArray, weights: FloatArray, labels: IntArray, centres: FloatArray) -> None:
    """Move each run's centres to the weighted means of their points, in place.

    ``labels`` has shape (runs, n_points) and ``centres`` (runs, k, dims); a centre
    without points stays where it is.
    """
    runs, k, dims = centres.shape
    flat = (labels + (np.arange(runs) * k)[:, None]).ravel()
    w = np.tile(weights, runs)
    wsum = np.bincount(flat, weights=w, minlength=runs * k)
    filled = wsum > 0
    out = centres.reshape(runs * k, dims)
    for d in range(dims):
        s = np.bincount(flat, weights=w * np.tile(points[:, d], runs), minlength=runs * k)
        out[filled, d] = s[filled] / wsum[filled]


def weighted_kmeans(
    points: FloatArray,
    weights: FloatArray,
    k: int,
    *,
    seed: int = 0,
    n_init: int = 1,
    max_iter: int = 300,
    tol: float = 0.0,
) -> tuple[FloatArray, IntArray, float]:
    """Lloyd's k-means of weighted points; the best of ``n_init`` seeded k-means++ starts.

    The starts are drawn one after the other from one seeded generator, then all runs
    iterate together. A run stops when no label changes, or when its centres move (sum
    of squared shifts) by at most ``tol`` times the points' mean variance, as
    scikit-learn does.

    Returns
    -------
    centres : ndarray of shape (k, n_dims)
    labels : ndarray of shape (n_points,)
    inertia : float
        Weighted sum of squared distances to the nearest centre.
    """
    rng = np.random.default_rng(seed)
    threshold = tol * float(np.mean(np.var(points, axis=0))) if tol > 0 else -1.0
    centres = np.stack([_plusplus(points, weights, k, rng) for _ in range(n_init)])
    labels = np.full((n_init, len(points)), -1, dtype=np.int64)
    active = np.arange(n_init)
    for _ in range(max_iter):
        if len(active) == 0:
            break
        new, _ = _assign_runs(points, centres[active])
        moved = ~np.all(new == labels[active], axis=1)
        active = active[moved]
        if len(active) == 0:
            break
        labels[active] = new[moved]
        old = centres[active]
        fresh = old.copy()
        _means(points, weights, labels[active], fresh)
        centres[active] = fresh
        shift = ((fresh - old) ** 2).sum(axis=(1, 2))
        active = active[shift > threshold]
    labels, dist = _assign_runs(points, centres)
    inertia = dist @ weights
    best = 0
    for run in range(1, n_init):
        if inertia[run] < inertia[best] - 1e-12 * max(abs(float(inertia[best])), 1.0):
            best = run
    return centres[best].copy(), labels[best], float(inertia[best])


def pairwise_distances(points: FloatArray) -> FloatArray:
    """Euclidean distances between every pair of points."""
    return np.asarray(np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2)))


def weighted_silhouette(
    points: FloatArray,
    weights: FloatArray,
    labels: IntArray,
    distances: FloatArray | None = None,
) -> float:
    """Mean silhouette of the participants when each point stands for ``weight`` of them.

    ``distances`` may hold :func:`pairwise_distances` of the points, computed once for
    several labellings.
    """
    k = int(labels.max()) + 1
    if k < 2:
        return 0.0
    d = pairwise_distances(points) if distances is None else distances
    onehot = np.zeros((len(points), k))
    onehot[np.arange(len(points)), labels] = weights
    sums = d @ onehot  # weighted distance from each point to each cluster
    size = onehot.sum(axis=0)
    own = size[labels]
    a = np.where(own > 1, sums[np.arange(len(points)), labels] / np.maximum(own - 1, 1), 0.0)
    other = np.where(
        np.arange(k)[None, :] == labels[:, None], np.inf, sums / np.maximum(size, 1e-300)
    )
    other[:, size == 0] = np.inf
    b = other.min(axis=1)
    denom = np.maximum(a, b)
    s = np.where((own > 1) & (denom > 0), (b - a) / np.where(denom > 0, denom, 1), 0.0)
    return float(np.dot(weights, s) / weights.sum())


class GroupClusterer:
    """Polis-style groups: base clusters, then weighted k-means of their centres.

    Points may carry weights (``sample_weight`` in ``fit``): base clusters, group centres
    and the silhouette then count each point that many times; groups are still numbered
    by their number of points.

    A k is accepted only when each of its groups holds at least ``min_group_size`` points
    (people, whatever their weights): among the accepted k the best silhouette wins, and
    when no k >= 2 is accepted everyone is in one group. A round of eight people is not
    split into groups of three and five.

    Parameters
    ----------
    max_groups : int, default=5
        Largest number of groups tried; k = 2..max_groups is chosen by silhouette.
    n_groups : int or None, default=None
        Force this number of groups instead (when there are enough base clusters);
        ``min_group_size`` does not apply to a forced number.
    min_group_size : int, default=5
        Fewest points a group may hold when k is chosen by silhouette.
    n_base_clusters : int, default=100
    n_init : int, default=5
        Seeded starts of the group-level k-means (cheap: it runs on the base centres).
    random_state : int, default=0

    Attributes
    ----------
    labels_ : ndarray of shape (n_points,)
        Group of each point, groups numbered by decreasing number of points.
    base_labels_ : ndarray of shape (n_points,)
    base_centers_ : ndarray of shape (n_base, n_dims)
    centers_ : ndarray of shape (n_groups, n_dims)
    n_groups_ : int
    silhouettes_ : dict of int to float
        Silhouette for each k tried, accepted or not.
    too_small_ : list of int
        The k whose smallest group held fewer than ``min_group_size`` points.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> two = np.vstack([rng.normal(0, 0.1, (4, 2)), rng.normal(5, 0.1, (4, 2))])
    >>> GroupClusterer().fit(two).n_groups_
    1
    >>> GroupClusterer(min_group_size=4).fit(two).n_groups_
    2
    """

    _parameter_constraints: ClassVar[dict[str, list[Constraint]]] = {
        "max_groups": [Interval(Integral, 1, None, closed="left")],
        "n_groups": [Interval(Integral, 1, None, closed="left"), None],
        "min_group_size": [Interval(Integral, 1, None, closed="left")],
        "n_base_clusters": [Interval(Integral, 2, None, closed="left")],
        "n_init": [Interval(Integral, 1, None, closed="left")],
        "random_state": [Interval(Integral, 0, None, closed="left")],
    }

    def __init__(
        self,
        max_groups: int = 5,
        n_groups: int | None = None,
        min_group_size: int = 5,
        n_base_clusters: int = 100,
        n_init: int = 5,
        random_state: int = 0,
    ) -> None:
        self.max_groups = max_groups
        self.n_groups = n_groups
        self.min_group_size = min_group_size
        self.n_base_clusters = n_base_clusters
        self.n_init = n_init
        self.random_state = random_state

    def fit(self, points: FloatArray, sample_weight: FloatArray | None = None) -> Self:
        """Cluster ``points`` of shape (n_points, n_dims), each weighing ``sample_weight``
        (default 1)."""
        validate_params(self)
        points = np.asarray(points, dtype=np.float64)
        n, dims = points.shape
        if n == 0:
            self._empty(dims)
            return self
        uniq, inverse, mult = unique_rows(np.round(points, ROUND_DECIMALS) + 0.0)
        w = mult
        if sample_weight is not None:
            sw = np.asarray(sample_weight, dtype=np.float64)
            if sw.shape != (n,) or not np.all(np.isfinite(sw)) or not np.all(sw > 0):
                raise ValueError(
                    f"sample_weight must hold {n} finite positive numbers, one per point."
                )
            w = np.bincount(inverse, weights=sw, minlength=len(uniq)).astype(np.float64)
        if len(uniq) <= self.n_base_clusters:
            base_centres, ulab = uniq, np.arange(len(uniq), dtype=np.int64)
        else:
            base_centres, ulab = self._base(uniq, w)
        bw = np.bincount(ulab, weights=w, minlength=len(base_centres)).astype(np.float64)
        used = bw > 0
        remap = np.cumsum(used) - 1
        base_centres, bw, ulab = base_centres[used], bw[used], remap[ulab]
        members = np.bincount(ulab, weights=mult, minlength=len(base_centres)).astype(np.float64)
        glab, centres, sil = self._groups(base_centres, bw, members)
        order = np.lexsort(
            (
                centres[:, 1] if dims > 1 else centres[:, 0],
                centres[:, 0],
                -np.bincount(glab, weights=members, minlength=len(centres)),
            )
        )
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        self.base_labels_ = ulab[inverse]
        self.base_centers_ = base_centres
        self.labels_ = rank[glab][self.base_labels_]
        self.centers_ = centres[order]
        self.n_groups_ = len(centres)
        self.silhouettes_ = sil
        return self

    def _base(self, uniq: FloatArray, w: FloatArray) -> tuple[FloatArray, IntArray]:
        """Base clusters of the unique points; above ``BASE_SAMPLE`` of them, fitted on an
        evenly spaced sample of the (sorted) points, then one Lloyd step on all of them."""
        if len(uniq) <= BASE_SAMPLE:
            centres, labels, _ = weighted_kmeans(
                uniq, w, self.n_base_clusters, seed=self.random_state, max_iter=100, tol=1e-4
            )
            return centres, labels
        pick = np.linspace(0, len(uniq) - 1, BASE_SAMPLE).round().astype(np.int64)
        centres, _, _ = weighted_kmeans(
            uniq[pick],
            w[pick],
            self.n_base_clusters,
            seed=self.random_state,
            max_iter=100,
            tol=1e-4,
        )
        labels, _ = assign(uniq, centres)
        _means(uniq, w, labels[None, :], centres[None, :, :])
        labels, _ = assign(uniq, centres)
        return centres, labels

    def _groups(
        self, base: FloatArray, bw: FloatArray, members: FloatArray
    ) -> tuple[IntArray, FloatArray, dict[int, float]]:
        """Groups of the base clusters (weights ``bw``, ``members`` points in each)."""
        nb = len(base)
        self.too_small_: list[int] = []
        if nb == 1:
            return np.zeros(1, dtype=np.int64), base.copy(), {}
        if self.n_groups is not None:
            ks: range = range(min(self.n_groups, nb), min(self.n_groups, nb) + 1)
        else:
            ks = range(2, max(2, min(self.max_groups, nb - 1)) + 1)
        best: tuple[float, IntArray, FloatArray] | None = None
        sil: dict[int, float] = {}
        dist: FloatArray | None = None
        for k in ks:
            if k > nb:
                break
            centres, labels, _ = weighted_kmeans(
                base, bw, k, seed=self.random_state, n_init=self.n_init
            )
            present = np.unique(labels)
            remap = np.full(k, -1, dtype=np.int64)
            remap[present] = np.arange(len(present))
            labels, centres = remap[labels], centres[present]
            if dist is None:
                dist = pairwise_distances(base)
            sil[k] = weighted_silhouette(base, bw, labels, dist)
            sizes = np.bincount(labels, weights=members, minlength=len(present))
            if self.n_groups is None and sizes.min() < self.min_group_size - 1e-9:
                self.too_small_.append(k)
                continue
            if best is None or sil[k] > best[0] + 1e-12:
                best = (sil[k], labels, centres)
        single = self.n_groups == 1 if self.n_groups is not None else self.max_groups == 1
        if best is None or single:
            return (
                np.zeros(nb, dtype=np.int64),
                (base * bw[:, None]).sum(0, keepdims=True) / bw.sum(),
                sil,
            )
        return best[1], best[2], sil

    def _empty(self, dims: int) -> None:
        self.labels_ = np.zeros(0, dtype=np.int64)
        self.base_labels_ = np.zeros(0, dtype=np.int64)
        self.base_centers_ = np.zeros((0, dims))
        self.centers_ = np.zeros((0, dims))
        self.n_groups_ = 0
        self.silhouettes_ = {}
        self.too_small_ = []
