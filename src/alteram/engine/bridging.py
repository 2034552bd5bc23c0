"""Bridging scores by matrix factorisation, in the manner of the Community Notes scorer.

A vote is modelled as ``mu + i_u + i_s + f_u * f_s`` with one latent factor, agree = 1 and
disagree = 0 (passes are not ratings). Intercepts are regularised five times more than
factors (0.15 vs 0.03); the loss is the mean squared error plus lambda times the mean square
of each parameter block, as in Community Notes. A statement's intercept ``i_s`` is its
support once the main axis of division is explained away. Fitted by alternating exact
least squares from a deterministic start, with Anderson acceleration, so results are
reproducible bit for bit.

Each half-sweep is one product of the sparse rating indicator (or its transpose) with a
thin dense block, so a distributed matrix can replace it. After every sweep the parameters
are moved, in closed form, along the directions that leave every prediction unchanged
(scaling the factors against each other, shifting intercepts into ``mu``, shifting a factor
while the other side's intercepts absorb it) to where the penalty is least. Alternating
least squares is slowest along exactly these directions; the moves do not change the
solution (at a stationary point they are already optimal) but halve the sweeps needed.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Self

import numpy as np
import scipy.sparse as sp

from alteram.engine.types import FloatArray, IntArray

ANDERSON = 5
SHORTCUT_SWEEPS = 30
RESTART = 10.0


class BridgingConvergenceWarning(UserWarning):
    """The bridging factorisation stopped at ``max_iter`` before reaching ``tol``."""


@dataclass(frozen=True)
class _Ratings:
    """Agree/disagree ratings as one 0/1 indicator with a column per (statement, rating).

    ``pairs[u, s]`` is 1 when participant u disagreed with s and ``pairs[u, n_s + s]`` when
    they agreed, so one product with a thin block gives a participant's sums over all their
    ratings and over their agree ratings at once (and the transpose the same per statement).
    """

    pairs: sp.csr_matrix
    pairs_t: sp.csc_matrix  # its transpose (a view sharing the arrays)
    c_u: FloatArray  # ratings per participant
    r_u: FloatArray  # agree ratings per participant
    c_s: FloatArray
    r_s: FloatArray

    @property
    def n_s(self) -> int:
        return int(self.pairs.shape[1] // 2)

    @classmethod
    def of(cls, matrix: sp.csr_matrix) -> _Ratings:
        m = matrix.tocsr()
        if not m.has_canonical_format:
            m = m.copy()
            m.sum_duplicates()
        if m.nnz and not np.all(m.data != 0):  # passes are not ratings
            m = m.copy()
            m.eliminate_zeros()
        n_u, n_s = m.shape
        cols = m.indices + (m.data > 0).astype(m.indices.dtype) * n_s
        pairs = sp.csr_matrix(
            (np.ones(len(cols)), cols, m.indptr.copy()), shape=(n_u, 2 * n_s), copy=False
        )
        per_pair = np.bincount(cols, minlength=2 * n_s).astype(np.float64)
        return cls(
            pairs=pairs,
            pairs_t=pairs.T,
            c_u=np.diff(m.indptr).astype(np.float64),
            r_u=np.asarray(pairs @ np.r_[np.zeros(n_s), np.ones(n_s)], dtype=np.float64),
            c_s=per_pair[:n_s] + per_pair[n_s:],
            r_s=per_pair[n_s:],
        )

    def participant_sums(self, i_s: FloatArray, f_s: FloatArray) -> FloatArray:
        """Per participant, sums over their ratings of f, f^2, i, i*f, and of f over agrees."""
        n_s = self.n_s
        z = np.zeros((2 * n_s, 5))
        z[:n_s, 0] = f_s
        z[:n_s, 1] = f_s * f_s
        z[:n_s, 2] = i_s
        z[:n_s, 3] = i_s * f_s
        z[n_s:, :4] = z[:n_s, :4]
        z[n_s:, 4] = f_s
        return np.asarray(self.pairs @ z, dtype=np.float64)

    def statement_sums(self, i_u: FloatArray, f_u: FloatArray) -> FloatArray:
        """Per statement, the same sums over the participants who rated it."""
        n_s = self.n_s
        z = np.empty((len(i_u), 4))
        z[:, 0] = f_u
        z[:, 1] = f_u * f_u
        z[:, 2] = i_u
        z[:, 3] = i_u * f_u
        both = np.asarray(self.pairs_t @ z, dtype=np.float64)
        out = np.empty((n_s, 5))
        out[:, :4] = both[:n_s] + both[n_s:]
        out[:, 4] = both[n_s:, 0]
        return out


def _solve(
    sums: FloatArray, c: FloatArray, r_sum: FloatArray, mu: float, lam_i: float, lam_f: float
) -> tuple[FloatArray, FloatArray]:
    """Per entity, the ridge solution of (r - mu - other_i) ~ i + f * other_f.

    ``sums`` holds, per entity, the sums of other_f, other_f^2, other_i, other_i * other_f
    over its ratings and of other_f over its agree ratings; the 2x2 normal equations are
    solved in closed form.
    """
    sf, sff, si, sif, saf = sums.T
    sr = r_sum - mu * c - si
    srf = saf - mu * sf - sif
    a11, a12, a22 = c + lam_i, sf, sff + lam_f
    det = a11 * a22 - a12 * a12
    return (a22 * sr - a12 * srf) / det, (a11 * srf - a12 * sr) / det


@dataclass(frozen=True)
class _Penalties:
    """Normal-equation penalties per parameter block (lambda * n_ratings / n_entities)."""

    i_u: float
    f_u: float
    i_s: float
    f_s: float


def _least_penalty(
    mu: float,
    iu: FloatArray,
    fu: FloatArray,
    i_s: FloatArray,
    fs: FloatArray,
    lam: _Penalties,
) -> tuple[float, FloatArray, FloatArray, FloatArray, FloatArray]:
    """Move along the directions that keep every prediction to where the penalty is least.

    In turn: scale f_u by a and f_s by 1/a; shift i_u and i_s to mean 0 into mu; shift f_u by
    c with i_s - c * f_s; shift f_s by c with i_u - c * f_u. Each step is exact.
    """
    fuu, fss = float(fu @ fu), float(fs @ fs)
    if fuu > 0 and fss > 0:
        a = float(np.sqrt(np.sqrt(lam.f_s * fss / (lam.f_u * fuu))))
        fu, fs = fu * a, fs / a
    if len(iu):
        c = float(iu.mean())
        mu, iu = mu + c, iu - c
    if len(i_s):
        c = float(i_s.mean())
        mu, i_s = mu + c, i_s - c
    den = lam.f_u * len(fu) + lam.i_s * float(fs @ fs)
    if den > 0:
        c = -(lam.f_u * float(fu.sum()) - lam.i_s * float(i_s @ fs)) / den
        fu, i_s = fu + c, i_s - c * fs
    den = lam.f_s * len(fs) + lam.i_u * float(fu @ fu)
    if den > 0:
        c = -(lam.f_s * float(fs.sum()) - lam.i_u * float(iu @ fu)) / den
        fs, iu = fs + c, iu - c * fu
    return mu, iu, fu, i_s, fs


class BridgingModel:
    """One-factor matrix factorisation of agree/disagree votes.

    Parameters
    ----------
    intercept_lambda : float, default=0.15
    factor_lambda : float, default=0.03
    max_iter : int, default=200
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
        max_iter: int = 200,
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
            full = _Ratings.of(m)
            n_sub = max(float(np.count_nonzero(sub.data)), 1.0)
            n_sub_u = max(sub.shape[0], 1)
            li_u = self.intercept_lambda * n_sub / n_sub_u
            lf_u = self.factor_lambda * n_sub / n_sub_u
            sums = full.participant_sums(i_s, fs)
            iu, fu = _solve(sums, full.c_u, full.r_u, mu, li_u, lf_u)
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
        data = _Ratings.of(m)
        n = max(float(data.c_u.sum()), 1.0)
        # Community Notes: loss = mean sq. error + lambda * mean(param^2) per block;
        # in normal-equation form each block's penalty is lambda * n_ratings / n_entities.
        lam = _Penalties(
            i_u=self.intercept_lambda * n / max(n_u, 1),
            f_u=self.factor_lambda * n / max(n_u, 1),
            i_s=self.intercept_lambda * n / max(n_s, 1),
            f_s=self.factor_lambda * n / max(n_s, 1),
        )
        total = float(data.r_u.sum())
        mu = total / n
        i_s, fs = _solve(
            data.statement_sums(np.zeros(n_u), f0), data.c_s, data.r_s, mu, lam.i_s, lam.f_s
        )

        def sweep(x: FloatArray, shortcut: bool) -> FloatArray:
            """One alternating pass from statement parameters ``x = (i_s, f_s, mu)``."""
            i_s, fs, mu = x[:n_s], x[n_s : 2 * n_s], float(x[-1])
            sums = data.participant_sums(i_s, fs)
            iu, fu = _solve(sums, data.c_u, data.r_u, mu, lam.i_u, lam.f_u)
            mu = (total - float(data.c_u @ iu) - float(data.c_s @ i_s) - float(fu @ sums[:, 0])) / n
            sums = data.statement_sums(iu, fu)
            i_s, fs = _solve(sums, data.c_s, data.r_s, mu, lam.i_s, lam.f_s)
            mu = (total - float(data.c_u @ iu) - float(data.c_s @ i_s) - float(fs @ sums[:, 0])) / n
            if shortcut:
                mu, iu, fu, i_s, fs = _least_penalty(mu, iu, fu, i_s, fs, lam)
            return np.concatenate([i_s, fs, [mu]])

        x, n_iter, converged = accelerate(
            sweep, np.concatenate([i_s, fs, [mu]]), max_iter=self.max_iter, tol=self.tol
        )
        i_s, fs, mu = x[:n_s], x[n_s : 2 * n_s], float(x[-1])
        iu, fu = _solve(data.participant_sums(i_s, fs), data.c_u, data.r_u, mu, lam.i_u, lam.f_u)
        return mu, iu, fu, i_s, fs, n_iter, converged


def accelerate(
    sweep: Callable[[FloatArray, bool], FloatArray], x: FloatArray, *, max_iter: int, tol: float
) -> tuple[FloatArray, int, bool]:
    """Anderson acceleration (memory ``ANDERSON``) of the alternating fixed point ``sweep``.

    ``sweep(x, shortcut)`` is one alternating pass from the statement parameters ``x``, with
    the least-penalty moves when ``shortcut``. The moves halve the sweeps on real
    conversations, but on some (a one-factor model of three planted groups) they keep
    Anderson from settling; if they have not converged after ``SHORTCUT_SWEEPS``, the
    iteration goes on with plain sweeps. Returns the last iterate, the number of sweeps and
    whether the largest change fell to ``tol``.
    """
    xs: list[FloatArray] = []
    fx: list[FloatArray] = []
    n_iter = 0
    converged = False
    shortcut = True
    least = np.inf  # the smallest residual since the history was last cleared
    for n_iter in range(1, max_iter + 1):
        if shortcut and n_iter > SHORTCUT_SWEEPS:
            shortcut = False
            xs.clear()
            fx.clear()
            least = np.inf
        gx = sweep(x, shortcut)
        f = gx - x
        resid = float(np.abs(f).max(initial=0.0))
        if resid <= tol:
            x = gx
            converged = True
            break
        if resid > RESTART * least:
            # The extrapolation went astray (it does when the fixed point is poorly
            # conditioned): forget the history and go on from the plain sweep.
            xs.clear()
            fx.clear()
            least = np.inf
        least = min(least, resid)
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
    return x, n_iter, converged
