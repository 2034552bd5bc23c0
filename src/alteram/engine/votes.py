"""The sparse vote matrix: the latest vote of each participant on each statement wins."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp

from alteram.engine.types import BoolArray, IntArray, VoteMatrix
from alteram.errors import InvalidInput

REQUIRED_COLUMNS = ("participant", "statement", "vote")
MIN_VOTES_TO_CLUSTER = 7


def _sort_key(value: Any) -> tuple[str, Any]:
    return (type(value).__name__, value if isinstance(value, int | float | str) else str(value))


Codes = npt.NDArray[np.int32]


def factorize_sorted(values: pd.Series) -> tuple[Codes, npt.NDArray[np.object_]]:
    """Codes and sorted unique values of ``values`` (mixed types sorted by type, then value)."""
    codes, uniques = pd.factorize(values, sort=False)
    uniq = np.asarray(uniques, dtype=object)
    try:
        order = np.argsort(np.asarray(uniques), kind="stable")
    except TypeError:
        order = np.array(sorted(range(len(uniq)), key=lambda i: _sort_key(uniq[i])), dtype=np.int64)
    rank = np.empty(len(order), dtype=np.int32)
    rank[order] = np.arange(len(order), dtype=np.int32)
    return rank[codes], uniq[order]


def _show(value: Any) -> str:
    """A value as a person would write it (NumPy scalars unwrapped)."""
    return repr(value.item() if isinstance(value, np.generic) else value)


def _validate(votes: pd.DataFrame) -> None:
    if not isinstance(votes, pd.DataFrame):
        raise InvalidInput(f"votes must be a pandas DataFrame, got {type(votes).__name__}.")
    missing = [c for c in REQUIRED_COLUMNS if c not in votes.columns]
    if missing:
        raise InvalidInput(
            f"votes is missing the column(s) {missing}; it has {list(votes.columns)}.",
            hint="Give a long table with columns participant, statement, vote and time.",
        )
    for column in ("participant", "statement"):
        if votes[column].isna().any():
            row = int(np.flatnonzero(votes[column].isna().to_numpy())[0])
            raise InvalidInput(f"votes row {row} has no {column} id.")
    vote = pd.to_numeric(votes["vote"], errors="coerce").to_numpy(dtype=np.float64)
    bad = ~np.isin(vote, (-1.0, 0.0, 1.0))
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InvalidInput(
            f"votes row {row} has vote {_show(votes['vote'].iloc[row])}; "
            "a vote must be -1 (disagree), 0 (pass) or 1 (agree)."
        )


def _time_order(votes: pd.DataFrame) -> IntArray | None:
    """A stable order by time, or None when the rows are already in time order."""
    if "time" not in votes.columns:
        return None
    time = votes["time"]
    if time.isna().any():
        raise InvalidInput("votes has rows without a time; give every vote a time.")
    if pd.api.types.is_datetime64_any_dtype(time):
        t = time.to_numpy().astype("datetime64[ns]").astype(np.int64)
    else:
        t = pd.to_numeric(time, errors="coerce").to_numpy(dtype=np.float64)
        if np.isnan(t).any():
            raise InvalidInput("votes has a time that is neither a number nor a datetime.")
    if len(t) < 2 or bool(np.all(t[1:] >= t[:-1])):
        return None
    return np.argsort(t, kind="stable").astype(np.int64)


def build_vote_matrix(votes: pd.DataFrame, *, moderated_out: Iterable[Any] = ()) -> VoteMatrix:
    """Build the sparse matrix of latest votes.

    Parameters
    ----------
    votes : DataFrame with columns participant, statement, vote and optionally time
        One row per vote cast; when a participant voted more than once on a statement the
        latest (by ``time``, then by row order) counts.
    moderated_out : iterable of statement ids
        Statements excluded by moderation. As in Polis they stay as columns but hold no votes,
        and a participant's votes on them still count towards the clustering threshold.

    Returns
    -------
    VoteMatrix

    Examples
    --------
    >>> import pandas as pd
    >>> v = pd.DataFrame({"participant": ["a", "a", "b"], "statement": [1, 1, 2],
    ...                   "vote": [1, -1, 0], "time": [1, 2, 3]})
    >>> build_vote_matrix(v).matrix.toarray().tolist()
    [[-1.0, 0.0], [0.0, 0.0]]
    """
    _validate(votes)
    order = _time_order(votes)
    rows, pids = factorize_sorted(votes["participant"])
    cols, sids = factorize_sorted(votes["statement"])
    vals = pd.to_numeric(votes["vote"]).to_numpy().astype(np.int8)
    if order is not None:
        rows, cols, vals = rows[order], cols[order], vals[order]
    del order
    n_p, n_s = len(pids), len(sids)
    has_time = "time" in votes.columns
    last, first_pos = _latest(rows, cols, n_s)
    if last is not None:
        rows, cols, vals = rows[last], cols[last], vals[last]
        del last
    mod_set = set(moderated_out)
    moderated = np.fromiter((s in mod_set for s in sids), dtype=bool, count=n_s)
    n_votes = np.bincount(rows, minlength=n_p).astype(np.int64)
    keep = ~moderated[cols]
    if keep.all():
        matrix = _csr(rows, cols, vals, n_p, n_s)
    else:
        matrix = _csr(rows[keep], cols[keep], vals[keep], n_p, n_s)
    del keep
    ever = n_votes >= min(MIN_VOTES_TO_CLUSTER, n_s)
    if has_time and not ever.all():
        ever = _ever_clustered(ever, rows, cols, first_pos, n_s)
    return VoteMatrix(
        matrix=matrix,
        participant_ids=pids,
        statement_ids=sids,
        moderated=moderated,
        n_votes=n_votes,
        ever_clustered=ever,
    )


def _csr(rows: Codes, cols: Codes, vals: npt.NDArray[np.int8], n_p: int, n_s: int) -> sp.csr_matrix:
    """CSR matrix of votes already sorted by (row, column), without duplicates."""
    index = np.int32 if len(rows) < 2**31 - 1 else np.int64
    indptr = np.zeros(n_p + 1, dtype=index)
    np.cumsum(np.bincount(rows, minlength=n_p), out=indptr[1:])
    return sp.csr_matrix(
        (vals.astype(np.float64), cols.astype(index, copy=False), indptr), shape=(n_p, n_s)
    )


def _latest(rows: Codes, cols: Codes, n_s: int) -> tuple[IntArray | None, IntArray]:
    """Positions of the last vote of each (participant, statement), in that key order.

    Votes come in time order. Also returns, per kept pair, the position of its first vote.
    One (unstable, vectorised) sort of the pair keys; the few repeated pairs are then
    resolved by their positions. When the votes are already in key order without
    repetitions the first result is None (keep everything as it is).
    """
    n = len(rows)
    key = rows.astype(np.int64) * np.int64(n_s) + cols
    if n < 2 or bool(np.all(key[1:] > key[:-1])):
        return None, np.arange(n, dtype=np.int64)
    order = np.argsort(key)
    key = key[order]
    start = np.ones(n, dtype=bool)
    np.not_equal(key[1:], key[:-1], out=start[1:])
    del key
    if start.all():
        return order, order
    idx = np.flatnonzero(start)
    del start
    last = order[idx]
    first = last.copy()
    nxt = np.append(idx[1:], n)
    multi = np.flatnonzero(nxt - idx > 1)  # repeated pairs are rare: reduce only those
    del nxt
    lengths = np.diff(np.append(idx, n))[multi] if len(multi) else np.zeros(0, dtype=np.int64)
    members = _runs(idx[multi], lengths)
    sub = order[members]
    sub_start = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    last[multi] = np.maximum.reduceat(sub, sub_start)
    first[multi] = np.minimum.reduceat(sub, sub_start)
    return last, first


def _runs(starts: IntArray, lengths: IntArray) -> IntArray:
    """Concatenated ranges ``starts[i] .. starts[i] + lengths[i] - 1``."""
    if len(starts) == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    return np.asarray(np.arange(int(lengths.sum()), dtype=np.int64) + offsets, dtype=np.int64)


def _ever_clustered(
    ever: BoolArray, rows: Codes, cols: Codes, first_pos: IntArray, n_s: int
) -> BoolArray:
    """Polis's rule with history: clustered once voted on min(7, statements existing then).

    ``first_pos`` is, per kept (participant, statement) pair in the order of ``rows``, the
    time-order position of the first vote on that pair. A statement exists from its first vote.
    """
    ever = ever.copy()
    stmt_first = np.full(n_s, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(stmt_first, cols, first_pos)
    stmt_first_sorted = np.sort(stmt_first)
    low = ~ever[rows]
    r, t = rows[low], first_pos[low]
    order = np.lexsort((t, r))
    r, t = r[order], t[order]
    start = np.ones(len(r), dtype=bool)
    start[1:] = r[1:] != r[:-1]
    run_start = np.maximum.accumulate(np.where(start, np.arange(len(r)), 0))
    k = np.arange(len(r)) - run_start + 1
    existing = np.searchsorted(stmt_first_sorted, t, side="right")
    hit = k >= np.minimum(existing, MIN_VOTES_TO_CLUSTER)
    ever[np.unique(r[hit])] = True
    return ever
