"""The opinion map: mean-imputed centred PCA with two components and Polis's projection."""

from __future__ import annotations

from typing import Any, Self

import numpy as np
import scipy.sparse as sp

from alteram.engine.types import FloatArray, VoteMatrix


def centred_matrix(matrix: sp.csr_matrix) -> tuple[sp.csr_matrix, FloatArray]:
    """Votes minus their statement's mean at the observed entries; unseen entries stay 0.

    Filling unseen votes with the statement mean and then centring gives exactly this
    matrix, so it stays as sparse as the votes.
    """
    counts = np.bincount(matrix.indices, minlength=matrix.shape[1]).astype(np.float64)
    sums = np.bincount(matrix.indices, weights=matrix.data, minlength=matrix.shape[1]).astype(
        np.float64
    )
    mean = np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)
    centred = sp.csr_matrix(
        (matrix.data - mean[matrix.indices], matrix.indices, matrix.indptr), shape=matrix.shape
    )
    return centred, mean


def top_components(
    x: Any, n_components: int = 2, *, tol: float = 1e-10, max_iter: int = 300, seed: int = 0
) -> tuple[FloatArray, FloatArray]:
    """Leading right singular vectors of ``x`` by block power iteration with Rayleigh-Ritz.

    Only the products ``x @ B`` and ``x.T @ B`` with thin dense blocks are needed, so ``x``
    may be any matrix-like with those products (scipy.sparse, a Dask array, ...). Iteration
    stops when every wanted Ritz pair has a residual below ``tol`` times the largest value.

    Returns
    -------
    components : ndarray of shape (n_components, n_features)
        Unit vectors; each has its entry of largest magnitude positive.
    variances : ndarray of shape (n_components,)
        The squared singular values.
    """
    n_features = x.shape[1]
    k = min(n_components, n_features)
    block = min(n_features, k + 4)
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.standard_normal((n_features, block)))
    vecs = q[:, :k]
    vals = np.zeros(k)
    for _ in range(max_iter):
        z = np.asarray(x.T @ np.asarray(x @ q))
        small = q.T @ z
        evals, evecs = np.linalg.eigh((small + small.T) / 2)
        order = np.argsort(evals)[::-1]
        evals, evecs = evals[order], evecs[:, order]
        vecs, vals = q @ evecs[:, :k], evals[:k]
        resid = np.linalg.norm(z @ evecs[:, :k] - vecs * vals, axis=0)
        scale = max(float(abs(evals[0])), 1e-300)
        if np.all(resid <= tol * scale) or block == n_features:
            break
        q, _ = np.linalg.qr(z @ evecs)
    comps = vecs.T.copy()
    for row in comps:
        j = int(np.argmax(np.abs(row)))
        if row[j] < 0:
            row *= -1
    out = np.zeros((n_components, n_features))
    out[:k] = comps
    var = np.zeros(n_components)
    var[:k] = np.maximum(vals, 0.0)
    return out, var


class OpinionMap:
    """Polis's opinion map: PCA of the mean-imputed votes and a sparsity-aware projection.

    Parameters
    ----------
    n_components : int, default=2
    random_state : int, default=0
        Seeds the start of the power iteration; the result does not depend on it beyond
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
    raw = np.asarray(centred @ components.T).reshape(n_p, components.shape[0])
    seen = np.diff(votes.matrix.indptr).astype(np.float64) + float(votes.moderated.sum())
    scale = np.sqrt(n_s / np.maximum(seen, 1.0))
    return np.asarray(raw * scale[:, None], dtype=np.float64)
