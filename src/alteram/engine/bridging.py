"""Bridging scores by matrix factorisation, in the manner of the Community Notes scorer.

A vote is modelled as ``mu + i_u + i_s + f_u * f_s`` with one latent factor, agree = 1 and
disagree = 0 (passes are not ratings). Intercepts are regularised five times more than
factors (0.15 vs 0.03); the loss is the mean squared error plus lambda times the mean square
of each parameter block, as in Community Notes. A statement's intercept ``i_s`` is its
support once the main axis of division is explained away. Fitted by alternating exact
least squares from a deterministic start, with Anderson acceleration, so results are
reproducible bit for bit.
"""

from __future__ import annotations

import warnings
from typing import Self

import numpy as np
import scipy.sparse as sp

from alteram.engine.types import FloatArray, IntArray


def _solve_blocks(
    mask: sp.csr_matrix,
    ones: sp.csr_matrix,
    c: FloatArray,
    r_sum: FloatArray,
    mu: float,
    other_i: FloatArray,
    other_f: FloatArray,
    lam_i: float,
    lam_f: float,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per row entity, the ridge solution of (r - mu - other_i) ~ i + f * other_f.

    ``mask`` marks the ratings (1.0), ``ones`` holds the agree ratings; both sparse with
    the entity as rows, so every sum is one sparse product (Dask-friendly). Also returns
    ``mask @ other_f``, which the global intercept needs.
    """
    cols = np.column_stack((other_f, other_f * other_f, other_i, other_i * other_f))
    sums = np.asarray(mask @ cols)
    sf, sff, si, sif = sums[:, 0], sums[:, 1], sums[:, 2], sums[:, 3]
    sr = r_sum - mu * c - si
    srf = np.asarray(ones @ other_f).ravel() - mu * sf - sif
    a11, a12, a22 = c + lam_i, sf, sff + lam_f
    det = a11 * a22 - a12 * a12
    return (a22 * sr - a12 * srf) / det, (a11 * srf - a12 * sr) / det, sf


ANDERSON = 5


class BridgingConvergenceWarning(UserWarning):
    """The bridging factorisation stopped at ``max_iter`` before reaching ``tol``."""


def _indicators(m: sp.csr_matrix) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Rated (agree or disagree) and agree indicators, sharing ``m``'s index arrays.

    Passes stay as stored zeros, which add nothing to any sum.
    """
    rated = (m.data != 0).astype(np.float64)
    agree = (m.data > 0).astype(np.float64)
    return (
        sp.csr_matrix((rated, m.indices, m.indptr), shape=m.shape),
        sp.csr_matrix((agree, m.indices, m.indptr), shape=m.shape),
    )


def _row_sums(m: sp.csr_matrix) -> FloatArray:
    return np.asarray(m.sum(axis=1), dtype=np.float64).ravel()


class BridgingModel:
    """One-factor matrix factorisation of agree/disagree votes.

    Parameters
    ----------
    intercept_lambda : float, default=0.15
    factor_lambda : float, default=0.03
    max_iter : int, default=100
        Above it a :class:`BridgingConvergenceWarning` is issued and ``converged_`` is False.
    tol : float, default=1e-5
        Stop when no statement parameter moves by more than ``tol`` in an iteration.
    max_ratings : int or None, default=2_000_000
        Fit statements on a subsample of participants above this many ratings (None: all).

    Attributes
    ----------
    global_intercept_ : float
    participant_intercepts_, participant_factors_ : ndarray of shape (n_participants,)
    statement_intercepts_, statement_factors_ : ndarray of shape (n_statements,)
    n_iter_ : int
    converged_ : bool
    """

    def __init__(
        self,
        intercept_lambda: float = 0.15,
        factor_lambda: float = 0.03,
        max_iter: int = 100,
        tol: float = 1e-5,
        max_ratings: int | None = 2_000_000,
    ) -> None:
        self.intercept_lambda = intercept_lambda
        self.factor_lambda = factor_lambda
        self.max_iter = max_iter
        self.tol = tol
        self.max_ratings = max_ratings

    def fit(self, matrix: sp.csr_matrix, init_factors: FloatArray | None = None) -> Self:
        """Fit on the non-pass entries of a participants x statements vote matrix.

        ``init_factors`` (one per participant, e.g. the first opinion-map coordinate) gives a
        deterministic start; by default participants start at +/-1 by their vote sum's sign.
        Above ``max_ratings`` ratings the statement parameters are fitted on evenly spaced
        participants holding about that many ratings; every participant's own parameters
        are then solved exactly given them.
        """
        if self.intercept_lambda <= 0 or self.factor_lambda <= 0:
            raise ValueError(
                "intercept_lambda and factor_lambda must be > 0, got "
                f"{self.intercept_lambda} and {self.factor_lambda}."
            )
        if self.max_ratings is not None and self.max_ratings < 1:
            raise ValueError(f"max_ratings must be >= 1 or None, got {self.max_ratings}.")
        m = matrix.tocsr()
        n_u = m.shape[0]
        if init_factors is None:
            sums = np.asarray(m.sum(axis=1)).ravel()
            f0 = np.where(sums >= 0, 1.0, -1.0)
        else:
            f0 = np.asarray(init_factors, dtype=np.float64)
            sd = (float(f0.std()) if len(f0) else 0.0) or 1.0
            f0 = f0 / sd
        n_rated = int(np.count_nonzero(m.data))
        rows: IntArray | None = None
        if self.max_ratings is not None and n_rated > self.max_ratings:
            step = -(-n_rated // self.max_ratings)
            rows = np.arange(0, n_u, step, dtype=np.int64)
        sub = m if rows is None else m[rows]
        mu, iu, fu, i_s, fs, n_iter, converged = self._fit(sub, f0 if rows is None else f0[rows])
        if rows is not None:
            mask, ones = _indicators(m)
            c_u, r_u = _row_sums(mask), _row_sums(ones)
            n_sub = max(float(np.count_nonzero(sub.data)), 1.0)
            n_sub_u = max(sub.shape[0], 1)
            li_u = self.intercept_lambda * n_sub / n_sub_u
            lf_u = self.factor_lambda * n_sub / n_sub_u
            iu, fu, _ = _solve_blocks(mask, ones, c_u, r_u, mu, i_s, fs, li_u, lf_u)
        self.global_intercept_ = mu
        self.participant_intercepts_ = iu
        self.participant_factors_ = fu
        self.statement_intercepts_ = i_s
        self.statement_factors_ = fs
        self.n_iter_ = n_iter
        self.converged_ = converged
        if not self.converged_:
            warnings.warn(
                f"bridging did not converge in {self.max_iter} iterations (tol {self.tol}); "
                "its scores are approximate. Raise max_iter for more precision.",
                BridgingConvergenceWarning,
                stacklevel=2,
            )
        return self

    def _fit(
        self, m: sp.csr_matrix, f0: FloatArray
    ) -> tuple[float, FloatArray, FloatArray, FloatArray, FloatArray, int, bool]:
        n_u, n_s = m.shape
        m = m.copy()
        m.eliminate_zeros()  # passes are not ratings: drop them from the iterated products
        mask, ones = _indicators(m)
        mask_t, ones_t = mask.T.tocsr(), ones.T.tocsr()
        c_u, r_u = _row_sums(mask), _row_sums(ones)
        c_s, r_s = _row_sums(mask_t), _row_sums(ones_t)
        n = max(float(c_u.sum()), 1.0)
        # Community Notes: loss = mean sq. error + lambda * mean(param^2) per block;
        # in normal-equation form each block's penalty is lambda * n_ratings / n_entities.
        li_u, lf_u = self.intercept_lambda * n / max(n_u, 1), self.factor_lambda * n / max(n_u, 1)
        li_s, lf_s = self.intercept_lambda * n / max(n_s, 1), self.factor_lambda * n / max(n_s, 1)
        fu = f0
        iu = np.zeros(n_u)
        total = float(r_u.sum())
        mu = total / n
        i_s, fs, _ = _solve_blocks(mask_t, ones_t, c_s, r_s, mu, iu, fu, li_s, lf_s)

        def sweep(x: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
            """One alternating pass from statement parameters ``x = (i_s, f_s, mu)``."""
            i_s, fs, mu = x[:n_s], x[n_s : 2 * n_s], float(x[-1])
            iu, fu, mask_fs = _solve_blocks(mask, ones, c_u, r_u, mu, i_s, fs, li_u, lf_u)
            mu = (total - float(c_u @ iu) - float(c_s @ i_s) - float(fu @ mask_fs)) / n
            i_s, fs, mask_fu = _solve_blocks(mask_t, ones_t, c_s, r_s, mu, iu, fu, li_s, lf_s)
            mu = (total - float(c_u @ iu) - float(c_s @ i_s) - float(fs @ mask_fu)) / n
            return np.concatenate([i_s, fs, [mu]]), iu, fu

        # Anderson acceleration (memory ``ANDERSON``) of the alternating fixed point.
        x = np.concatenate([i_s, fs, [mu]])
        xs: list[FloatArray] = []
        fx: list[FloatArray] = []
        n_iter = 0
        converged = False
        for n_iter in range(1, self.max_iter + 1):  # noqa: B007 -- kept as n_iter_
            gx, iu, fu = sweep(x)
            f = gx - x
            if np.abs(f).max(initial=0.0) <= self.tol:
                x = gx
                converged = True
                break
            xs.append(x)
            fx.append(f)
            if len(fx) > ANDERSON + 1:
                xs.pop(0)
                fx.pop(0)
            if len(fx) >= 2:
                d_f = np.diff(np.array(fx), axis=0).T
                d_g = np.diff(np.array(xs) + np.array(fx), axis=0).T
                gamma = np.linalg.lstsq(d_f, f, rcond=None)[0]
                x = gx - d_g @ gamma
            else:
                x = gx
        i_s, fs, mu = x[:n_s], x[n_s : 2 * n_s], float(x[-1])
        iu, fu, _ = _solve_blocks(mask, ones, c_u, r_u, mu, i_s, fs, li_u, lf_u)
        return mu, iu, fu, i_s, fs, n_iter, converged
