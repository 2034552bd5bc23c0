"""Consensus across all participants and Polis's group-informed consensus."""

from __future__ import annotations

import numpy as np

from alteram.engine.types import FloatArray, VoteCounts


def consensus(counts: VoteCounts) -> FloatArray:
    """Share agreeing among everyone counted, (A+1)/(S+2), per statement."""
    a, s = counts.agree.sum(axis=0), counts.seen.sum(axis=0)
    return np.asarray((a + 1.0) / (s + 2.0))


def group_informed_consensus(counts: VoteCounts) -> FloatArray:
    """Polis's group-informed consensus: product over groups of (A_g+1)/(S_g+2).

    Examples
    --------
    >>> import numpy as np
    >>> c = VoteCounts(agree=np.array([[3.0], [1.0]]), disagree=np.zeros((2, 1)),
    ...                seen=np.array([[4.0], [2.0]]))
    >>> float(group_informed_consensus(c)[0])  # (4/6) * (2/4)
    0.3333333333333333
    """
    return np.asarray(np.prod((counts.agree + 1.0) / (counts.seen + 2.0), axis=0))
