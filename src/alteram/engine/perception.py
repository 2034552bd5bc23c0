"""Perception gaps: how far one side's predictions of another side's agreement miss.

For statement s, predicting side A and predicted side B, the actual share is
a_B(s) = agrees / votes cast by B on s, and a prediction q_p(s) by p on side A has error
q_p(s) - a_B(s), all in percentage points. Confidence intervals come from a bootstrap that
resamples both A's predicting participants and B's voters; below ``min_predictors`` or
``min_voters`` nothing is claimed (values None, ``enough_data`` False).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self

import numpy as np
import scipy.sparse as sp

from alteram.engine.types import FloatArray, IntArray


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its bootstrap interval (None when there is not enough data)."""

    value: float | None
    low: float | None
    high: float | None

    def to_dict(self) -> dict[str, float | None]:
        """``{"value", "low", "high"}``."""
        return {"value": self.value, "low": self.low, "high": self.high}


NONE = Estimate(None, None, None)


def _estimate(point: float, draws: FloatArray, level: float) -> Estimate:
    draws = draws[np.isfinite(draws)]
    if len(draws) == 0 or not np.isfinite(point):
        return NONE
    lo, hi = np.percentile(draws, [50 * (1 - level), 50 * (1 + level)])
    return Estimate(float(point), float(lo), float(hi))


class PerceptionGap:
    """Perception gaps per statement and pair of sides, with bootstrap intervals.

    Parameters
    ----------
    n_boot : int, default=1000
    confidence : float, default=0.95
    min_predictors : int, default=5
        Fewest predicting participants for a number to be reported.
    min_voters : int, default=5
        Fewest voters of the predicted side on the statement.
    random_state : int, default=0

    Attributes
    ----------
    statements_ : list of dict
        One record per (statement index, predicting side, predicted side) with ``actual``,
        ``predicted``, ``mae``, ``signed`` (each an :class:`Estimate`), ``n_predictors``,
        ``n_voters`` and ``enough_data``.
    pairs_ : list of dict
        Per (predicting side, predicted side): ``mae`` and ``signed`` averaged over the
        statements with enough data, with intervals, and ``n_statements``.
    """

    def __init__(
        self,
        n_boot: int = 1000,
        confidence: float = 0.95,
        min_predictors: int = 5,
        min_voters: int = 5,
        random_state: int = 0,
    ) -> None:
        self.n_boot = n_boot
        self.confidence = confidence
        self.min_predictors = min_predictors
        self.min_voters = min_voters
        self.random_state = random_state

    def fit(
        self,
        matrix: sp.csr_matrix,
        side_of: IntArray,
        pred_participant: IntArray,
        pred_statement: IntArray,
        pred_target: IntArray,
        predicted: FloatArray,
    ) -> Self:
        """Compute the gaps.

        Parameters
        ----------
        matrix : csr_matrix of shape (n_participants, n_statements)
            Latest votes.
        side_of : ndarray of shape (n_participants,)
            Side index of each participant, -1 when none.
        pred_participant, pred_statement, pred_target : ndarray of shape (n_predictions,)
            Row, column and predicted side index of each prediction (one per triple).
        predicted : ndarray of shape (n_predictions,)
            Predicted share agreeing, 0..100.
        """
        if self.n_boot < 1:
            raise ValueError(f"n_boot must be >= 1, got {self.n_boot}.")
        if not 0 < self.confidence < 1:
            raise ValueError(f"confidence must be in (0, 1), got {self.confidence}.")
        rng = np.random.default_rng(self.random_state)
        n_sides = int(max(side_of.max(initial=-1), pred_target.max(initial=-1))) + 1
        pred_side = side_of[pred_participant] if len(pred_participant) else pred_participant
        ok = pred_side >= 0
        self.statements_: list[dict[str, Any]] = []
        self.pairs_: list[dict[str, Any]] = []
        actual_cache: dict[int, tuple[FloatArray, FloatArray, FloatArray]] = {}
        for a in range(n_sides):
            for b in range(n_sides):
                sel = ok & (pred_side == a) & (pred_target == b)
                if not sel.any():
                    continue
                if b not in actual_cache:
                    actual_cache[b] = self._actual(matrix, side_of == b, rng)
                self._pair(
                    a,
                    b,
                    actual_cache[b],
                    pred_participant[sel],
                    pred_statement[sel],
                    predicted[sel].astype(np.float64),
                    rng,
                )
        return self

    def _actual(
        self, matrix: sp.csr_matrix, members: np.ndarray, rng: np.random.Generator
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Point share (pp), bootstrap shares (n_boot, n_s) and voter counts for one side."""
        sub = matrix[np.flatnonzero(members)]
        agree = sp.csr_matrix(
            ((sub.data > 0).astype(np.float64), sub.indices, sub.indptr), shape=sub.shape
        )
        seen = sp.csr_matrix((np.ones(len(sub.data)), sub.indices, sub.indptr), shape=sub.shape)
        n = sub.shape[0]
        a0 = np.asarray(agree.sum(axis=0)).ravel()
        s0 = np.asarray(seen.sum(axis=0)).ravel()
        w = (
            rng.multinomial(n, np.full(n, 1.0 / n), size=self.n_boot).astype(np.float64)
            if n
            else (np.zeros((self.n_boot, 0)))
        )
        ab = np.asarray((agree.T @ w.T).T)
        sb = np.asarray((seen.T @ w.T).T)
        with np.errstate(divide="ignore", invalid="ignore"):
            point = np.where(s0 > 0, 100.0 * a0 / np.where(s0 > 0, s0, 1), np.nan)
            draws = np.where(sb > 0, 100.0 * ab / np.where(sb > 0, sb, 1), np.nan)
        return point, draws, s0

    def _pair(
        self,
        a: int,
        b: int,
        actual: tuple[FloatArray, FloatArray, FloatArray],
        who: IntArray,
        stmt: IntArray,
        q: FloatArray,
        rng: np.random.Generator,
    ) -> None:
        point, draws, voters = actual
        people, pos = np.unique(who, return_inverse=True)
        m = len(people)
        w = rng.multinomial(m, np.full(m, 1.0 / m), size=self.n_boot).astype(np.float64)
        lvl = self.confidence
        mae_draws, signed_draws, maes, signeds = [], [], [], []
        for s in np.unique(stmt):
            at = stmt == s
            j, qs = pos[at], q[at]
            enough = len(j) >= self.min_predictors and voters[s] >= self.min_voters
            rec: dict[str, Any] = {
                "statement": int(s),
                "predicting_side": a,
                "predicted_side": b,
                "n_predictors": len(j),
                "n_voters": int(voters[s]),
                "enough_data": bool(enough),
            }
            if not enough:
                rec.update(actual=NONE, predicted=NONE, mae=NONE, signed=NONE)
                self.statements_.append(rec)
                continue
            ws = w[:, j]
            tot = ws.sum(axis=1)
            with np.errstate(divide="ignore", invalid="ignore"):
                mean_b = (ws @ qs) / tot
                mae_b = (ws * np.abs(qs[None, :] - draws[:, s][:, None])).sum(axis=1) / tot
            act = float(point[s])
            err = qs - act
            mae, signed = float(np.abs(err).mean()), float(err.mean())
            rec.update(
                actual=_estimate(act, draws[:, s], lvl),
                predicted=_estimate(float(qs.mean()), mean_b, lvl),
                mae=_estimate(mae, mae_b, lvl),
                signed=_estimate(signed, mean_b - draws[:, s], lvl),
            )
            self.statements_.append(rec)
            mae_draws.append(mae_b)
            signed_draws.append(mean_b - draws[:, s])
            maes.append(mae)
            signeds.append(signed)
        summary: dict[str, Any] = {
            "predicting_side": a,
            "predicted_side": b,
            "n_statements": len(maes),
            "n_predictors": int(m),
            "enough_data": bool(maes),
        }
        if maes:
            summary["mae"] = _estimate(float(np.mean(maes)), np.mean(mae_draws, axis=0), lvl)
            summary["signed"] = _estimate(
                float(np.mean(signeds)), np.mean(signed_draws, axis=0), lvl
            )
        else:
            summary["mae"], summary["signed"] = NONE, NONE
        self.pairs_.append(summary)
