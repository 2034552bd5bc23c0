"""Does seeing one's feedback narrow the perception gap? A difference of two means.

Each participant who predicted in a round has a gap: the mean absolute difference, in
percentage points, between their predictions and the shares that actually agreed. The
participants who had seen their feedback on an earlier round are compared with those who
had not: the difference of the two arms' mean gaps (negative: smaller gaps after feedback)
with a Welch confidence interval. Below ``min_per_arm`` participants in either arm nothing
is claimed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

MIN_PER_ARM = 5


@dataclass(frozen=True)
class GapComparison:
    """Mean gaps of those who saw feedback and those who had not, and their difference."""

    n_saw: int
    n_not: int
    mean_saw: float | None
    mean_not: float | None
    difference: float | None  # saw minus not, in points
    low: float | None
    high: float | None
    enough_data: bool
    min_per_arm: int = MIN_PER_ARM

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def compare_gaps(
    saw: Sequence[float],
    not_saw: Sequence[float],
    *,
    min_per_arm: int = MIN_PER_ARM,
    confidence: float = 0.95,
) -> GapComparison:
    """Compare the gaps of participants who saw feedback with those who had not.

    Parameters
    ----------
    saw, not_saw : sequences of float
        One gap (mean absolute error, points) per participant of each arm.
    min_per_arm : int, default=5
        Fewest participants in each arm for a difference to be reported.
    confidence : float, default=0.95
        Level of the Welch interval of the difference.

    Examples
    --------
    >>> c = compare_gaps([10, 12, 14, 9, 11], [20, 22, 18, 25, 21])
    >>> round(c.difference, 1), c.low < c.difference < c.high
    (-10.0, True)
    >>> compare_gaps([10], [20, 22, 18, 25, 21]).enough_data
    False
    """
    a = np.asarray(saw, dtype=float)
    b = np.asarray(not_saw, dtype=float)
    mean_a = float(a.mean()) if len(a) else None
    mean_b = float(b.mean()) if len(b) else None
    if len(a) < max(min_per_arm, 2) or len(b) < max(min_per_arm, 2):
        return GapComparison(len(a), len(b), mean_a, mean_b, None, None, None, False, min_per_arm)
    assert mean_a is not None and mean_b is not None
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    diff = mean_a - mean_b
    se = math.sqrt(va + vb)
    if se == 0:
        low = high = diff
    else:
        df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
        half = float(stats.t.ppf(0.5 + confidence / 2, df)) * se
        low, high = diff - half, diff + half
    return GapComparison(len(a), len(b), mean_a, mean_b, diff, low, high, True, min_per_arm)
