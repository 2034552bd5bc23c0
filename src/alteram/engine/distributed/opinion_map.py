"""The opinion map on Dask: the same PCA and projection as :class:`alteram.engine.OpinionMap`.

The statement means are one reduction over the blocks. The Lanczos iteration of
:func:`alteram.engine.opinion_map.top_components` runs on the client (its vectors have one
entry per statement); each of its products ``x.T @ (x @ v)`` with the centred, mean-filled
matrix is computed block by block on the workers and summed there, so no vector with one
entry per participant travels. The projection is one more pass; the positions (two floats
per participant) are gathered, because grouping needs them all at once.
"""

from __future__ import annotations

from typing import Self

import numpy as np
import scipy.sparse as sp

from alteram.engine.distributed.blocks import VoteBlock, column_sums
from alteram.engine.distributed.votes import DistributedVotes
from alteram.engine.opinion_map import OpinionMap, top_components
from alteram.engine.types import FloatArray


def _centred(block: VoteBlock, mean: FloatArray) -> sp.csr_matrix:
    data = block.data.astype(np.float64)
    data -= np.take(mean, block.indices)
    return sp.csr_matrix((data, block.indices, block.indptr), shape=(block.n_rows, len(mean)))


def gram_part(block: VoteBlock, mean: FloatArray, v: FloatArray) -> FloatArray:
    """``c.T @ (c @ v)`` for the block's centred rows ``c``."""
    c = _centred(block, mean)
    return np.asarray(c.T @ np.asarray(c @ v), dtype=np.float64)


def project_part(
    block: VoteBlock, mean: FloatArray, components: FloatArray, n_moderated: int
) -> FloatArray:
    """The block's participants' positions (Polis's sparsity-aware scaling)."""
    c = _centred(block, mean)
    raw = np.zeros((block.n_rows, components.shape[0]))
    for j, component in enumerate(components):
        raw[:, j] = np.asarray(c @ component).reshape(block.n_rows)
    seen = np.diff(block.indptr).astype(np.float64) + float(n_moderated)
    scale = np.sqrt(len(mean) / np.maximum(seen, 1.0))
    return np.asarray(raw * scale[:, None], dtype=np.float64)


class _Shape:
    def __init__(self, n_features: int) -> None:
        self.shape = (0, n_features)


class DistributedOpinionMap(OpinionMap):
    """:class:`alteram.engine.OpinionMap` fitted on a :class:`DistributedVotes`.

    Same parameters, attributes and results (up to the order of floating-point sums).
    """

    def fit(self, votes: DistributedVotes) -> Self:  # type: ignore[override]
        """Compute the components on the workers and gather everyone's position."""
        if self.n_components < 1:
            raise ValueError(f"n_components must be >= 1, got {self.n_components}.")
        if self.max_participants is not None and self.max_participants < 1:
            raise ValueError(f"max_participants must be >= 1 or None, got {self.max_participants}.")
        n_p, n_s = votes.shape
        if n_p and n_s:
            counts, sums = votes.sum(column_sums)
            mean = np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)
        else:
            mean = np.zeros(n_s)
        if n_p == 0 or n_s == 0:
            self.components_ = np.zeros((self.n_components, n_s))
            self.explained_variance_ = np.zeros(self.n_components)
        else:
            fit_on = votes
            if self.max_participants is not None and n_p > self.max_participants:
                rows = np.linspace(0, n_p - 1, self.max_participants).round().astype(np.int64)
                from alteram.engine.distributed._dask import worker_count

                fit_on = votes.take(rows, 2 * worker_count(votes.client))
            sent_mean = fit_on.send(mean)

            def gram(v: FloatArray) -> FloatArray:
                return np.asarray(fit_on.sum(gram_part, sent_mean, v), dtype=np.float64)

            self.components_, self.explained_variance_ = top_components(
                _Shape(n_s), self.n_components, seed=self.random_state, gram=gram
            )
        self.center_ = mean
        if n_p:
            self.embedding_ = votes.rows(
                project_part, votes.send(mean), self.components_, int(votes.moderated.sum())
            )
        else:
            self.embedding_ = np.zeros((0, self.n_components))
        self.clustered_ = votes.ever_clustered.copy()
        return self
