"""The opinion map: mean-imputed centred PCA with two components and Polis's projection."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Self

import numpy as np
import scipy.sparse as sp

from alteram.engine.types import FloatArray, VoteMatrix


def centred_matrix(matrix: sp.csr_matrix) -> tuple[sp.csr_matrix, FloatArray]:
    """Votes minus their statement's mean at the observed entries; unseen entries stay 0.

    Filling unseen votes with the statement mean and then centring gives exactly this
    matrix, so it stays as sparse as the votes.
    """
    n_s = matrix.shape[1]
    counts = np.bincount(matrix.indices, minlength=n_s).astype(np.float64)
    sums = np.bincount(matrix.indices, weights=matrix.data, minlength=n_s).astype(np.float64)
    mean = np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)
    data = np.take(mean, matrix.indices)
    np.subtract(matrix.data, data, out=data)
    centred = sp.csr_matrix((data, matrix.indices, matrix.indptr), shape=matrix.shape)
    return centred, mean


def top_components(
    x: Any,
    n_components: int = 2,
    *,
    tol: float = 1e-10,
    max_iter: int = 1000,
    seed: int = 0,
    gram: Callable[[FloatArray], FloatArray] | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Leading right singular vectors of ``x`` by Lanczos iteration on ``x.T @ x``.

    Only the products ``x @ v`` and ``x.T @ u`` with vectors are needed, so ``x`` may be
    any matrix-like with those products (scipy.sparse, a Dask array, ...). The Krylov basis
    is kept orthogonal explicitly (twice-repeated Gram-Schmidt) and the Ritz pairs come from
    the Rayleigh quotient of the basis, restarted (thick restart) when the basis reaches
    ``RESTART_BASIS`` vectors. Iteration stops when every wanted Ritz pair has a residual
    below ``tol`` times the largest value, or after ``max_iter`` products with ``x.T @ x``.
    The start vector is drawn from ``seed``, so the result is reproducible bit for bit.

    ``gram``, when given, computes ``x.T @ (x @ v)`` in one call (a distributed matrix does
    it without moving the intermediate vector); ``x`` then only needs a ``shape``.

    Returns
    -------
    components : ndarray of shape (n_components, n_features)
        Unit vectors; each has its entry of largest magnitude positive.
    variances : ndarray of shape (n_components,)
        The squared singular values.
    """
    n_features = x.shape[1]
    k = min(n_components, n_features)
    out = np.zeros((n_components, n_features))
    var = np.zeros(n_components)
    if k == 0:
        return out, var
    size = min(n_features, max(RESTART_BASIS, 2 * k + 8))
    basis = np.zeros((n_features, size))
    # Rayleigh quotient basis.T @ (x.T @ x) @ basis, filled a column per product
    small = np.zeros((size, size))
    product = gram if gram is not None else _gram_of(x)
    rng = np.random.default_rng(seed)
    v = _random_direction(basis[:, :0], rng)
    m = 0
    evals = np.zeros(0)
    evecs = np.zeros((0, 0))
    for _ in range(max_iter):
        basis[:, m] = v
        w = np.asarray(product(v), dtype=np.float64).reshape(n_features)
        m += 1
        norm0 = float(np.linalg.norm(w))
        # w's part outside the basis is the residual direction of every Ritz pair
        w, h = _orthogonalise(w, basis[:, :m])
        small[:m, m - 1] = h
        small[m - 1, :m] = h
        evals, evecs = np.linalg.eigh(small[:m, :m])
        evals, evecs = evals[::-1], evecs[:, ::-1]
        beta = float(np.linalg.norm(w))
        if m >= k:
            resid = beta * np.abs(evecs[m - 1, :k])
            scale = max(float(abs(evals[0])), 1e-300)
            if np.all(resid <= tol * scale) or m == n_features:
                break
        if m == size:  # thick restart: keep the best Ritz vectors, go on from w
            keep = min(k + 4, m - 1)
            basis[:, :keep] = basis[:, :m] @ evecs[:, :keep]
            small[:, :] = 0.0
            small[:keep, :keep] = np.diag(evals[:keep])
            m = keep
        # when the span found so far is invariant, go on in a new direction
        grows = beta > 1e-8 * norm0 and beta > 0
        v = w / beta if grows else _random_direction(basis[:, :m], rng)
    comps = (basis[:, :m] @ evecs[:, :k]).T
    comps /= np.linalg.norm(comps, axis=1, keepdims=True)
    for row in comps:
        j = int(np.argmax(np.abs(row)))
        if row[j] < 0:
            row *= -1
    out[:k] = comps
    var[:k] = np.maximum(evals[:k], 0.0)
    return out, var


RESTART_BASIS = 40


def _gram_of(x: Any) -> Callable[[FloatArray], FloatArray]:
    """``v -> x.T @ (x @ v)``, with the transpose made once."""
    xt = x.T

    def product(v: FloatArray) -> FloatArray:
        return np.asarray(xt @ np.asarray(x @ v), dtype=np.float64)

    return product


def _orthogonalise(w: FloatArray, basis: FloatArray) -> tuple[FloatArray, FloatArray]:
    """``w`` minus its projection on the orthonormal columns of ``basis``, and the coefficients.

    Classical Gram-Schmidt applied twice, which keeps the basis orthogonal to rounding.
    """
    coef = basis.T @ w
    w = w - basis @ coef
    again = basis.T @ w
    return w - basis @ again, coef + again


def _random_direction(basis: FloatArray, rng: np.random.Generator) -> FloatArray:
    """A random unit vector orthogonal to the columns of ``basis`` (fewer than its rows)."""
    while True:
        start = np.asarray(rng.standard_normal(basis.shape[0]), dtype=np.float64)
        w, _ = _orthogonalise(start, basis)
        norm = float(np.linalg.norm(w))
        if norm > 1e-8:
            return np.asarray(w / norm)


class OpinionMap:
    """Polis's opinion map: PCA of the mean-imputed votes and a sparsity-aware projection.

    Parameters
    ----------
    n_components : int, default=2
    random_state : int, default=0
        Seeds the start of the Lanczos iteration; the result does not depend on it beyond
        numerical tolerance.
    max_participants : int or None, default=200_000
        Above this many participants the components are computed from evenly spaced
        participants (the statement means and every projection still use everyone).

    Attributes
    ----------
    center_ : ndarray of shape (n_statements,)
    components_ : ndarray of shape (n_components, n_statements)
    explained_variance_ : ndarray of shape (n_components,)
    embedding_ : ndarray of shape (n_participants, n_components)
        Every participant's position, scaled by sqrt(n_statements / n_votes).
    clustered_ : ndarray of bool of shape (n_participants,)
    """

    def __init__(
        self,
        n_components: int = 2,
        random_state: int = 0,
        max_participants: int | None = 200_000,
    ) -> None:
        self.n_components = n_components
        self.random_state = random_state
        self.max_participants = max_participants

    def fit(self, votes: VoteMatrix) -> Self:
        """Compute the components from all participants and project everyone."""
        if self.n_components < 1:
            raise ValueError(f"n_components must be >= 1, got {self.n_components}.")
        if self.max_participants is not None and self.max_participants < 1:
            raise ValueError(f"max_participants must be >= 1 or None, got {self.max_participants}.")
        centred, mean = centred_matrix(votes.matrix)
        n_p, n_s = votes.shape
        if n_p == 0 or n_s == 0:
            self.components_ = np.zeros((self.n_components, n_s))
            self.explained_variance_ = np.zeros(self.n_components)
        else:
            fit_on = centred
            if self.max_participants is not None and n_p > self.max_participants:
                rows = np.linspace(0, n_p - 1, self.max_participants).round().astype(np.int64)
                fit_on = centred[rows]
            self.components_, self.explained_variance_ = top_components(
                fit_on, self.n_components, seed=self.random_state
            )
        self.center_ = mean
        self.embedding_ = project(centred, self.components_, votes)
        self.clustered_ = votes.ever_clustered.copy()
        return self


def project(centred: Any, components: FloatArray, votes: VoteMatrix) -> FloatArray:
    """Polis's sparsity-aware projection of each participant onto the components.

    Moderated-out statements count as voted for everyone (Polis zeroes their columns).
    """
    n_p, n_s = votes.shape
    raw = np.zeros((n_p, components.shape[0]))
    for j, component in enumerate(components):  # vector products: cheaper than one block
        raw[:, j] = np.asarray(centred @ component).reshape(n_p)
    seen = np.diff(votes.matrix.indptr).astype(np.float64) + float(votes.moderated.sum())
    scale = np.sqrt(n_s / np.maximum(seen, 1.0))
    return np.asarray(raw * scale[:, None], dtype=np.float64)
