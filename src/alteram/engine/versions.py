"""Does a translation change what people agree with? Original readers against translation readers.

For each statement and each side, the voters who read the statement as written are compared
with the voters of the same side who read a translation: the share who agree in each group
(agrees / votes cast, as everywhere in alteram) and a two-proportion z-test of the
difference. Comparing within a side keeps the sides' own disagreement out of the test: in a
bilingual dialogue most of one side reads the original and most of the other a
translation. Below ``min_per_group`` voters in either group nothing is claimed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm

MIN_PER_GROUP = 10
ALPHA = 0.05
NO_SIDE = -1


@dataclass(frozen=True)
class VersionComparison:
    """One statement, one side: agreement of original readers vs translation readers."""

    statement: int
    side: int | None
    n_original: int
    n_translated: int
    agree_original: float | None
    agree_translated: float | None
    difference: float | None  # translated minus original, as a share
    z: float | None
    p_value: float | None
    enough_data: bool
    differs: bool  # p < ALPHA

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def two_proportion_test(k1: int, n1: int, k2: int, n2: int) -> tuple[float, float]:
    """The z statistic and two-sided p-value of H0: p1 == p2 (pooled standard error).

    Examples
    --------
    >>> z, p = two_proportion_test(30, 50, 20, 50)
    >>> round(z, 3), round(p, 4)
    (2.0, 0.0455)
    >>> two_proportion_test(5, 10, 5, 10)
    (0.0, 1.0)
    """
    if n1 <= 0 or n2 <= 0:
        raise ValueError(f"both groups need voters; got n1={n1}, n2={n2}")
    p1, p2 = k1 / n1, k2 / n2
    pooled = (k1 + k2) / (n1 + n2)
    se = float(np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2)))
    if se == 0.0:
        return 0.0, 1.0
    z = (p1 - p2) / se
    return float(z), float(2 * norm.sf(abs(z)))


def compare_versions(
    votes: pd.DataFrame, *, min_per_group: int = MIN_PER_GROUP, alpha: float = ALPHA
) -> list[VersionComparison]:
    """Compare original readers with translation readers, per statement and side.

    Parameters
    ----------
    votes : DataFrame
        One row per voter and statement (the latest vote), with columns ``statement``,
        ``side`` (the voter's side; may be None), ``vote`` (1, -1 or 0) and ``translated``
        (bool: the voter read a translation).
    min_per_group : int, default 10
        Fewest voters in each group for a test; below it ``enough_data`` is False.
    alpha : float, default 0.05
        Level below which the two groups are said to differ.

    Returns
    -------
    list of VersionComparison
        For every statement and side where at least one voter read a translation.

    Examples
    --------
    >>> frame = pd.DataFrame({"statement": [1] * 4, "side": [7] * 4,
    ...                       "vote": [1, 1, -1, -1], "translated": [False, False, True, True]})
    >>> (c,) = compare_versions(frame, min_per_group=2)
    >>> c.agree_original, c.agree_translated, c.difference
    (1.0, 0.0, -1.0)
    """
    if min_per_group < 1:
        raise ValueError(f"min_per_group must be at least 1; got {min_per_group}")
    missing = {"statement", "side", "vote", "translated"} - set(votes.columns)
    if missing:
        raise ValueError(f"votes lacks the columns {sorted(missing)}")
    out: list[VersionComparison] = []
    if votes.empty:
        return out
    frame = votes.assign(
        agree=(votes["vote"] == 1).astype(int),
        side_key=pd.to_numeric(votes["side"], errors="coerce").fillna(NO_SIDE).astype(int),
        translated=votes["translated"].astype(bool),
    )
    counts = frame.groupby(["statement", "side_key", "translated"])["agree"].agg(["sum", "count"])
    for statement, side in sorted({(s, d) for s, d, t in counts.index if t}):
        k2, n2 = (int(v) for v in counts.loc[(statement, side, True)])
        if (statement, side, False) in counts.index:
            k1, n1 = (int(v) for v in counts.loc[(statement, side, False)])
        else:
            k1, n1 = 0, 0
        enough = n1 >= min_per_group and n2 >= min_per_group
        a1 = k1 / n1 if n1 else None
        a2 = k2 / n2 if n2 else None
        z = p = None
        if enough:
            z, p = two_proportion_test(k2, n2, k1, n1)
        out.append(
            VersionComparison(
                int(statement),
                None if side == NO_SIDE else int(side),
                n1,
                n2,
                a1,
                a2,
                None if a1 is None or a2 is None else a2 - a1,
                z,
                p,
                enough,
                bool(enough and p is not None and p < alpha),
            )
        )
    return out
