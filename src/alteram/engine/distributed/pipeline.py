"""The whole analysis on Dask, stage for stage the same as :func:`alteram.engine.analyze`.

What runs where:

- on the workers, block by block: the vote matrix (latest votes), statement means, the
  PCA products, the projection, the bridging sweeps and the final per-participant solve,
  the per-group and per-side counts;
- on the client: the Lanczos and Anderson iterations (vectors of one entry per
  statement), the grouping of the gathered positions (two floats per participant: 160 MB at
  ten million; grouping needs every position at once, to collapse equal positions in
  lexicographic order and to draw its evenly spaced sample), representativeness,
  consensus and side scores from the summed counts, and the perception gaps (their
  bootstrap draws one weight per voter and replicate from a single random stream, so they
  run on the votes for the predicted statements, gathered).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from distributed import Client

from alteram.engine.consensus import consensus, group_informed_consensus
from alteram.engine.distributed._dask import Progress, _noop, interrupted_as_error
from alteram.engine.distributed.blocks import VoteBlock
from alteram.engine.distributed.bridging import DistributedBridging
from alteram.engine.distributed.opinion_map import DistributedOpinionMap
from alteram.engine.distributed.votes import DistributedVotes, build_votes
from alteram.engine.perception import PerceptionGap
from alteram.engine.pipeline import group_positions, prediction_indices
from alteram.engine.repness import group_counts, repness
from alteram.engine.result import AnalysisResult
from alteram.engine.sides import side_scores
from alteram.engine.types import FloatArray, IntArray, VoteCounts
from alteram.engine.votes import factorize_sorted
from alteram.errors import InvalidInput


def counts_part(block: VoteBlock, labels: IntArray, n_groups: int) -> FloatArray:
    """The block's agree, disagree and seen counts per group, shape (3, n_groups, n_s)."""
    c = group_counts(block.matrix(), labels, n_groups)
    return np.stack([c.agree, c.disagree, c.seen])


def distributed_counts(votes: DistributedVotes, labels: IntArray, n_groups: int) -> VoteCounts:
    """:func:`alteram.engine.group_counts` summed over the blocks."""
    if n_groups == 0 or votes.shape[0] == 0:
        zero = np.zeros((n_groups, votes.shape[1]))
        return VoteCounts(agree=zero, disagree=zero.copy(), seen=zero.copy())
    total = votes.sum(counts_part, n_groups, per_block=votes.slices(labels))
    return VoteCounts(agree=total[0], disagree=total[1], seen=total[2])


def columns_part(block: VoteBlock, columns: IntArray) -> Any:
    """The block's votes on ``columns`` only (a CSR matrix with those columns)."""
    return block.matrix()[:, columns]


def analyze_distributed(
    client: Client,
    chunks: list[Any],
    *,
    moderated_out: Iterable[Any] = (),
    sides: Mapping[Any, Any] | pd.Series | None = None,
    predictions: pd.DataFrame | None = None,
    max_groups: int = 5,
    n_groups: int | None = None,
    random_state: int = 0,
    block_votes: int | None = None,
    wave_votes: int | None = None,
    progress: Progress | None = None,
) -> AnalysisResult:
    """Analyse chunks of votes on a Dask cluster; see :func:`alteram.engine.analyze`.

    Parameters
    ----------
    client : distributed.Client
    chunks : list of dask.delayed or Future, each of a DataFrame of votes
        Columns participant and statement (integer ids), vote, and optionally time;
        see :func:`build_votes`.
    sides : mapping or Series of participant id to side id, optional
    predictions, max_groups, n_groups, random_state
        As for :func:`alteram.engine.analyze`.
    block_votes, wave_votes : int, optional
        Votes per block and per building wave (see :func:`build_votes`).
    progress : callable (stage, fraction done), optional

    Returns
    -------
    AnalysisResult
        Equal to the in-memory engine's up to the order of floating-point sums; its
        ``votes.matrix`` holds no entries (the votes stay on the workers).

    Raises
    ------
    AnalysisInterrupted
        When the cluster lost work it could not recompute (the analysis can be run again).
    """
    step = progress or _noop
    current = ["votes"]

    def stage(name: str, done: float = 0.0) -> None:
        current[0] = name
        step(name, done)

    with interrupted_as_error(lambda: current[0]):
        options: dict[str, int] = {}
        if block_votes is not None:
            options["block_votes"] = block_votes
        if wave_votes is not None:
            options["wave_votes"] = wave_votes
        votes = build_votes(client, chunks, moderated_out=moderated_out, progress=stage, **options)
        if votes.shape[0] == 0:
            raise InvalidInput("there are no votes to analyse.")
        stage("opinion map")
        om = DistributedOpinionMap(random_state=random_state).fit(votes)
        stage("groups")
        clustered = om.clustered_
        gc = group_positions(
            om.embedding_,
            clustered,
            votes.n_seen,
            max_groups=max_groups,
            n_groups=n_groups,
            random_state=random_state,
        )
        labels = np.full(votes.shape[0], -1, dtype=np.int64)
        labels[clustered] = gc.labels_
        stage("representativeness")
        counts = distributed_counts(votes, labels, gc.n_groups_)
        rep = repness(counts)
        eligible = ~votes.moderated
        representative = [rep.representative(g, eligible) for g in range(gc.n_groups_)]
        stage("bridging")
        bridging = DistributedBridging().fit(votes, init_factors=om.embedding_[:, 0])
        result = AnalysisResult(
            votes=votes.vote_matrix(),
            embedding=om.embedding_,
            labels=labels,
            clustered=clustered,
            n_groups=gc.n_groups_,
            silhouettes=dict(gc.silhouettes_),
            group_counts=counts,
            representative=representative,
            consensus=consensus(counts),
            group_informed_consensus=group_informed_consensus(counts),
            bridging=bridging.statement_intercepts_,
            bridging_factor=bridging.statement_factors_,
            diagnostics={
                "bridging_iterations": bridging.n_iter_,
                "bridging_converged": bridging.converged_,
                "explained_variance": om.explained_variance_.tolist(),
                "engine": "dask",
                "blocks": len(votes.blocks),
            },
        )
        if sides is not None:
            stage("sides")
            side_of, side_ids = side_codes(votes.participant_ids, sides)
            scounts = distributed_counts(votes, side_of, len(side_ids))
            result.side_ids = side_ids
            result.side_counts = scounts
            result.side_scores = side_scores(scounts)
            if predictions is not None:
                stage("perception")
                result.perception = _perception(votes, side_of, side_ids, predictions, random_state)
        elif predictions is not None:
            raise InvalidInput("predictions need sides: give each participant's side in sides=.")
        return result


def side_codes(
    participant_ids: IntArray, sides: Mapping[Any, Any] | pd.Series
) -> tuple[IntArray, list[Any]]:
    """Each participant's side index (-1 when none) and the sorted side ids, as the
    in-memory engine numbers them."""
    series = sides if isinstance(sides, pd.Series) else pd.Series(dict(sides), dtype=object)
    values = series.dropna()
    uniq_values = pd.Series(list(dict.fromkeys(values.tolist())), dtype=object)
    codes, side_ids = factorize_sorted(uniq_values)
    index = {v: int(c) for v, c in zip(uniq_values, codes, strict=True)}
    aligned = series.reindex(pd.Index(participant_ids))
    known = aligned.notna().to_numpy()
    side_of = np.full(len(participant_ids), -1, dtype=np.int64)
    side_of[known] = aligned[known].map(index).to_numpy(dtype=np.int64)
    return side_of, list(side_ids)


def _perception(
    votes: DistributedVotes,
    side_of: IntArray,
    side_ids: list[Any],
    predictions: pd.DataFrame,
    random_state: int,
) -> PerceptionGap:
    """The in-memory estimator on the gathered votes of the predicted statements."""
    import scipy.sparse as sp

    frame = prediction_indices(votes.participant_ids, votes.statement_ids, side_ids, predictions)
    columns = np.unique(frame["s"].to_numpy())
    parts = votes.client.gather(votes.map(columns_part, columns))
    matrix = sp.vstack(parts, format="csr") if parts else sp.csr_matrix((0, len(columns)))
    gap = PerceptionGap(random_state=random_state).fit(
        matrix,
        side_of,
        frame["p"].to_numpy(),
        np.searchsorted(columns, frame["s"].to_numpy()),
        frame["t"].to_numpy(),
        frame["q"].to_numpy(),
    )
    for record in gap.statements_:
        record["statement"] = int(columns[record["statement"]])
    return gap
