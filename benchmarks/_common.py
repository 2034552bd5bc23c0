"""Shared helpers of the engine benchmarks: locating the data, the engine's group stage."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from alteram.engine.opinion_map import OpinionMap
from alteram.engine.pipeline import opinion_groups
from alteram.engine.votes import build_vote_matrix

REPO = Path(__file__).resolve().parent.parent


def polis_data() -> Path:
    """The open Polis exports: $ALTERAM_SHARED_DATA/polis-opendata or ../shared/data/..."""
    env = os.environ.get("ALTERAM_SHARED_DATA")
    root = Path(env) if env else REPO.parent / "shared" / "data"
    path = root / "polis-opendata"
    if not path.is_dir():
        raise SystemExit(f"Polis open data not found at {path}; set ALTERAM_SHARED_DATA.")
    return path


def engine_groups(
    votes: pd.DataFrame, moderated: list[int], n_groups: int | None = None
) -> pd.Series:
    """The engine's opinion groups (the same stages as ``analyze``), by participant id."""
    vm = build_vote_matrix(votes, moderated_out=moderated)
    om = OpinionMap().fit(vm)
    gc = opinion_groups(vm, om, n_groups=n_groups)
    return pd.Series(gc.labels_, index=vm.participant_ids[om.clustered_].tolist())


def latest(votes: pd.DataFrame) -> pd.DataFrame:
    """The latest vote per participant and statement."""
    return votes.sort_values("time", kind="stable").drop_duplicates(
        ["participant", "statement"], keep="last"
    )


def median(values: list[float]) -> float:
    return float(np.median(values)) if values else float("nan")
