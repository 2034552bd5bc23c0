"""The job queue on both stores: enqueue in a transaction, dedupe, claim, retry, leases."""

from __future__ import annotations

import itertools
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from alteram.errors import InvalidInput, NotFound
from alteram.service.jobs import (
    backoff,
    claim,
    complete,
    enqueue,
    fail,
    get_job,
    list_jobs,
    release,
    run_worker,
)
from alteram.store.database import Store
from alteram.store.schema import Job as JobRow
from alteram.store.schema import utcnow
from tests.factories import make_world
from tests.service import job_handlers


def _add(store: Store, **kwargs: object) -> int | None:
    with store.write() as s:
        return enqueue(s, **kwargs)  # type: ignore[arg-type]


def _count(store: Store) -> int:
    with store.read() as s:
        return int(s.scalar(select(func.count(JobRow.id))) or 0)


def test_a_key_keeps_one_job_queued_or_running_and_frees_when_done(store: Store) -> None:
    w = make_world(store)
    first = _add(store, kind="test.record", payload={"n": 1}, dialogue_id=w.dialogue_id, key="r1")
    assert first is not None
    assert _add(store, kind="test.record", payload={"n": 2}, key="r1") is None
    other = _add(store, kind="test.record", payload={}, key="r2")
    other_kind = _add(store, kind="test.sleep", payload={}, key="r1")
    assert other is not None and other_kind is not None
    job = claim(store, worker_id="w", kinds=["test.record"])
    assert job is not None and job.id == first and job.state == "running"
    assert _add(store, kind="test.record", payload={}, key="r1") is None  # running counts
    assert complete(store, job_id=first, worker_id="w")
    again = _add(store, kind="test.record", payload={}, key="r1")
    assert again is not None and again != first
    # Without a key, nothing is deduplicated.
    assert _add(store, kind="test.record", payload={}) != _add(
        store, kind="test.record", payload={}
    )
    assert get_job(store, job_id=first).payload == {"n": 1}
    assert _count(store) == 6


def test_a_job_enqueued_in_a_transaction_that_rolls_back_is_not_there(store: Store) -> None:
    w = make_world(store)
    with pytest.raises(RuntimeError, match="changed my mind"), store.write() as s:
        job_id = enqueue(s, kind="test.record", payload={}, dialogue_id=w.dialogue_id, key="k")
        assert job_id is not None
        raise RuntimeError("changed my mind")
    assert _count(store) == 0
    assert list_jobs(store, dialogue_id=w.dialogue_id) == []
    assert _add(store, kind="test.record", payload={}, key="k") is not None  # key is free


def test_bad_jobs_are_refused_with_what_was_wrong(store: Store) -> None:
    with pytest.raises(InvalidInput, match=r"no job kind 'analysys' is registered"):
        _add(store, kind="analysys", payload={})
    with pytest.raises(InvalidInput, match="not plain JSON"):
        _add(store, kind="test.record", payload={"when": object()})
    with pytest.raises(InvalidInput, match="max_attempts is at least 1"):
        _add(store, kind="test.record", payload={}, max_attempts=0)
    with pytest.raises(NotFound, match="dialogue 999 does not exist"):
        list_jobs(store, dialogue_id=999)
    assert _count(store) == 0


def test_claim_takes_the_oldest_due_job_of_the_kinds_asked(store: Store) -> None:
    later = _add(store, kind="test.record", payload={}, run_after=utcnow() + timedelta(hours=1))
    a = _add(store, kind="test.sleep", payload={})
    b = _add(store, kind="test.record", payload={})
    c = _add(store, kind="test.record", payload={})
    assert later and a and b and c
    got = claim(store, worker_id="w1", kinds=["test.record"])
    assert got is not None and got.id == b and got.attempts == 1 and got.locked_by == "w1"
    assert got.locked_until is not None and got.locked_until > utcnow() + timedelta(seconds=50)
    assert [claim(store, worker_id="w1", kinds=["test.record"]).id] == [c]  # type: ignore[union-attr]
    assert claim(store, worker_id="w1", kinds=["test.record"]) is None  # `later` is not due
    assert claim(store, worker_id="w1", kinds=[]) is None
    assert claim(store, worker_id="w1").id == a  # type: ignore[union-attr]


def test_failures_back_off_exponentially_then_fail_with_one_line(store: Store) -> None:
    job_id = _add(store, kind="test.fail", payload={}, max_attempts=3)
    assert job_id is not None
    for attempt in (1, 2, 3):
        job = claim(store, worker_id="w", kinds=["test.fail"])
        assert job is not None and job.attempts == attempt
        before = utcnow()
        state = fail(
            store, job_id=job_id, worker_id="w", error=ValueError("bad\nthing"), retry_base=10
        )
        stored = get_job(store, job_id=job_id)
        assert stored.last_error == "ValueError: bad thing"
        if attempt < 3:
            assert state == stored.state == "queued" and stored.locked_by is None
            wait = (stored.run_after - before).total_seconds()
            low, high = 10 * 2 ** (attempt - 1) / 2, 10 * 2 ** (attempt - 1)
            assert low - 0.5 <= wait <= high + 0.5, (attempt, wait)
            assert claim(store, worker_id="w", kinds=["test.fail"]) is None  # not yet due
            with store.write() as s:  # let time pass
                s.get_one(JobRow, job_id).run_after = utcnow()
        else:
            assert state == stored.state == "failed" and stored.finished_at is not None
    assert [backoff(n, base=1.0, rng=lambda: 1.0) for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert fail(store, job_id=job_id, worker_id="w", error=ValueError("late")) is None


def test_a_worker_retries_a_failing_handler_then_marks_it_failed(store: Store) -> None:
    job_handlers.CALLS.clear()
    w = make_world(store)
    job_id = _add(store, kind="test.fail", payload={}, dialogue_id=w.dialogue_id, max_attempts=3)
    stop = threading.Event()
    runner = threading.Thread(
        target=run_worker,
        args=(store,),
        kwargs={"worker_id": "t", "stop_event": stop, "poll_interval": 0.05, "retry_base": 0.4},
    )
    runner.start()
    try:
        deadline = time.monotonic() + 30
        while get_job(store, job_id=job_id).state != "failed":  # type: ignore[arg-type]
            assert time.monotonic() < deadline, get_job(store, job_id=job_id)  # type: ignore[arg-type]
            time.sleep(0.05)
    finally:
        stop.set()
        runner.join(10)
    calls = [t for kind, t in job_handlers.CALLS if kind == "test.fail"]
    assert len(calls) == 3
    gaps = [b - a for a, b in itertools.pairwise(calls)]
    assert gaps[0] >= 0.2 and gaps[1] >= 0.4, gaps  # at least half of 0.4 s, then of 0.8 s
    (shown,) = list_jobs(store, dialogue_id=w.dialogue_id)
    assert shown.state == "failed" and shown.attempts == 3
    assert shown.last_error == "RuntimeError: boom on call 3"


def test_a_not_found_in_the_handler_fails_at_once(store: Store) -> None:
    job_handlers.CALLS.clear()
    job_id = _add(store, kind="test.missing", payload={}, max_attempts=5)
    ran = run_worker(store, worker_id="t", stop_event=threading.Event(), once=True)
    job = get_job(store, job_id=job_id)  # type: ignore[arg-type]
    assert ran == 1 and len(job_handlers.CALLS) == 1
    assert job.state == "failed" and job.attempts == 1
    assert job.last_error == "NotFound: round 999 does not exist."


def test_an_expired_lease_is_taken_over_and_says_who_stopped(store: Store) -> None:
    job_id = _add(store, kind="test.record", payload={}, max_attempts=2)
    assert claim(store, worker_id="dead", lease=1.0) is not None
    assert claim(store, worker_id="alive") is None  # the lease holds
    time.sleep(1.2)
    taken = claim(store, worker_id="alive")
    assert taken is not None and taken.id == job_id and taken.attempts == 2
    assert taken.last_error is not None and taken.last_error.startswith("WorkerLost: worker dead")
    assert not complete(store, job_id=job_id, worker_id="dead")  # the old holder lost it
    # After the last attempt, a lost job fails instead of running again.
    with store.write() as s:
        s.get_one(JobRow, job_id).locked_until = utcnow() - timedelta(seconds=1)
    assert claim(store, worker_id="third") is None
    assert get_job(store, job_id=job_id).state == "failed"  # type: ignore[arg-type]


def test_the_heartbeat_keeps_a_long_job_and_release_gives_it_back(
    store: Store, tmp_path: Path
) -> None:
    trace = tmp_path / "trace"
    job_id = _add(store, kind="test.sleep", payload={"path": str(trace), "seconds": 4})
    stop = threading.Event()
    runner = threading.Thread(
        target=run_worker,
        args=(store,),
        kwargs={"worker_id": "long", "stop_event": stop, "once": True, "lease": 1.5},
    )
    runner.start()
    try:
        while not trace.exists():
            time.sleep(0.02)
        for _ in range(6):  # well past the 1.5 s lease: renewed, so nobody else takes it
            time.sleep(0.5)
            assert claim(store, worker_id="thief") is None
    finally:
        runner.join(10)
    job = get_job(store, job_id=job_id)  # type: ignore[arg-type]
    assert job.state == "done" and job.attempts == 1 and job.locked_by == "long"
    # A stopping worker gives its job back without using up an attempt.
    again = _add(store, kind="test.sleep", payload={})
    assert claim(store, worker_id="w") is not None
    assert release(store, job_id=again, worker_id="w")  # type: ignore[arg-type]
    back = get_job(store, job_id=again)  # type: ignore[arg-type]
    assert back.state == "queued" and back.attempts == 0 and back.locked_by is None


@pytest.mark.parametrize("name", ["alteram.service.jobs.queue", "alteram.service.jobs.registry"])
def test_examples_in_docstrings(name: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
