"""Worker-side pieces of the vote matrix: scanning chunks, splitting them, building blocks.

Votes arrive as chunks (pandas DataFrames with columns participant, statement, vote and
optionally time, in any order of participants). The matrix is built in participant
ranges: each chunk is split by participant range, and each range's pieces from every
chunk become one :class:`VoteBlock`, a CSR block of consecutive rows. Votes are ordered by
(time, chunk, row), as the in-memory engine orders them by (time, row); the latest vote of
each participant and statement counts.

These functions run on Dask workers; they take and return arrays only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp

from alteram.engine.types import BoolArray, FloatArray, IntArray
from alteram.engine.votes import (
    MIN_VOTES_TO_CLUSTER,
    _csr,
    _factorize_int_range,
    _latest,
    _runs,
    _validate,
)
from alteram.errors import InvalidInput

I32 = npt.NDArray[np.int32]
I8 = npt.NDArray[np.int8]
SAMPLE_EVERY = 64  # every 64th vote's participant, to place the range boundaries


@dataclass(frozen=True)
class ChunkScan:
    """What the first pass learns about one chunk.

    ``firsts`` holds (time, chunk, row, statement) of the first ``MIN_VOTES_TO_CLUSTER``
    distinct statements in the chunk's time order: the first ones of the whole conversation
    are among the union of these.
    """

    n_rows: int
    statements: IntArray
    sample: IntArray
    has_time: bool
    strict: bool  # times strictly increase along the chunk's rows
    firsts: list[tuple[int, int, int, int]]
    error: str | None = None


@dataclass(frozen=True)
class Piece:
    """One chunk's votes in one participant range, in the chunk's row order.

    Participant ids and times are stored as offsets from a base (int32 when they fit), so
    that a piece takes 13 bytes a vote.
    """

    participant_offset: npt.NDArray[np.integer]
    participant_base: int
    column: I32
    vote: I8
    time_offset: npt.NDArray[np.integer] | None
    time_base: int
    row: I32 | None  # row in the chunk, kept only when times repeat within a chunk

    @property
    def participant(self) -> IntArray:
        """The participant ids."""
        return self.participant_offset.astype(np.int64) + self.participant_base

    @property
    def time(self) -> IntArray | None:
        """The times (None without a time column)."""
        if self.time_offset is None:
            return None
        return self.time_offset.astype(np.int64) + self.time_base


def _offsets(values: IntArray, base: int) -> npt.NDArray[np.integer]:
    off = values - base
    if len(off) and int(off.max()) < 2**31 - 1 and int(off.min()) >= 0:
        return off.astype(np.int32)
    return off


@dataclass(frozen=True)
class VoteBlock:
    """Consecutive rows of the vote matrix, with votes stored as int8.

    Attributes
    ----------
    participant_ids : ndarray of int64, sorted
    indptr, indices, data : the CSR arrays (data -1, 0, +1; moderated-out columns empty)
    n_statements : int
    n_votes : ndarray of int64
        Distinct statements voted on, moderated-out ones included.
    ever_clustered : ndarray of bool
    """

    participant_ids: IntArray
    indptr: npt.NDArray[np.integer]
    indices: npt.NDArray[np.integer]
    data: I8
    n_statements: int
    n_votes: IntArray
    ever_clustered: BoolArray

    @property
    def n_rows(self) -> int:
        """Number of participants in the block."""
        return len(self.participant_ids)

    def matrix(self) -> sp.csr_matrix:
        """The block as a float64 CSR matrix (a transient copy of the values)."""
        return sp.csr_matrix(
            (self.data.astype(np.float64), self.indices, self.indptr),
            shape=(self.n_rows, self.n_statements),
        )

    @property
    def n_seen(self) -> IntArray:
        """Entries per row (votes on statements that are not moderated out)."""
        return np.diff(self.indptr).astype(np.int64)


def _time_values(chunk: pd.DataFrame) -> IntArray | None:
    if "time" not in chunk.columns:
        return None
    time = chunk["time"]
    if isinstance(time.dtype, np.dtype) and time.dtype.kind in "iu":
        return np.asarray(time.to_numpy(), dtype=np.int64)
    if pd.api.types.is_datetime64_any_dtype(time):
        if time.isna().any():
            raise InvalidInput("votes has rows without a time; give every vote a time.")
        return np.asarray(time.to_numpy().astype("datetime64[ns]").astype(np.int64))
    raise InvalidInput(
        f"the distributed engine needs integer or datetime times, got {time.dtype}.",
        hint="Give each vote its vote id or a timestamp as time.",
    )


def _check_ids(chunk: pd.DataFrame) -> None:
    for column in ("participant", "statement"):
        dtype = chunk[column].dtype
        if not (isinstance(dtype, np.dtype) and dtype.kind in "iu"):
            raise InvalidInput(
                f"the distributed engine needs integer {column} ids, got {dtype}.",
                hint="Export the round with 'alteram export --parquet', which writes them.",
            )


def scan_chunk(chunk: pd.DataFrame, index: int) -> ChunkScan:
    """Validate a chunk and collect what the split needs (never raises for bad votes)."""
    try:
        _validate(chunk)
        _check_ids(chunk)
        time = _time_values(chunk)
    except InvalidInput as exc:
        return ChunkScan(0, np.zeros(0, np.int64), np.zeros(0, np.int64), False, True, [], str(exc))
    statement = np.asarray(chunk["statement"].to_numpy(), dtype=np.int64)
    participant = np.asarray(chunk["participant"].to_numpy(), dtype=np.int64)
    strict = time is None or len(time) < 2 or bool(np.all(time[1:] > time[:-1]))
    firsts: list[tuple[int, int, int, int]] = []
    if time is not None and len(time):
        order = None if strict else np.argsort(time, kind="stable")
        in_time = statement if order is None else statement[order]
        size = 64
        while True:
            uniq, first = np.unique(in_time[:size], return_index=True)
            if len(uniq) >= MIN_VOTES_TO_CLUSTER or size >= len(in_time):
                break
            size *= 4
        for pos in np.sort(first)[:MIN_VOTES_TO_CLUSTER]:
            row = int(pos) if order is None else int(order[pos])
            firsts.append((int(time[row]), index, row, int(statement[row])))
    return ChunkScan(
        n_rows=len(chunk),
        statements=distinct(statement),
        sample=np.sort(participant[::SAMPLE_EVERY]),
        has_time=time is not None,
        strict=strict,
        firsts=firsts,
    )


def split_chunk(
    chunk: pd.DataFrame,
    boundaries: IntArray,
    statement_ids: IntArray,
    first_block: int,
    n_blocks: int,
    with_row: bool,
) -> tuple[Piece, ...]:
    """The chunk's votes of blocks ``first_block .. first_block + n_blocks - 1``.

    Block ``j`` holds participants ``p`` with ``boundaries[j-1] <= p < boundaries[j]``.
    """
    participant = np.asarray(chunk["participant"].to_numpy(), dtype=np.int64)
    block = np.searchsorted(boundaries, participant, side="right") - first_block
    # blocks outside this wave go to either end; a stable sort of small integers is a
    # radix sort
    block = np.clip(block, -1, n_blocks).astype(np.int16 if n_blocks < 2**15 - 1 else np.int32)
    order = np.argsort(block, kind="stable")
    ends = np.searchsorted(block[order], np.arange(n_blocks + 1))
    column = column_codes(statement_ids, np.asarray(chunk["statement"].to_numpy(), np.int64))
    vote = np.asarray(chunk["vote"].to_numpy()).astype(np.int8)
    time = _time_values(chunk)
    time_base = int(time.min()) if time is not None and len(time) else 0
    pieces = []
    for j in range(n_blocks):
        rows = order[ends[j] : ends[j + 1]]
        mine = participant[rows]
        base = int(mine.min()) if len(mine) else 0
        pieces.append(
            Piece(
                participant_offset=_offsets(mine, base),
                participant_base=base,
                column=column[rows],
                vote=vote[rows],
                time_offset=None if time is None else _offsets(time[rows], time_base),
                time_base=time_base,
                row=rows.astype(np.int32) if with_row else None,
            )
        )
    return tuple(pieces)


def column_codes(statement_ids: IntArray, statement: IntArray) -> I32:
    """Each vote's column: the position of its statement in the sorted ``statement_ids``
    (a lookup table when the ids span a narrow range)."""
    if len(statement_ids) == 0:
        return np.zeros(len(statement), dtype=np.int32)
    lo, hi = int(statement_ids[0]), int(statement_ids[-1])
    if hi - lo < max(4 * len(statement_ids), 1 << 16):
        table = np.zeros(hi - lo + 1, dtype=np.int32)
        table[statement_ids - lo] = np.arange(len(statement_ids), dtype=np.int32)
        return table[statement - lo]
    return np.searchsorted(statement_ids, statement).astype(np.int32)


def distinct(values: IntArray) -> IntArray:
    """Sorted distinct values (a presence table when they span a narrow range)."""
    if len(values) == 0:
        return values.astype(np.int64)
    lo, hi = int(values.min()), int(values.max())
    if hi - lo < max(4 * len(values), 1 << 16):
        present = np.zeros(hi - lo + 1, dtype=bool)
        present[values - lo] = True
        return np.flatnonzero(present).astype(np.int64) + lo
    return np.unique(values)


def _participant_codes(participant: IntArray) -> tuple[npt.NDArray[np.int32], IntArray]:
    fast = _factorize_int_range(pd.Series(participant))
    if fast is not None:
        return fast[0], fast[1].astype(np.int64)
    uniq, inverse = np.unique(participant, return_inverse=True)
    return inverse.astype(np.int32), uniq.astype(np.int64)


def build_block(
    pieces: list[Piece],
    chunk_of: IntArray,
    moderated: BoolArray,
    firsts: IntArray,
    has_time: bool,
) -> VoteBlock:
    """One block from its pieces, given in chunk order; ``chunk_of[i]`` is piece i's chunk.

    ``firsts`` has shape (k, 3): (time, chunk, row) of the first k <= 7 distinct statements
    of the whole conversation, sorted.
    """
    n_s = len(moderated)
    participant = np.concatenate([p.participant for p in pieces])
    rows, pids = _participant_codes(participant)
    del participant
    cols = np.concatenate([p.column for p in pieces])
    vals = np.concatenate([p.vote for p in pieces])
    lengths = np.array([len(p.vote) for p in pieces], dtype=np.int64)
    time: IntArray | None = None
    order: IntArray | None = None
    if has_time:
        time = np.concatenate([t for p in pieces if (t := p.time) is not None])
        if len(time) > 1 and not bool(np.all(time[1:] >= time[:-1])):
            order = np.argsort(time, kind="stable").astype(np.int64)
            rows, cols, vals = rows[order], cols[order], vals[order]
    cols_in_time = cols
    last, first_pos = _latest(rows, cols, n_s)
    if last is not None:
        rows, cols, vals = rows[last], cols[last], vals[last]
    n_p = len(pids)
    n_votes = np.bincount(rows, minlength=n_p).astype(np.int64)
    del rows
    indptr = np.zeros(n_p + 1, dtype=np.int64)
    np.cumsum(n_votes, out=indptr[1:])
    matrix = _csr(indptr, cols, vals, moderated)
    del cols_in_time
    ever = n_votes >= min(MIN_VOTES_TO_CLUSTER, n_s)
    if has_time and time is not None and not ever.all():
        # position in the concatenation of each kept pair's first vote
        concat = first_pos if order is None else order[first_pos]
        chunk = chunk_of[np.searchsorted(np.cumsum(lengths), concat, side="right")]
        rows_in_chunk = None
        if pieces[0].row is not None:
            rows_in_chunk = np.concatenate([p.row for p in pieces if p.row is not None])[concat]
        ever = _ever_clustered(ever, indptr, time[concat], chunk, rows_in_chunk, firsts)
    return VoteBlock(
        participant_ids=pids,
        indptr=matrix.indptr,
        indices=matrix.indices,
        data=matrix.data.astype(np.int8),
        n_statements=n_s,
        n_votes=n_votes,
        ever_clustered=ever,
    )


def _ever_clustered(
    ever: BoolArray,
    indptr: IntArray,
    time: IntArray,
    chunk: IntArray,
    row: IntArray | None,
    firsts: IntArray,
) -> BoolArray:
    """Polis's rule with history: clustered once voted on min(7, statements existing then).

    Per kept pair (in row order, delimited by ``indptr``) its first vote's time, chunk and
    (when times repeat in a chunk) row; a statement exists from its first vote.
    """
    ever = ever.copy()
    low = np.flatnonzero(~ever)
    lengths = indptr[low + 1] - indptr[low]
    r = np.repeat(low, lengths)
    pair = _runs(indptr[low], lengths)
    t, c = time[pair], chunk[pair]
    w = row[pair] if row is not None else np.zeros(len(pair), dtype=np.int64)
    order = np.lexsort((w, c, t, r))
    r, t, c, w = r[order], t[order], c[order], w[order]
    start = np.ones(len(r), dtype=bool)
    start[1:] = r[1:] != r[:-1]
    run_start = np.maximum.accumulate(np.where(start, np.arange(len(r)), 0))
    k = np.arange(len(r)) - run_start + 1
    existing = np.zeros(len(r), dtype=np.int64)
    for ft, fc, fr in firsts:
        same = (c == fc) & ((w >= fr) if row is not None else True)
        existing += (t > ft) | ((t == ft) & ((c > fc) | same))
    hit = k >= existing
    ever[np.unique(r[hit])] = True
    return ever


def block_summary(block: VoteBlock) -> tuple[IntArray, IntArray, BoolArray, IntArray]:
    """Participant ids, votes per participant, ever clustered, entries per row."""
    return block.participant_ids, block.n_votes, block.ever_clustered, block.n_seen


def take_rows(block: VoteBlock, rows: IntArray) -> VoteBlock:
    """The block's rows ``rows`` (local indices, increasing)."""
    sub = block.matrix()[rows]
    return VoteBlock(
        participant_ids=block.participant_ids[rows],
        indptr=sub.indptr,
        indices=sub.indices,
        data=sub.data.astype(np.int8),
        n_statements=block.n_statements,
        n_votes=block.n_votes[rows],
        ever_clustered=block.ever_clustered[rows],
    )


def concat_blocks(*blocks: VoteBlock) -> VoteBlock:
    """Blocks of consecutive participant ranges as one block."""
    stacked = sp.vstack([b.matrix() for b in blocks], format="csr")
    return VoteBlock(
        participant_ids=np.concatenate([b.participant_ids for b in blocks]),
        indptr=stacked.indptr,
        indices=stacked.indices,
        data=stacked.data.astype(np.int8),
        n_statements=blocks[0].n_statements,
        n_votes=np.concatenate([b.n_votes for b in blocks]),
        ever_clustered=np.concatenate([b.ever_clustered for b in blocks]),
    )


def column_sums(block: VoteBlock) -> FloatArray:
    """Per statement: number of entries and sum of votes, shape (2, n_statements)."""
    n_s = block.n_statements
    out = np.empty((2, n_s))
    out[0] = np.bincount(block.indices, minlength=n_s)
    out[1] = np.bincount(block.indices, weights=block.data.astype(np.float64), minlength=n_s)
    return out
