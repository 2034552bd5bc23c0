"""The distributed vote matrix: CSR blocks of consecutive participants held by Dask workers.

:func:`build_votes` reads the chunks twice: a scan (validation, statement ids, a sample of
participant ids that places the block boundaries so that blocks hold about the same number
of votes, the first statements in time), then, in waves of blocks, a split of every chunk
by participant range and the building of each block (latest vote per participant and
statement, the clustering threshold with history). A wave holds at most about
``wave_votes`` votes in pieces, so memory stays bounded whatever the number of votes.

The client keeps only what is per participant and small (ids, vote counts, whether
clustered: 17 bytes per participant) and per statement.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from distributed import Client, Future, as_completed

from alteram.engine.distributed import blocks as B
from alteram.engine.distributed._dask import Progress, _noop, as_future, scatter, tree_sum
from alteram.engine.types import BoolArray, IntArray, VoteMatrix
from alteram.engine.votes import MIN_VOTES_TO_CLUSTER
from alteram.errors import InvalidInput

BLOCK_VOTES = 4_000_000
WAVE_VOTES = 200_000_000
SEND_BYTES = 100_000  # arrays above this size go to the workers once, as futures


@dataclass
class DistributedVotes:
    """Latest votes as blocks of consecutive rows on the workers.

    Attributes
    ----------
    client : distributed.Client
    blocks : list of Future of VoteBlock
    offsets : ndarray of shape (n_blocks + 1,)
        First row of each block.
    participant_ids, statement_ids : ndarray of int64, sorted
    moderated, n_votes, ever_clustered, n_seen : per statement / participant, as in
        :class:`alteram.engine.VoteMatrix` (``n_seen``: votes on statements not moderated out).
    """

    client: Client
    blocks: list[Future]
    offsets: IntArray
    participant_ids: IntArray
    statement_ids: IntArray
    moderated: BoolArray
    n_votes: IntArray
    ever_clustered: BoolArray
    n_seen: IntArray
    has_time: bool = True
    # inputs the blocks were built from: held so that Dask can rebuild a lost block
    inputs: list[Future] = field(default_factory=list, repr=False)
    _scattered: dict[int, tuple[np.ndarray, Future]] = field(default_factory=dict, repr=False)

    @property
    def shape(self) -> tuple[int, int]:
        """(n_participants, n_statements)."""
        return (len(self.participant_ids), len(self.statement_ids))

    def map(
        self, fn: Callable[..., Any], *args: Any, per_block: Sequence[Any] = ()
    ) -> list[Future]:
        """``fn(block, *per_block[i], *args)`` for each block; large ``args`` are sent once."""
        sent = [self.send(a) for a in args]
        futures = []
        for i, block in enumerate(self.blocks):
            own = per_block[i] if per_block else ()
            futures.append(self.client.submit(fn, block, *own, *sent, pure=False))
        return futures

    def sum(self, fn: Callable[..., Any], *args: Any, per_block: Sequence[Any] = ()) -> Any:
        """Sum over the blocks of ``fn(block, ...)``, reduced on the workers."""
        return tree_sum(self.client, self.map(fn, *args, per_block=per_block))

    def rows(self, fn: Callable[..., Any], *args: Any, per_block: Sequence[Any] = ()) -> Any:
        """``fn(block, ...)`` per block, gathered and stacked in row order."""
        parts = self.client.gather(self.map(fn, *args, per_block=per_block))
        return np.concatenate(parts, axis=0)

    def slices(self, values: np.ndarray) -> list[tuple[np.ndarray]]:
        """``values`` (one per participant) cut into each block's rows, as per-block args."""
        return [(values[a:b],) for a, b in zip(self.offsets[:-1], self.offsets[1:], strict=True)]

    def send(self, value: Any) -> Any:
        """Arrays above ``SEND_BYTES`` go to the workers once and travel as futures.

        The last array sent is remembered (with the array itself, so that its identity
        cannot be taken by another), so sending it again costs nothing.
        """
        if isinstance(value, np.ndarray) and value.nbytes > SEND_BYTES:
            last = self._scattered.get(id(value))
            if last is None or last[0] is not value:
                self._scattered.clear()
                last = (value, scatter(self.client, value))
                self._scattered[id(value)] = last
            return last[1]
        return value

    def take(self, rows: IntArray, pieces: int) -> DistributedVotes:
        """The participants at (sorted, global) ``rows``, regrouped into ``pieces`` blocks."""
        block_of = np.searchsorted(self.offsets, rows, side="right") - 1
        subs: list[Future] = []
        sizes: list[int] = []
        for i, block in enumerate(self.blocks):
            local = rows[block_of == i] - self.offsets[i]
            if len(local):
                subs.append(self.client.submit(B.take_rows, block, local, pure=False))
                sizes.append(len(local))
        groups = _even_groups(np.array(sizes, dtype=np.int64), max(1, pieces))
        merged = [
            self.client.submit(B.concat_blocks, *subs[a:b], pure=False) if b - a > 1 else subs[a]
            for a, b in groups
        ]
        offsets = np.zeros(len(groups) + 1, dtype=np.int64)
        np.cumsum([sum(sizes[a:b]) for a, b in groups], out=offsets[1:])
        return DistributedVotes(
            client=self.client,
            blocks=merged,
            offsets=offsets,
            participant_ids=self.participant_ids[rows],
            statement_ids=self.statement_ids,
            moderated=self.moderated,
            n_votes=self.n_votes[rows],
            ever_clustered=self.ever_clustered[rows],
            n_seen=self.n_seen[rows],
            has_time=self.has_time,
            inputs=self.inputs,
        )

    def vote_matrix(self) -> VoteMatrix:
        """A :class:`VoteMatrix` with the ids and counts; its matrix holds no entries
        (the votes stay on the workers)."""
        n_p, n_s = self.shape
        return VoteMatrix(
            matrix=sp.csr_matrix((n_p, n_s)),
            participant_ids=self.participant_ids.astype(object),
            statement_ids=self.statement_ids.astype(object),
            moderated=self.moderated,
            n_votes=self.n_votes,
            ever_clustered=self.ever_clustered,
        )


def _even_groups(sizes: IntArray, pieces: int) -> list[tuple[int, int]]:
    """Consecutive index ranges of ``sizes`` holding about the same total each."""
    if len(sizes) == 0:
        return []
    total = np.cumsum(sizes)
    cuts = np.searchsorted(total, total[-1] * np.arange(1, pieces) / pieces, side="left") + 1
    edges = np.unique(np.concatenate([[0], np.clip(cuts, 1, len(sizes)), [len(sizes)]]))
    return [(int(a), int(b)) for a, b in itertools.pairwise(edges)]


def build_votes(
    client: Client,
    chunks: Sequence[Any],
    *,
    moderated_out: Iterable[Any] = (),
    block_votes: int = BLOCK_VOTES,
    wave_votes: int = WAVE_VOTES,
    progress: Progress | None = None,
) -> DistributedVotes:
    """Build the distributed matrix of latest votes from chunks of votes.

    Parameters
    ----------
    client : distributed.Client
    chunks : sequence of dask.delayed or Future, each of a DataFrame
        Columns participant, statement (integers), vote (-1/0/1) and optionally time
        (integers or datetimes; all chunks alike). Votes are ordered by (time, chunk,
        row); the latest per participant and statement counts.
    moderated_out : iterable of statement ids
    block_votes : int
        About how many votes each block holds.
    wave_votes : int
        About how many votes are split into pieces at once.
    progress : callable (stage, fraction done), optional

    Returns
    -------
    DistributedVotes
    """
    step = progress or _noop
    if block_votes < 1 or wave_votes < 1:
        raise ValueError("block_votes and wave_votes must be >= 1.")
    scans = _scan(client, chunks, step)
    for i, scan in enumerate(scans):
        if scan.error:
            raise InvalidInput(f"votes chunk {i}: {scan.error}")
    if scans and len({s.has_time for s in scans}) > 1:
        raise InvalidInput("some chunks of votes have a time column and some do not.")
    has_time = bool(scans) and scans[0].has_time
    n_rows = sum(s.n_rows for s in scans)
    statement_ids = (
        np.unique(np.concatenate([s.statements for s in scans])) if scans else np.zeros(0, np.int64)
    )
    if n_rows == 0:
        empty = np.zeros(0, dtype=np.int64)
        return DistributedVotes(
            client,
            [],
            np.zeros(1, np.int64),
            empty,
            statement_ids,
            np.zeros(0, bool),
            empty,
            np.zeros(0, bool),
            empty,
            has_time,
        )
    mod_set = set(moderated_out)
    moderated = np.fromiter(
        (int(s) in mod_set for s in statement_ids), dtype=bool, count=len(statement_ids)
    )
    sample = np.sort(np.concatenate([s.sample for s in scans])) if scans else np.zeros(0, np.int64)
    n_blocks = max(1, min(math.ceil(n_rows / block_votes), len(np.unique(sample)) or 1))
    boundaries = np.unique(sample[(np.arange(1, n_blocks) * len(sample)) // n_blocks])
    n_blocks = len(boundaries) + 1
    firsts = _first_statements(scans)
    with_row = not all(s.strict for s in scans)
    # votes per block, estimated from the sample: blocks are built in waves of about
    # wave_votes votes
    share = np.bincount(np.searchsorted(boundaries, sample, side="right"), minlength=n_blocks)
    est = share / max(len(sample), 1) * n_rows
    waves = _waves(est, wave_votes)
    block_futures: list[Future] = []
    inputs = [scatter(client, boundaries), scatter(client, statement_ids)]
    for w, (lo, hi) in enumerate(waves):
        step("building blocks", w / len(waves))
        wave = _Wave(inputs[0], inputs[1], moderated, firsts, has_time, with_row)

        def advance(f: float, w: int = w) -> None:
            step("building blocks", (w + f) / len(waves))

        block_futures.extend(wave.run(client, chunks, lo, hi, advance))
    step("building blocks", 1.0)
    summaries = client.gather(
        [client.submit(B.block_summary, b, pure=False) for b in block_futures]
    )
    sizes = np.array([len(s[0]) for s in summaries], dtype=np.int64)
    offsets = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    keep = [i for i, n in enumerate(sizes) if n > 0]

    def cat(k: int, dtype: Any) -> Any:
        return np.concatenate([summaries[i][k] for i in keep]) if keep else np.zeros(0, dtype=dtype)

    return DistributedVotes(
        client=client,
        blocks=[block_futures[i] for i in keep],
        offsets=np.concatenate([[0], np.cumsum(sizes[keep])]).astype(np.int64),
        participant_ids=cat(0, np.int64),
        statement_ids=statement_ids,
        moderated=moderated,
        n_votes=cat(1, np.int64),
        ever_clustered=cat(2, bool),
        n_seen=cat(3, np.int64),
        has_time=has_time,
        inputs=inputs,
    )


def _scan(client: Client, chunks: Sequence[Any], step: Progress) -> list[B.ChunkScan]:
    step("reading votes", 0.0)
    futures = [as_future(client, c, B.scan_chunk, i) for i, c in enumerate(chunks)]
    index = {f.key: i for i, f in enumerate(futures)}
    out: list[B.ChunkScan | None] = [None] * len(futures)
    for done, future in enumerate(as_completed(futures), start=1):
        out[index[future.key]] = future.result()
        step("reading votes", done / len(futures))
    return [s for s in out if s is not None]


def _first_statements(scans: list[B.ChunkScan]) -> IntArray:
    """(time, chunk, row) of the conversation's first distinct statements, sorted."""
    cands = sorted(c for s in scans for c in s.firsts)
    seen: set[int] = set()
    out = []
    for t, c, r, statement in cands:
        if statement not in seen:
            seen.add(statement)
            out.append((t, c, r))
        if len(out) == MIN_VOTES_TO_CLUSTER:
            break
    return np.array(out, dtype=np.int64).reshape(-1, 3)


def _waves(est: np.ndarray, wave_votes: int) -> list[tuple[int, int]]:
    waves: list[tuple[int, int]] = []
    lo, acc = 0, 0.0
    for j, v in enumerate(est):
        if j > lo and acc + v > wave_votes:
            waves.append((lo, j))
            lo, acc = j, 0.0
        acc += float(v)
    waves.append((lo, len(est)))
    return waves


@dataclass(frozen=True)
class _Wave:
    boundaries: Future  # scattered arrays
    statement_ids: Future
    moderated: BoolArray
    firsts: IntArray
    has_time: bool
    with_row: bool

    def run(
        self,
        client: Client,
        chunks: Sequence[Any],
        lo: int,
        hi: int,
        step: Callable[[float], None],
    ) -> list[Future]:
        """Split every chunk for blocks lo..hi-1 and build those blocks."""
        n = hi - lo
        splits = [
            as_future(
                client, c, B.split_chunk, self.boundaries, self.statement_ids, lo, n, self.with_row
            )
            for c in chunks
        ]
        chunk_of = np.arange(len(chunks), dtype=np.int64)
        built = []
        for j in range(n):
            pieces = [client.submit(_item, s, j, pure=False) for s in splits]
            built.append(
                client.submit(
                    _build,
                    chunk_of,
                    self.moderated,
                    self.firsts,
                    self.has_time,
                    *pieces,
                    pure=False,
                )
            )
        for done, _ in enumerate(as_completed(built), start=1):
            step(done / max(n, 1))
        del splits
        return built


def _item(pieces: tuple[B.Piece, ...], j: int) -> B.Piece:
    return pieces[j]


def _build(
    chunk_of: IntArray, moderated: BoolArray, firsts: IntArray, has_time: bool, *pieces: B.Piece
) -> B.VoteBlock:
    return B.build_block(list(pieces), chunk_of, moderated, firsts, has_time)


__all__ = ["DistributedVotes", "build_votes", "tree_sum"]
