"""Background jobs kept in the database, done by worker processes.

Work that takes longer than a request (analyses; translations and summaries to come) is a
job: a row of the ``jobs`` table, added with :func:`enqueue` inside the write transaction
that calls for it (so the job commits or rolls back with it), picked up by a worker
(:func:`run_worker`, ``alteram worker``) that :func:`claim` s it under a lease, and settled
with :func:`complete` or :func:`fail` (retried with exponential back-off and jitter until
``max_attempts``). Each kind has one handler, registered with :func:`register`::

    from alteram.service.jobs import register

    @register("translation")
    def translate(store: Store, payload: dict) -> None:
        ...

and the module that registers it is listed in :mod:`alteram.service.job_kinds`. Delivery
is at least once: a handler must be idempotent. Facilitators read a dialogue's jobs with
:func:`list_jobs`.
"""

from __future__ import annotations

from alteram.service.jobs.queue import (
    LEASE_SECONDS,
    PERMANENT,
    RETRY_BASE_SECONDS,
    Job,
    backoff,
    claim,
    complete,
    enqueue,
    error_line,
    extend_lease,
    fail,
    get_job,
    list_jobs,
    pending,
    release,
)
from alteram.service.jobs.registry import HANDLERS, Handler, load_kinds, register
from alteram.service.jobs.worker import (
    POLL_SECONDS,
    WorkerStopping,
    default_worker_id,
    die_with_parent,
    run_job,
    run_worker,
    stop_on_signals,
)

__all__ = [
    "HANDLERS",
    "LEASE_SECONDS",
    "PERMANENT",
    "POLL_SECONDS",
    "RETRY_BASE_SECONDS",
    "Handler",
    "Job",
    "WorkerStopping",
    "backoff",
    "claim",
    "complete",
    "default_worker_id",
    "die_with_parent",
    "enqueue",
    "error_line",
    "extend_lease",
    "fail",
    "get_job",
    "list_jobs",
    "load_kinds",
    "pending",
    "register",
    "release",
    "run_job",
    "run_worker",
    "stop_on_signals",
]
