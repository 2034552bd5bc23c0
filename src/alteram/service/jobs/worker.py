"""The worker loop: claim a due job, run its handler under a heartbeat, settle it.

A worker is one process (``alteram worker``, or a child of ``alteram serve``) that runs
one job at a time in its main thread; a thread renews the job's lease while the handler
runs. On SIGTERM or SIGINT (see :func:`stop_on_signals`) it takes no new job and gives the
running one back to the queue, so another worker starts it at once. Started by a parent
(``parent_pid``), it also stops when the parent dies.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from types import FrameType

from alteram.errors import AlteramError, InvalidInput
from alteram.service.jobs.queue import (
    LEASE_SECONDS,
    RETRY_BASE_SECONDS,
    Job,
    claim,
    complete,
    error_line,
    extend_lease,
    fail,
    release,
)
from alteram.service.jobs.registry import load_kinds
from alteram.store.database import Store

log = logging.getLogger(__name__)
POLL_SECONDS = 1.0
SIGNAL_POLL_SECONDS = 0.1  # how soon a caught SIGTERM or SIGINT stops the worker
_running_handler = threading.Event()


class WorkerStopping(BaseException):
    """Raised in the handler's thread when the worker is told to stop mid-job."""


def default_worker_id() -> str:
    """``HOST:PID``, the name a worker has in the jobs table unless given one."""
    return f"{socket.gethostname()}:{os.getpid()}"


def run_worker(
    store: Store,
    *,
    worker_id: str,
    stop_event: threading.Event,
    poll_interval: float = POLL_SECONDS,
    kinds: Iterable[str] | None = None,
    once: bool = False,
    parent_pid: int | None = None,
    lease: float = LEASE_SECONDS,
    retry_base: float = RETRY_BASE_SECONDS,
) -> int:
    """Run jobs until ``stop_event`` is set; returns how many jobs it ran.

    Parameters
    ----------
    kinds : iterable of str, optional
        The kinds to take (default: every registered kind; others are left to workers
        that know them).
    once : bool
        Stop as soon as nothing is due (instead of polling every ``poll_interval`` s).
    parent_pid : int, optional
        Stop when the process's parent is no longer this process (it died).
    lease, retry_base : float
        Seconds a job is held between heartbeats' renewals; first retry delay.
    """
    handlers = load_kinds()
    wanted = sorted(handlers) if kinds is None else sorted(kinds)
    ran = 0
    log.info("job worker %s ready (kinds: %s)", worker_id, ", ".join(wanted) or "none")
    while not stop_event.is_set():
        if parent_pid is not None and os.getppid() != parent_pid:
            log.warning("job worker %s: parent %s is gone, stopping", worker_id, parent_pid)
            break
        try:
            job = claim(store, worker_id=worker_id, kinds=wanted, lease=lease)
        except Exception as exc:  # the store is busy or away: wait, and look again
            log.warning("job worker %s cannot claim a job: %s", worker_id, error_line(exc))
            stop_event.wait(max(poll_interval, 1.0))
            continue
        if job is None:
            if once:
                break
            stop_event.wait(poll_interval)
            continue
        run_job(store, job, worker_id=worker_id, lease=lease, retry_base=retry_base)
        ran += 1
    log.info("job worker %s stopped after %d jobs", worker_id, ran)
    return ran


def run_job(
    store: Store,
    job: Job,
    *,
    worker_id: str,
    lease: float = LEASE_SECONDS,
    retry_base: float = RETRY_BASE_SECONDS,
) -> str | None:
    """Run one claimed job and settle it; its new state (None if the lease was lost)."""
    handler = load_kinds().get(job.kind)
    if handler is None:
        error = InvalidInput(f"no handler is registered for job kind {job.kind!r}.")
        return _settle(lambda: fail(store, job_id=job.id, worker_id=worker_id, error=error))
    beat = _Heartbeat(store, job.id, worker_id, lease)
    beat.start()
    started = time.monotonic()
    try:
        _running_handler.set()
        try:
            handler(store, dict(job.payload))
        finally:
            _running_handler.clear()
    except Exception as exc:
        beat.finish()
        failure: Exception = exc
        state = _settle(
            lambda: fail(
                store, job_id=job.id, worker_id=worker_id, error=failure, retry_base=retry_base
            )
        )
        expected = isinstance(exc, AlteramError)
        log.log(
            logging.WARNING if expected else logging.ERROR,
            "job %s (%s), attempt %s: %s -> %s",
            job.id,
            job.kind,
            job.attempts,
            error_line(exc),
            state,
            exc_info=not expected,
        )
        return state
    except BaseException:  # stopping (a signal, KeyboardInterrupt): give the job back
        beat.finish()
        _settle(lambda: release(store, job_id=job.id, worker_id=worker_id))
        log.info("job %s (%s) given back: the worker is stopping", job.id, job.kind)
        raise
    beat.finish()
    done = _settle(lambda: complete(store, job_id=job.id, worker_id=worker_id))
    log.info("job %s (%s) done in %.1f s", job.id, job.kind, time.monotonic() - started)
    return "done" if done else None


def _settle(step: Callable[[], object], tries: int = 5) -> str | None:
    """Write a job's outcome, waiting out a busy or unreachable store a few times."""
    for attempt in range(tries):
        try:
            result = step()
            return result if isinstance(result, str) or result is None else str(result)
        except Exception as exc:  # most often a busy or unreachable store
            log.warning("cannot record a job's outcome yet: %s", error_line(exc))
            time.sleep(min(2.0**attempt, 10.0))
    log.error("gave up recording a job's outcome; its lease will run out and it will run again")
    return None


class _Heartbeat(threading.Thread):
    """Renews a running job's lease every third of it, until :meth:`finish`."""

    def __init__(self, store: Store, job_id: int, worker_id: str, lease: float) -> None:
        super().__init__(name=f"lease-{job_id}", daemon=True)
        self.store, self.job_id, self.worker_id, self.lease = store, job_id, worker_id, lease
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(self.lease / 3):
            try:
                held = extend_lease(
                    self.store, job_id=self.job_id, worker_id=self.worker_id, lease=self.lease
                )
            except Exception as exc:  # keep beating: the store may come back
                log.warning("job %s: cannot renew the lease: %s", self.job_id, exc)
                continue
            if not held:
                log.warning("job %s: lease lost to another worker", self.job_id)
                return

    def finish(self) -> None:
        self._done.set()
        if self.is_alive() and self is not threading.current_thread():
            self.join(timeout=30)


@contextmanager
def stop_on_signals(stop_event: threading.Event) -> Iterator[None]:
    """SIGTERM and SIGINT stop the worker: no new job, and the running one given back.

    Use it in the main thread around :func:`run_worker` (signals are delivered there).
    """

    # The handler takes no lock: it runs in the main thread between two bytecodes, maybe
    # while that thread holds the lock inside ``stop_event.wait``, and setting the event
    # there would wait on that lock for ever. A watcher thread sets the event instead.
    done = threading.Event()  # the context is left: the watcher ends
    caught: list[int] = []

    def on_signal(signum: int, frame: FrameType | None) -> None:
        caught.append(signum)  # list.append takes no lock
        if _running_handler.is_set():
            raise WorkerStopping(signal.Signals(signum).name)

    def watch() -> None:
        while not done.wait(SIGNAL_POLL_SECONDS):
            if caught:
                stop_event.set()
                return

    watcher = threading.Thread(target=watch, name="worker-signals", daemon=True)
    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    watcher.start()
    try:
        yield
    except WorkerStopping:
        stop_event.set()
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        done.set()
        watcher.join(timeout=5)


def die_with_parent(parent_pid: int) -> bool:
    """Ask Linux to send SIGTERM when the parent dies; False when it already has."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: run_worker's parent check remains
        pass
    return os.getppid() == parent_pid
