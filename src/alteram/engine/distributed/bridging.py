"""Bridging on Dask: the factorisation of :class:`alteram.engine.BridgingModel`, block by block.

One alternating sweep is one pass over the blocks: given the statement parameters (sent
to every worker), each block solves its participants' parameters exactly (they depend on
that participant's ratings only) and returns its share of the per-statement sums and a few
moments of its participants' parameters. The client adds the shares, solves the statement
parameters, moves along the directions that keep every prediction (from the moments: the
participant parameters of a sweep are not needed after it) and accelerates the sweeps with
the same Anderson scheme as the in-memory model. Participant parameters never travel
except at the end (two floats per participant).
"""

from __future__ import annotations

import warnings
from typing import Self

import numpy as np

from alteram.engine.bridging import (
    BridgingConvergenceWarning,
    BridgingModel,
    _Penalties,
    _Ratings,
    _solve,
    accelerate,
)
from alteram.engine.distributed._dask import worker_count
from alteram.engine.distributed.blocks import VoteBlock
from alteram.engine.distributed.votes import DistributedVotes
from alteram.engine.types import FloatArray, IntArray

N_MOMENTS = 7  # sum c*i_u, sum f_u*sf, n, sum f_u, sum f_u^2, sum i_u, sum i_u*f_u


def _ratings(block: VoteBlock) -> _Ratings:
    return _Ratings.of(block.matrix())


def stats_part(block: VoteBlock) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per statement ratings and agrees; (ratings, agrees, row-sum sign count) totals."""
    r = _ratings(block)
    return r.c_s, r.r_s, np.array([r.c_u.sum(), r.r_u.sum(), float(block.n_rows)])


def row_sums_part(block: VoteBlock) -> FloatArray:
    """Sum of each participant's votes (the default start)."""
    return np.asarray(block.matrix().sum(axis=1), dtype=np.float64).ravel()


def start_part(block: VoteBlock, f0: FloatArray) -> FloatArray:
    """The block's share of the statement sums with i_u = 0 and f_u = f0."""
    return _ratings(block).statement_sums(np.zeros(block.n_rows), f0)


def sweep_part(
    block: VoteBlock, x: FloatArray, lam_i: float, lam_f: float
) -> tuple[FloatArray, FloatArray]:
    """Participants' parameters given statement parameters ``x``; the block's share of the
    statement sums and the moments of its participants' parameters."""
    r = _ratings(block)
    n_s = r.n_s
    i_s, fs, mu = x[:n_s], x[n_s : 2 * n_s], float(x[-1])
    sums = r.participant_sums(i_s, fs)
    iu, fu = _solve(sums, r.c_u, r.r_u, mu, lam_i, lam_f)
    moments = np.array(
        [
            float(r.c_u @ iu),
            float(fu @ sums[:, 0]),
            float(len(iu)),
            float(fu.sum()),
            float(fu @ fu),
            float(iu.sum()),
            float(iu @ fu),
        ]
    )
    return r.statement_sums(iu, fu), moments


def solve_part(
    block: VoteBlock, i_s: FloatArray, fs: FloatArray, mu: float, lam_i: float, lam_f: float
) -> FloatArray:
    """The block's participants' (intercept, factor), shape (n_rows, 2)."""
    r = _ratings(block)
    iu, fu = _solve(r.participant_sums(i_s, fs), r.c_u, r.r_u, mu, lam_i, lam_f)
    return np.column_stack([iu, fu])


def least_penalty_moments(
    mu: float, m: FloatArray, i_s: FloatArray, fs: FloatArray, lam: _Penalties
) -> tuple[float, FloatArray, FloatArray]:
    """:func:`alteram.engine.bridging._least_penalty` computed from the participants'
    moments (n, sum f, sum f^2, sum i, sum i*f): the statement side's result is the same."""
    n_u, f1, f2, i1, i_f = m[2], m[3], m[4], m[5], m[6]
    fss = float(fs @ fs)
    if f2 > 0 and fss > 0:
        a = float(np.sqrt(np.sqrt(lam.f_s * fss / (lam.f_u * f2))))
        f1, f2, i_f = f1 * a, f2 * a * a, i_f * a
        fs = fs / a
    if n_u:
        c = i1 / n_u
        mu, i1, i_f = mu + c, 0.0, i_f - c * f1
    if len(i_s):
        c = float(i_s.mean())
        mu, i_s = mu + c, i_s - c
    den = lam.f_u * n_u + lam.i_s * float(fs @ fs)
    if den > 0:
        c = -(lam.f_u * f1 - lam.i_s * float(i_s @ fs)) / den
        f2, f1, i_f = f2 + 2 * c * f1 + n_u * c * c, f1 + n_u * c, i_f + c * i1
        i_s = i_s - c * fs
    den = lam.f_s * len(fs) + lam.i_u * f2
    if den > 0:
        c = -(lam.f_s * float(fs.sum()) - lam.i_u * i_f) / den
        fs = fs + c
    return mu, i_s, fs


class DistributedBridging(BridgingModel):
    """:class:`alteram.engine.BridgingModel` fitted on a :class:`DistributedVotes`.

    Same parameters and attributes; the same results up to the order of floating-point
    sums.
    """

    def fit(self, votes: DistributedVotes, init_factors: FloatArray | None = None) -> Self:
        """Fit on the non-pass votes (of at least one participant); see
        :meth:`BridgingModel.fit`."""
        if self.intercept_lambda <= 0 or self.factor_lambda <= 0:
            raise ValueError(
                "intercept_lambda and factor_lambda must be > 0, got "
                f"{self.intercept_lambda} and {self.factor_lambda}."
            )
        if self.max_ratings is not None and self.max_ratings < 1:
            raise ValueError(f"max_ratings must be >= 1 or None, got {self.max_ratings}.")
        n_u = votes.shape[0]
        if init_factors is None:
            f0 = np.where(votes.rows(row_sums_part) >= 0, 1.0, -1.0)
        else:
            f0 = np.asarray(init_factors, dtype=np.float64)
            sd = (float(f0.std()) if len(f0) else 0.0) or 1.0
            f0 = f0 / sd
        _, _, totals = votes.sum(stats_part)
        n_rated = int(totals[0])
        rows: IntArray | None = None
        if self.max_ratings is not None and n_rated > self.max_ratings:
            step = -(-n_rated // self.max_ratings)
            rows = np.arange(0, n_u, step, dtype=np.int64)
        sub = votes if rows is None else votes.take(rows, 2 * worker_count(votes.client))
        mu, i_s, fs, n_iter, converged, n_sub, lam = self._fit(
            sub, f0 if rows is None else f0[rows]
        )
        if rows is None:
            li_u, lf_u = lam.i_u, lam.f_u
        else:
            n_sub_u = max(sub.shape[0], 1)
            li_u = self.intercept_lambda * max(n_sub, 1.0) / n_sub_u
            lf_u = self.factor_lambda * max(n_sub, 1.0) / n_sub_u
        params = votes.rows(solve_part, i_s, fs, mu, li_u, lf_u)
        self.global_intercept_ = mu
        self.participant_intercepts_ = np.ascontiguousarray(params[:, 0])
        self.participant_factors_ = np.ascontiguousarray(params[:, 1])
        self.statement_intercepts_ = i_s
        self.statement_factors_ = fs
        self.n_iter_ = n_iter
        self.converged_ = converged
        if not converged:
            warnings.warn(
                f"bridging did not converge in {self.max_iter} iterations (tol {self.tol}); "
                "its scores are approximate. Raise max_iter for more precision.",
                BridgingConvergenceWarning,
                stacklevel=2,
            )
        return self

    def _fit(  # type: ignore[override]
        self, votes: DistributedVotes, f0: FloatArray
    ) -> tuple[float, FloatArray, FloatArray, int, bool, float, _Penalties]:
        n_u, n_s = votes.shape
        c_s, r_s, totals = votes.sum(stats_part)
        n_ratings = float(totals[0])
        n = max(n_ratings, 1.0)
        lam = _Penalties(
            i_u=self.intercept_lambda * n / max(n_u, 1),
            f_u=self.factor_lambda * n / max(n_u, 1),
            i_s=self.intercept_lambda * n / max(n_s, 1),
            f_s=self.factor_lambda * n / max(n_s, 1),
        )
        total = float(totals[1])
        mu = total / n
        start = votes.sum(start_part, per_block=votes.slices(f0))
        i_s, fs = _solve(start, c_s, r_s, mu, lam.i_s, lam.f_s)

        def sweep(x: FloatArray, shortcut: bool) -> FloatArray:
            s_sums, m = votes.sum(sweep_part, x, lam.i_u, lam.f_u)
            i_s, mu = x[:n_s], float(x[-1])
            mu = (total - m[0] - float(c_s @ i_s) - m[1]) / n
            i_s, fs = _solve(s_sums, c_s, r_s, mu, lam.i_s, lam.f_s)
            mu = (total - m[0] - float(c_s @ i_s) - float(fs @ s_sums[:, 0])) / n
            if shortcut:
                mu, i_s, fs = least_penalty_moments(mu, m, i_s, fs, lam)
            return np.concatenate([i_s, fs, [mu]])

        x, n_iter, converged = accelerate(
            sweep, np.concatenate([i_s, fs, [mu]]), max_iter=self.max_iter, tol=self.tol
        )
        i_s, fs, mu = x[:n_s], x[n_s : 2 * n_s], float(x[-1])
        return mu, i_s, fs, n_iter, converged, n_ratings, lam
