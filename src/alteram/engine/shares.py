"""Raw shares with their counts and a Wilson score interval.

What people read is the raw share, ``agree / seen``, beside its counts ("5 of 5"). Priors
such as Polis's (A+1)/(S+2) or the Jeffreys (A+1/2)/(S+1) of :mod:`alteram.engine.sides`
only rank statements; they are never shown as a share.
"""

from __future__ import annotations

import math

Z95 = 1.959963984540054  # two-sided 95 % normal quantile

# Below this many votes a share is shown with its 95 % interval.
SMALL_SAMPLE = 100


def raw_share(agree: int, seen: int) -> float | None:
    """``agree / seen``, or None when nobody has voted.

    Examples
    --------
    >>> raw_share(5, 5), raw_share(0, 0)
    (1.0, None)
    """
    return agree / seen if seen > 0 else None


def wilson_interval(agree: int, seen: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval of the share ``agree / seen`` (None when ``seen`` is 0).

    Unlike the normal approximation it stays inside [0, 1] and is not empty at 0 or ``seen``.

    Examples
    --------
    >>> lo, hi = wilson_interval(5, 5)
    >>> round(lo, 3), hi
    (0.566, 1.0)
    """
    if seen <= 0:
        return None
    if not 0 <= agree <= seen:
        raise ValueError(f"agree must be between 0 and seen ({seen}), got {agree}.")
    p = agree / seen
    z2 = z * z
    centre = (p + z2 / (2 * seen)) / (1 + z2 / seen)
    half = z * math.sqrt(p * (1 - p) / seen + z2 / (4 * seen * seen)) / (1 + z2 / seen)
    lo, hi = max(0.0, centre - half), min(1.0, centre + half)
    if agree == seen:
        hi = 1.0
    if agree == 0:
        lo = 0.0
    return lo, hi
