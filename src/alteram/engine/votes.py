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
    fast = _factorize_int_range(values)
    if fast is not None:
        return fast
    codes, uniques = pd.factorize(values, sort=False)
    uniq = np.asarray(uniques, dtype=object)
    try:
        order = np.argsort(np.asarray(uniques), kind="stable")
    except TypeError:
        order = np.array(sorted(range(len(uniq)), key=lambda i: _sort_key(uniq[i])), dtype=np.int64)
    rank = np.empty(len(order), dtype=np.int32)
    rank[order] = np.arange(len(order), dtype=np.int32)
    return rank[codes], uniq[order]


def _factorize_int_range(values: pd.Series) -> tuple[Codes, npt.NDArray[np.object_]] | None:
    """``factorize_sorted`` of plain integers spanning a range not much wider than their count.

    A presence table over the range replaces hashing and sorting: O(n + range). None when it
    does not apply.
    """
    dtype = values.dtype
    if not isinstance(dtype, np.dtype) or dtype.kind not in "iu" or len(values) == 0:
        return None
    v = values.to_numpy()
    lo, hi = int(v.min()), int(v.max())
    span = hi - lo + 1
    if span > max(4 * len(v), 1 << 16):
        return None
    if v.dtype.itemsize < 8:
        offset = v.astype(np.intp) - lo
    else:  # the difference from the minimum fits: the span is small
        offset = (v - v.dtype.type(lo)).astype(np.intp, copy=False)
    present = np.zeros(span, dtype=bool)
    present[offset] = True
    uniq = np.flatnonzero(present)
    if len(uniq) == span:  # every value in the range occurs: codes are the offsets
        return offset.astype(np.int32), (uniq + lo).astype(object)
    rank = np.cumsum(present, dtype=np.int32)
    rank -= 1
    return rank[offset], (uniq + lo).astype(object)


def _show(value: Any) -> str:
    """A value as a person would write it (NumPy scalars unwrapped)."""
    return repr(value.item() if isinstance(value, np.generic) else value)


def _validate(votes: pd.DataFrame) -> npt.NDArray[np.int8]:
    """Check the columns and values; returns the votes as int8."""
    if not isinstance(votes, pd.DataFrame):
        raise InvalidInput(f"votes must be a pandas DataFrame, got {type(votes).__name__}.")
    missing = [c for c in REQUIRED_COLUMNS if c not in votes.columns]
    if missing:
        raise InvalidInput(
            f"votes is missing the column(s) {missing}; it has {list(votes.columns)}.",
            hint="Give a long table with columns participant, statement, vote and time.",
        )
    for column in ("participant", "statement"):
        if not _is_plain_int(votes[column]) and votes[column].isna().any():
            row = int(np.flatnonzero(votes[column].isna().to_numpy())[0])
            raise InvalidInput(f"votes row {row} has no {column} id.")
    raw = votes["vote"]
    if _is_plain_int(raw):
        as_int = raw.to_numpy()
        bad = (as_int > 1) if as_int.dtype.kind == "u" else (as_int < -1) | (as_int > 1)
    else:
        vote = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=np.float64)
        bad = ~np.isin(vote, (-1.0, 0.0, 1.0))
        as_int = np.where(bad, 0.0, vote).astype(np.int64)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InvalidInput(
            f"votes row {row} has vote {_show(raw.iloc[row])}; "
            "a vote must be -1 (disagree), 0 (pass) or 1 (agree)."
        )
    return np.asarray(as_int, dtype=np.int8)


def _is_plain_int(column: pd.Series) -> bool:
    """A column of NumPy integers (which cannot hold missing values)."""
    return isinstance(column.dtype, np.dtype) and column.dtype.kind in "iu"


def _time_order(votes: pd.DataFrame) -> IntArray | None:
    """A stable order by time, or None when the rows are already in time order."""
    if "time" not in votes.columns:
        return None
    time = votes["time"]
    if _is_plain_int(time):
        t = time.to_numpy()
        if len(t) < 2 or bool(np.all(t[1:] >= t[:-1])):
            return None
        return np.argsort(t, kind="stable").astype(np.int64)
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
    vals = _validate(votes)
    order = _time_order(votes)
    rows, pids = factorize_sorted(votes["participant"])
    cols, sids = factorize_sorted(votes["statement"])
    if order is not None:
        rows, cols, vals = rows[order], cols[order], vals[order]
    del order
    n_p, n_s = len(pids), len(sids)
    has_time = "time" in votes.columns
    cols_in_time = cols
    last, first_pos = _latest(rows, cols, n_s)
    if last is not None:
        rows, cols, vals = rows[last], cols[last], vals[last]
        del last
    # from here on the votes are in (participant, statement) order
    mod_set = set(moderated_out)
    moderated = np.fromiter((s in mod_set for s in sids), dtype=bool, count=n_s)
    n_votes = np.bincount(rows, minlength=n_p).astype(np.int64)
    del rows
    indptr = np.zeros(n_p + 1, dtype=np.int64)
    np.cumsum(n_votes, out=indptr[1:])
    matrix = _csr(indptr, cols, vals, moderated)
    ever = n_votes >= min(MIN_VOTES_TO_CLUSTER, n_s)
    if has_time and not ever.all():
        ever = _ever_clustered(ever, indptr, first_pos, cols_in_time)
    return VoteMatrix(
        matrix=matrix,
        participant_ids=pids,
        statement_ids=sids,
        moderated=moderated,
        n_votes=n_votes,
        ever_clustered=ever,
    )


def _csr(
    indptr: IntArray, cols: Codes, vals: npt.NDArray[np.int8], moderated: BoolArray
) -> sp.csr_matrix:
    """CSR matrix of votes in (row, column) order without duplicates, moderated columns empty.

    ``indptr`` delimits each row's votes in ``cols`` and ``vals``.
    """
    n_p, n_s = len(indptr) - 1, len(moderated)
    if moderated.any():
        keep = ~moderated[cols]
        dropped = np.flatnonzero(~keep)
        if len(dropped):
            dropped_rows = np.searchsorted(indptr, dropped, side="right") - 1
            per_row = np.diff(indptr) - np.bincount(dropped_rows, minlength=n_p)
            cols, vals = cols[keep], vals[keep]
            indptr = np.zeros(n_p + 1, dtype=np.int64)
            np.cumsum(per_row, out=indptr[1:])
    index = np.int32 if len(cols) < 2**31 - 1 else np.int64
    return sp.csr_matrix(
        (vals.astype(np.float64), cols.astype(index, copy=False), indptr.astype(index)),
        shape=(n_p, n_s),
    )


def _latest(rows: Codes, cols: Codes, n_s: int) -> tuple[IntArray | None, IntArray]:
    """Positions of the last vote of each (participant, statement), in that key order.

    Votes come in time order. Also returns, per kept pair, the position of its first vote.
    When the votes are already in key order without repetitions the first result is None
    (keep everything as it is).
    """
    n = len(rows)
    key = rows.astype(np.int64) * np.int64(n_s) + cols
    if n < 2 or bool(np.all(key[1:] > key[:-1])):
        return None, np.arange(n, dtype=np.int64)
    order = _stable_argsort(key, n_s * (int(rows.max()) + 1))
    key = key[order]
    start = np.ones(n, dtype=bool)
    np.not_equal(key[1:], key[:-1], out=start[1:])
    del key
    if start.all():
        return order, order
    # equal keys keep their time order: the run of a pair starts at its first vote
    first = order[start]
    end = np.empty(n, dtype=bool)
    end[:-1] = start[1:]
    end[-1] = True
    return order[end], first


def _stable_argsort(key: IntArray, n_keys: int) -> IntArray:
    """``np.argsort(key, kind="stable")``, quick also when ``key`` is far from sorted.

    Votes usually come in long runs of increasing keys (one participant's votes), which
    the stable merge sort exploits; otherwise positions are made part of the key so that
    the faster unstable sort gives the same order.
    """
    n = len(key)
    descents = int(np.count_nonzero(key[1:] < key[:-1]))
    if descents * 16 <= n or n_keys > (2**62) // max(n, 1):
        return np.argsort(key, kind="stable").astype(np.int64, copy=False)
    wide = key * np.int64(n) + np.arange(n, dtype=np.int64)
    return np.argsort(wide).astype(np.int64, copy=False)


def _ever_clustered(
    ever: BoolArray, indptr: IntArray, first_pos: IntArray, cols_in_time: Codes
) -> BoolArray:
    """Polis's rule with history: clustered once voted on min(7, statements existing then).

    ``indptr`` delimits each participant's kept (participant, statement) pairs, and
    ``first_pos`` is, per pair, the time-order position of its first vote. ``cols_in_time``
    holds the statement of every vote in time order; a statement exists from its first vote.
    Only participants with fewer votes than the threshold are looked at.
    """
    ever = ever.copy()
    low = np.flatnonzero(~ever)
    starts = indptr[low]
    lengths = indptr[low + 1] - starts
    r = np.repeat(low, lengths)
    t = first_pos[_runs(starts, lengths)]
    order = np.lexsort((t, r))
    r, t = r[order], t[order]
    start = np.ones(len(r), dtype=bool)
    start[1:] = r[1:] != r[:-1]
    run_start = np.maximum.accumulate(np.where(start, np.arange(len(r)), 0))
    k = np.arange(len(r)) - run_start + 1
    hit = k >= _statements_existing(cols_in_time, t, MIN_VOTES_TO_CLUSTER)
    ever[np.unique(r[hit])] = True
    return ever


def _statements_existing(cols_in_time: Codes, t: IntArray, cap: int) -> IntArray:
    """min(cap, number of distinct statements voted on at time-order positions <= t).

    Only the first ``cap`` statements to appear matter, so only as many leading votes
    as needed to see them are examined.
    """
    n = len(cols_in_time)
    size = 64
    while True:
        uniq, first = np.unique(cols_in_time[:size], return_index=True)
        if len(uniq) >= cap or size >= n:
            break
        size *= 4
    firsts = np.sort(first)[:cap]
    return np.asarray(np.searchsorted(firsts, t, side="right"), dtype=np.int64)


def _runs(starts: IntArray, lengths: IntArray) -> IntArray:
    """Concatenated ranges ``starts[i] .. starts[i] + lengths[i] - 1``."""
    if len(starts) == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    return np.asarray(np.arange(int(lengths.sum()), dtype=np.int64) + offsets, dtype=np.int64)
