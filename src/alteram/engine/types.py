"""Named dataclasses passed between the engine's stages, and shared type aliases."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Id = Hashable


@dataclass(frozen=True)
class VoteMatrix:
    """Latest votes as a sparse participants x statements matrix.

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix of shape (n_participants, n_statements)
        Votes -1, 0 (pass) or +1 stored explicitly; unseen entries are absent. Columns of
        moderated-out statements hold no entries.
    participant_ids, statement_ids : ndarray of object
        The ids of the rows and columns, sorted.
    moderated : ndarray of bool of shape (n_statements,)
        True for moderated-out statements.
    n_votes : ndarray of int of shape (n_participants,)
        Distinct statements each participant voted on, moderated-out ones included.
    ever_clustered : ndarray of bool of shape (n_participants,)
        True when the participant at some time had voted on min(7, statements then) statements.
    """

    matrix: sp.csr_matrix
    participant_ids: npt.NDArray[np.object_]
    statement_ids: npt.NDArray[np.object_]
    moderated: BoolArray
    n_votes: IntArray
    ever_clustered: BoolArray

    @property
    def shape(self) -> tuple[int, int]:
        """(n_participants, n_statements)."""
        return (len(self.participant_ids), len(self.statement_ids))


@dataclass(frozen=True)
class VoteCounts:
    """Agree, disagree and seen counts per group (rows) and statement (columns)."""

    agree: FloatArray
    disagree: FloatArray
    seen: FloatArray
