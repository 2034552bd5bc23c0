"""Declared sides: per-side agreement, cross-side common ground and divisive statements.

Each side weighs the same whatever its size. Shares are smoothed with a Jeffreys prior,
(A + 1/2) / (S + 1), which pulls a small side towards one half far less than Polis's
(A+1)/(S+2), and sides are combined by a geometric mean, which (unlike a product) does not
shrink as sides are added.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from alteram.engine.types import FloatArray, VoteCounts

PRIOR = 0.5


@dataclass(frozen=True)
class SideScores:
    """Cross-side scores per statement.

    Attributes
    ----------
    agree_share : ndarray of shape (n_sides, n_statements)
        Smoothed share agreeing, (A + 1/2) / (S + 1).
    common_ground : ndarray of shape (n_statements,)
        Geometric mean over sides of the smoothed agree share.
    is_common_ground : ndarray of bool
        Every side has at least ``min_votes`` votes and a smoothed majority agreeing.
    divisiveness : ndarray of shape (n_statements,)
        Largest minus smallest smoothed agree share over the sides that voted.
    """

    agree_share: FloatArray
    common_ground: FloatArray
    is_common_ground: np.ndarray
    divisiveness: FloatArray


def side_scores(counts: VoteCounts, *, min_votes: int = 1) -> SideScores:
    """Score statements across sides from per-side vote counts (sides as rows)."""
    share = (counts.agree + PRIOR) / (counts.seen + 2 * PRIOR)
    voted = counts.seen >= max(min_votes, 1)
    common = np.exp(np.mean(np.log(share), axis=0))
    is_common = voted.all(axis=0) & (share > 0.5).all(axis=0)
    masked_hi = np.where(voted, share, -np.inf).max(axis=0)
    masked_lo = np.where(voted, share, np.inf).min(axis=0)
    divisive = np.where(voted.sum(axis=0) >= 2, masked_hi - masked_lo, 0.0)
    return SideScores(
        agree_share=share,
        common_ground=np.asarray(common),
        is_common_ground=np.asarray(is_common, dtype=bool),
        divisiveness=np.asarray(divisive),
    )
