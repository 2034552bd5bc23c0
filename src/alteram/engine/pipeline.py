"""The engine's entry point: votes in, a complete :class:`AnalysisResult` out."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from alteram.engine.bridging import BridgingModel
from alteram.engine.clusters import GroupClusterer
from alteram.engine.consensus import consensus, group_informed_consensus
from alteram.engine.opinion_map import OpinionMap
from alteram.engine.perception import PerceptionGap
from alteram.engine.repness import group_counts, repness
from alteram.engine.result import AnalysisResult
from alteram.engine.sides import side_scores
from alteram.engine.types import BoolArray, FloatArray, IntArray, VoteMatrix
from alteram.engine.votes import build_vote_matrix, factorize_sorted
from alteram.errors import InvalidInput

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]


def _noop(stage: str) -> None:
    return None


def analyze(
    votes: pd.DataFrame,
    *,
    moderated_out: Iterable[Any] = (),
    sides: Mapping[Any, Any] | None = None,
    predictions: pd.DataFrame | None = None,
    max_groups: int = 5,
    n_groups: int | None = None,
    min_group_size: int = 5,
    random_state: int = 0,
    progress: Progress | None = None,
) -> AnalysisResult:
    """Analyse a conversation's votes: opinion map, groups, consensus, bridging, sides.

    Parameters
    ----------
    votes : DataFrame with columns participant, statement, vote (-1/0/1), time
        Every vote cast; the latest per participant and statement counts.
    moderated_out : iterable of statement ids
    sides : mapping of participant id to side id, optional
        Adds per-side agreement, cross-side common ground and divisive statements.
    predictions : DataFrame with columns participant, statement, target_side, predicted
        Optional; with ``sides`` adds perception gaps (predicted share agreeing, 0..100).
    max_groups : int, default=5
        Largest number of opinion groups (Polis: 5); k is chosen by silhouette.
    n_groups : int or None, default=None
        Force this number of opinion groups instead.
    min_group_size : int, default=5
        Fewest participants an opinion group may have when k is chosen by silhouette
        (fewer groups, down to one, rather than groups of one to four people).
    random_state : int, default=0
    progress : callable taking a stage name, optional
        Called as each stage starts.

    Returns
    -------
    AnalysisResult
        Deterministic: the same input gives the same result bit for bit.
    """
    step = progress or _noop
    step("votes")
    vm = build_vote_matrix(votes, moderated_out=moderated_out)
    step("opinion map")
    om = OpinionMap(random_state=random_state).fit(vm)
    step("groups")
    clustered = om.clustered_
    gc = opinion_groups(
        vm,
        om,
        max_groups=max_groups,
        n_groups=n_groups,
        min_group_size=min_group_size,
        random_state=random_state,
    )
    labels = np.full(vm.shape[0], -1, dtype=np.int64)
    labels[clustered] = gc.labels_
    step("representativeness")
    counts = group_counts(vm.matrix, labels, gc.n_groups_)
    rep = repness(counts)
    eligible = ~vm.moderated
    representative = [rep.representative(g, eligible) for g in range(gc.n_groups_)]
    step("bridging")
    bridging = BridgingModel().fit(vm.matrix, init_factors=om.embedding_[:, 0])
    result = AnalysisResult(
        votes=vm,
        embedding=om.embedding_,
        labels=labels,
        clustered=clustered,
        n_groups=gc.n_groups_,
        silhouettes=dict(gc.silhouettes_),
        group_counts=counts,
        representative=representative,
        consensus=consensus(counts),  # sums over the groups: every clustered participant
        group_informed_consensus=group_informed_consensus(counts),
        bridging=bridging.statement_intercepts_,
        bridging_factor=bridging.statement_factors_,
        diagnostics={
            "bridging_iterations": bridging.n_iter_,
            "bridging_converged": bridging.converged_,
            "explained_variance": om.explained_variance_.tolist(),
        },
    )
    if sides is not None:
        step("sides")
        side_of, side_ids = _side_codes(vm, sides)
        scounts = group_counts(vm.matrix, side_of, len(side_ids))
        result.side_ids = side_ids
        result.side_counts = scounts
        result.side_scores = side_scores(scounts)
        if predictions is not None:
            step("perception")
            result.perception = _perception(vm, side_of, side_ids, predictions, random_state)
    elif predictions is not None:
        raise InvalidInput("predictions need sides: give each participant's side in sides=.")
    return result


def opinion_groups(
    vm: VoteMatrix,
    om: OpinionMap,
    *,
    max_groups: int = 5,
    n_groups: int | None = None,
    min_group_size: int = 5,
    random_state: int = 0,
) -> GroupClusterer:
    """Groups of the clustered participants on the opinion map.

    Each participant weighs the square root of their number of votes on the map's
    statements (at least 1): a position estimated from more votes is more precise (its
    standard error shrinks as 1/sqrt(votes)), and the sparsity-aware projection pushes
    participants with few votes outward, where they would otherwise pull the centres.
    """
    n_seen = np.diff(vm.matrix.indptr)
    return group_positions(
        om.embedding_,
        om.clustered_,
        n_seen,
        max_groups=max_groups,
        n_groups=n_groups,
        min_group_size=min_group_size,
        random_state=random_state,
    )


def group_positions(
    embedding: FloatArray,
    clustered: BoolArray,
    n_seen: IntArray,
    *,
    max_groups: int = 5,
    n_groups: int | None = None,
    min_group_size: int = 5,
    random_state: int = 0,
) -> GroupClusterer:
    """:func:`opinion_groups` from the positions, who is clustered and each participant's
    number of votes on the map's statements."""
    seen = np.asarray(n_seen)[clustered].astype(np.float64)
    return GroupClusterer(
        max_groups=max_groups,
        n_groups=n_groups,
        min_group_size=min_group_size,
        random_state=random_state,
    ).fit(embedding[clustered], sample_weight=np.sqrt(np.maximum(seen, 1.0)))


def _side_codes(vm: VoteMatrix, sides: Mapping[Any, Any]) -> tuple[IntArray, list[Any]]:
    side_series = pd.Series([sides.get(p) for p in vm.participant_ids], dtype=object)
    known = side_series.notna().to_numpy()
    side_of = np.full(vm.shape[0], -1, dtype=np.int64)
    all_sides = pd.Series(
        list(dict.fromkeys(v for v in sides.values() if v is not None)), dtype=object
    )
    codes, uniq = factorize_sorted(all_sides)
    index = {v: int(c) for v, c in zip(all_sides, codes, strict=True)}
    side_of[known] = [index[v] for v in side_series[known]]
    return side_of, list(uniq)


def _perception(
    vm: VoteMatrix,
    side_of: IntArray,
    side_ids: list[Any],
    predictions: pd.DataFrame,
    random_state: int,
) -> PerceptionGap:
    frame = prediction_indices(vm.participant_ids, vm.statement_ids, side_ids, predictions)
    return PerceptionGap(random_state=random_state).fit(
        vm.matrix,
        side_of,
        frame["p"].to_numpy(),
        frame["s"].to_numpy(),
        frame["t"].to_numpy(),
        frame["q"].to_numpy(),
    )


def prediction_indices(
    participant_ids: Any, statement_ids: Any, side_ids: list[Any], predictions: pd.DataFrame
) -> pd.DataFrame:
    """Predictions as row, column and side indices (p, s, t) and share q, validated.

    Predictions of participants or statements without votes are left out; the latest of
    repeated (participant, statement, side) counts.
    """
    need = ["participant", "statement", "target_side", "predicted"]
    missing = [c for c in need if c not in predictions.columns]
    if missing:
        raise InvalidInput(f"predictions is missing the column(s) {missing}.")
    pred = pd.to_numeric(predictions["predicted"], errors="coerce").to_numpy(dtype=np.float64)
    bad = ~((pred >= 0) & (pred <= 100))
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InvalidInput(
            f"predictions row {row} has predicted {predictions['predicted'].iloc[row]!r}; "
            "a prediction is a share from 0 to 100."
        )
    pindex = {p: i for i, p in enumerate(participant_ids)}
    sindex = {s: i for i, s in enumerate(statement_ids)}
    tindex = {s: i for i, s in enumerate(side_ids)}
    p = predictions["participant"].map(pindex)
    s = predictions["statement"].map(sindex)
    t = predictions["target_side"].map(tindex)
    if t.isna().any():
        row = int(np.flatnonzero(t.isna().to_numpy())[0])
        raise InvalidInput(
            f"predictions row {row} targets side {predictions['target_side'].iloc[row]!r}, "
            f"which is not one of the sides {side_ids}."
        )
    ok = (p.notna() & s.notna()).to_numpy()
    frame = pd.DataFrame(
        {
            "p": p[ok].astype(np.int64),
            "s": s[ok].astype(np.int64),
            "t": t[ok].astype(np.int64),
            "q": pred[ok],
        }
    )
    return frame.drop_duplicates(["p", "s", "t"], keep="last")
