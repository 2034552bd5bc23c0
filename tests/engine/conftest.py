"""Factories of small synthetic conversations for the engine tests."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

Planted = Callable[..., tuple[pd.DataFrame, np.ndarray]]


def make_planted(
    n_participants: int = 120,
    n_statements: int = 30,
    n_groups: int = 3,
    p_vote: float = 0.8,
    p_agree: float = 0.9,
    seed: int = 0,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Votes of planted groups: each group agrees (with p_agree) with its own statement set.

    Returns the long vote table and the planted group of participants 0..n-1.
    """
    rng = np.random.default_rng(seed)
    truth = np.arange(n_participants) % n_groups
    stance = rng.choice([-1, 1], size=(n_groups, n_statements))
    stance[:, : max(1, n_statements // 10)] = 1  # some common ground
    rows = []
    t = 0
    for p in range(n_participants):
        for s in range(n_statements):
            if rng.random() < p_vote:
                sign = stance[truth[p], s] if rng.random() < p_agree else -stance[truth[p], s]
                vote = 0 if rng.random() < 0.05 else sign
                t += 1
                rows.append((p, s, int(vote), t))
    frame = pd.DataFrame(rows, columns=["participant", "statement", "vote", "time"])
    return frame, truth


@pytest.fixture
def planted() -> Planted:
    """``planted(n_participants=..., n_groups=..., seed=...) -> (votes, truth)``."""
    return make_planted
