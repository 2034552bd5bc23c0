"""Ritual index: how much of a round says again what earlier rounds already said.

Each statement of the current round is matched to its nearest statement of the earlier
rounds of the same dialogue by cosine similarity of sentence embeddings (the service
computes them, e.g. with :func:`alteram.moves.embed.embed`, whose multilingual space puts
an English statement and its Chinese translation close together). A statement is a
*repeat* when that similarity is at least ``threshold``; the ritual index is the share of
the round's statements that are repeats. Statements of the same round are not compared
with each other.

The default threshold comes from ``benchmarks/ritual_eval.py`` (hand-written pairs of
paraphrases, translations and hard non-repeats, ``benchmarks/data/ritual_pairs.jsonl``):
it was chosen on one half of the pairs and measured on the other, see
``benchmarks/RESULTS-ritual.md``. It is tuned for the USE multilingual v3 embeddings;
other embeddings need their own threshold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from alteram.engine.types import FloatArray

DEFAULT_THRESHOLD = 0.53
"""Cosine similarity at or above which a statement repeats an earlier one.

Chosen by max F1 on the tune half of ``ritual_pairs.jsonl``; on the test half, pair by
pair, precision 0.76 and recall 0.89 (USE multilingual v3). Raise it (e.g. 0.62) to flag
fewer new claims on a recurring topic as repeats, at the cost of missing loose paraphrases.
"""

_CHUNK = 2048

StatementId = int | str


@dataclass(frozen=True)
class RitualMatch:
    """One statement of the round and its nearest earlier statement.

    ``earlier_id`` and ``similarity`` are None when there are no earlier statements.
    """

    statement_id: StatementId
    earlier_id: StatementId | None
    similarity: float | None
    repeat: bool

    def to_dict(self) -> dict[str, Any]:
        """``{"statement_id", "earlier_id", "similarity", "repeat"}``."""
        return {
            "statement_id": self.statement_id,
            "earlier_id": self.earlier_id,
            "similarity": self.similarity,
            "repeat": self.repeat,
        }


@dataclass(frozen=True)
class RitualResult:
    """The ritual index of a round.

    Attributes
    ----------
    index : float or None
        Share of the round's statements that are repeats; None when the round has no
        statements, 0.0 when there are no earlier statements.
    threshold : float
        The similarity threshold used.
    n_statements, n_earlier, n_repeats : int
    matches : tuple of RitualMatch
        One per statement of the round, in input order.
    """

    index: float | None
    threshold: float
    n_statements: int
    n_earlier: int
    n_repeats: int
    matches: tuple[RitualMatch, ...]

    @property
    def repeats(self) -> tuple[RitualMatch, ...]:
        """The matches that are repeats, most similar first (ties in input order)."""
        hits = [m for m in self.matches if m.repeat]
        return tuple(sorted(hits, key=lambda m: -(m.similarity or 0.0)))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict; ``repeats`` lists each repeat beside its earlier twin."""
        return {
            "index": self.index,
            "threshold": self.threshold,
            "n_statements": self.n_statements,
            "n_earlier": self.n_earlier,
            "n_repeats": self.n_repeats,
            "repeats": [m.to_dict() for m in self.repeats],
            "matches": [m.to_dict() for m in self.matches],
        }


def _as_matrix(x: ArrayLike, name: str) -> FloatArray:
    a = np.asarray(x, dtype=np.float64)
    if a.ndim == 1 and a.size == 0:
        a = a.reshape(0, 0)
    if a.ndim != 2:
        raise ValueError(f"{name} must be 2-D (n_statements, dim), got shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return a


def _normalise(a: FloatArray) -> FloatArray:
    norms = np.linalg.norm(a, axis=1, keepdims=True)
    out: FloatArray = np.divide(a, norms, out=np.zeros_like(a), where=norms > 0)
    return out


def _ids(ids: Sequence[StatementId] | None, n: int, name: str) -> list[StatementId]:
    if ids is None:
        return list(range(n))
    out = [i if isinstance(i, str) else int(i) for i in ids]
    if len(out) != n:
        raise ValueError(f"{name} has {len(out)} ids for {n} statements")
    return out


def ritual_index(
    current: ArrayLike,
    earlier: ArrayLike,
    *,
    current_ids: Sequence[StatementId] | None = None,
    earlier_ids: Sequence[StatementId] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> RitualResult:
    """Match a round's statements to earlier rounds' and compute the ritual index.

    Parameters
    ----------
    current : array-like of shape (n_statements, dim)
        Embeddings of the round's statements. Rows need not be normalised: similarity is
        the cosine; a zero row has similarity 0 with everything.
    earlier : array-like of shape (n_earlier, dim)
        Embeddings of all statements of the dialogue's earlier rounds (may have no rows).
    current_ids, earlier_ids : sequence of int or str, optional
        Statement ids, in row order; default the row positions.
    threshold : float, default=DEFAULT_THRESHOLD
        A statement is a repeat when the cosine similarity to its nearest earlier
        statement is ``>= threshold``.

    Returns
    -------
    RitualResult
        Deterministic: the same inputs give the same result; among equally similar
        earlier statements the first in row order is the twin.
    """
    if not -1.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be in [-1, 1], got {threshold}")
    cur = _as_matrix(current, "current")
    old = _as_matrix(earlier, "earlier")
    cur_ids = _ids(current_ids, cur.shape[0], "current_ids")
    old_ids = _ids(earlier_ids, old.shape[0], "earlier_ids")
    n, m = cur.shape[0], old.shape[0]
    if n and m and cur.shape[1] != old.shape[1]:
        raise ValueError(f"dimensions differ: current {cur.shape[1]}, earlier {old.shape[1]}")
    if n == 0:
        return RitualResult(None, threshold, 0, m, 0, ())
    if m == 0:
        matches = tuple(RitualMatch(i, None, None, False) for i in cur_ids)
        return RitualResult(0.0, threshold, n, 0, 0, matches)

    cur_n, old_n = _normalise(cur), _normalise(old)
    best = np.empty(n, dtype=np.intp)
    sim = np.empty(n, dtype=np.float64)
    for start in range(0, n, _CHUNK):  # bounded memory: a chunk x n_earlier block at a time
        block = cur_n[start : start + _CHUNK] @ old_n.T
        arg = np.argmax(block, axis=1)
        best[start : start + _CHUNK] = arg
        sim[start : start + _CHUNK] = block[np.arange(len(arg)), arg]
    sim = np.clip(sim, -1.0, 1.0)
    matches = tuple(
        RitualMatch(cur_ids[i], old_ids[int(best[i])], float(sim[i]), bool(sim[i] >= threshold))
        for i in range(n)
    )
    n_repeats = sum(mt.repeat for mt in matches)
    return RitualResult(n_repeats / n, threshold, n, m, n_repeats, matches)
