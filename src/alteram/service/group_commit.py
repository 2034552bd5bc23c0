"""Group commit: the votes of concurrent requests of one process share one transaction.

A request hands its vote to the store's committer (:func:`record_vote`) and waits. A
committer thread of the store (one on SQLite, a few on PostgreSQL) takes every vote
waiting at that moment (up to :data:`MAX_BATCH`), runs them in one write transaction (a
refused vote writes nothing, and its caller gets its own error), applies the batch's
counter updates in a fixed order, and commits once: one fsync for the batch. Only then is
each caller answered; when the commit fails, nobody in the batch is acknowledged (each gets
:class:`StoreUnavailable`, a 503) and none of its votes is stored.

Votes are taken in participant order within a batch, so batches of several processes lock
the voters' rows (and then the counters') in the same order and never dead-lock.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import weakref
from collections.abc import Mapping
from concurrent.futures import Future
from contextlib import nullcontext
from dataclasses import dataclass, field

from alteram.errors import N_, AlteramError, StoreUnavailable
from alteram.service import ratelimit
from alteram.service.participation import Deferred, VoteRecorded, check_vote, vote_in
from alteram.store.database import Store

log = logging.getLogger(__name__)

MAX_BATCH = 128
# Committer threads per store: SQLite takes one writer at a time anyway; on PostgreSQL a
# batch waits on round trips, so a few batches are in flight at once (their locks are
# taken in one order: voters by id, then counters, so they never dead-lock).
THREADS = {"sqlite": 1, "postgresql": 4}


@dataclass
class PendingVote:
    participant_id: int
    statement_id: int
    value: int
    predictions: Mapping[int, int] | None
    shown_translation_id: int | None
    web_session_id: int | None = None
    # The request's network address: the committer's thread has none of its own, and
    # the per-address limit counts the vote against it.
    address: str | None = None
    done: Future[VoteRecorded] = field(default_factory=Future)


class Committer:
    """The committer threads of one store (started on first use)."""

    def __init__(self, store: Store) -> None:
        self._store = weakref.ref(store)
        self._queue: queue.SimpleQueue[PendingVote] = queue.SimpleQueue()
        for n in range(THREADS.get(store.dialect, 1)):
            name = f"alteram-group-commit-{n}"
            threading.Thread(target=self._run, name=name, daemon=True).start()

    def submit(self, vote: PendingVote) -> VoteRecorded:
        self._queue.put(vote)
        return vote.done.result()

    async def submit_async(self, vote: PendingVote) -> VoteRecorded:
        """:meth:`submit` for an event loop: it waits without holding a thread."""
        self._queue.put(vote)
        return await asyncio.wrap_future(vote.done)

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < MAX_BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            store = self._store()
            if store is None:
                return
            self._commit(store, batch)
            del store

    def _commit(self, store: Store, batch: list[PendingVote]) -> None:
        outcomes = commit_votes(store, batch)
        for v, outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, VoteRecorded):
                v.done.set_result(outcome)
            else:
                v.done.set_exception(outcome)


def commit_votes(store: Store, batch: list[PendingVote]) -> list[VoteRecorded | AlteramError]:
    """Record a batch of votes in one transaction; one outcome per vote.

    A refused vote is refused before it writes anything (:attr:`Deferred.wrote`), so the
    batch runs without a SAVEPOINT per vote; should a vote be refused after writing, the
    batch is run again with one SAVEPOINT per vote, which rolls each refused vote back
    alone. When the transaction fails, every outcome is a :class:`StoreUnavailable` and
    nothing of the batch is stored.
    """
    try:
        try:
            return _in_one_transaction(store, batch, savepoints=False)
        except _RefusedAfterWriting:
            return _in_one_transaction(store, batch, savepoints=True)
    except Exception as exc:  # the batch's transaction or its commit failed: nobody is acked
        failed = exc if isinstance(exc, StoreUnavailable) else None
        if failed is None:
            log.exception("a group commit of %s votes failed", len(batch))
            failed = StoreUnavailable(
                N_("the database could not store this vote; nothing of it was kept."),
                hint=N_("Send it again in a moment."),
            )
        return [failed] * len(batch)


class _RefusedAfterWriting(Exception):
    """A vote was refused after it wrote: the batch has to be run with savepoints."""


def _in_one_transaction(
    store: Store, batch: list[PendingVote], *, savepoints: bool
) -> list[VoteRecorded | AlteramError]:
    order = sorted(range(len(batch)), key=lambda i: batch[i].participant_id)
    outcomes: list[VoteRecorded | AlteramError | None] = [None] * len(batch)
    with store.write() as session:
        later = Deferred()
        for i in order:
            v = batch[i]
            mine = Deferred()
            try:
                nested = session.begin_nested() if savepoints else nullcontext()
                with ratelimit.asking_from(v.address), nested:
                    outcomes[i] = vote_in(
                        session,
                        mine,
                        participant_id=v.participant_id,
                        statement_id=v.statement_id,
                        value=v.value,
                        predictions=v.predictions,
                        shown_translation_id=v.shown_translation_id,
                        web_session_id=v.web_session_id,
                    )
            except AlteramError as exc:  # refused
                if mine.wrote and not savepoints:
                    raise _RefusedAfterWriting from exc  # rolls the whole batch back
                outcomes[i] = exc
                continue
            later.counts += mine.counts
            later.bumps |= mine.bumps
        later.apply(session)
    assert all(o is not None for o in outcomes)
    return [o for o in outcomes if o is not None]


_committers: weakref.WeakKeyDictionary[Store, Committer] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def committer(store: Store) -> Committer:
    """The store's committer (one per store and process)."""
    with _lock:
        found = _committers.get(store)
        if found is None:
            found = _committers[store] = Committer(store)
        return found


def record_vote(
    store: Store,
    *,
    participant_id: int,
    statement_id: int,
    value: int,
    predictions: Mapping[int, int] | None = None,
    shown_translation_id: int | None = None,
    web_session_id: int | None = None,
) -> VoteRecorded:
    """:func:`alteram.service.participation.record_vote`, committed with the votes of other
    requests waiting at the same moment; returns once the vote is committed.

    ``web_session_id`` (the voter's sign-in session) is checked in the vote's transaction.
    """
    pending = _pending(
        participant_id, statement_id, value, predictions, shown_translation_id, web_session_id
    )
    return committer(store).submit(pending)


async def record_vote_async(
    store: Store,
    *,
    participant_id: int,
    statement_id: int,
    value: int,
    predictions: Mapping[int, int] | None = None,
    shown_translation_id: int | None = None,
    web_session_id: int | None = None,
) -> VoteRecorded:
    """:func:`record_vote` for a coroutine: the event loop goes on while the batch commits."""
    pending = _pending(
        participant_id, statement_id, value, predictions, shown_translation_id, web_session_id
    )
    return await committer(store).submit_async(pending)


def _pending(
    participant_id: int,
    statement_id: int,
    value: int,
    predictions: Mapping[int, int] | None,
    shown_translation_id: int | None,
    web_session_id: int | None,
) -> PendingVote:
    check_vote(value, predictions)
    return PendingVote(
        participant_id,
        statement_id,
        value,
        predictions,
        shown_translation_id,
        web_session_id,
        ratelimit.current_address(),
    )
