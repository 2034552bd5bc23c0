"""Real ``alteram worker`` processes on both stores: racing, killed, stopped mid-job."""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from alteram.service.jobs import enqueue, get_job
from alteram.store.database import Store
from alteram.store.schema import Job as JobRow
from tests.conftest import REPO
from tests.service import job_handlers  # noqa: F401  (registers the test kinds here too)

pytestmark = pytest.mark.slow


class Workers:
    """Starts ``alteram worker`` processes on one database and stops them at the end."""

    def __init__(self, url: str, folder: Path) -> None:
        self.url, self.folder = url, folder
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, *extra: str) -> subprocess.Popen[bytes]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ALTERAM_")}
        env["ALTERAM_DATABASE_URL"] = self.url
        with self.log(name).open("wb") as out:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "alteram",
                    "worker",
                    "--id",
                    name,
                    "--poll",
                    "0.05",
                    "--import",
                    "tests.service.job_handlers",
                    *extra,
                ],
                cwd=REPO,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.started.append(process)
        return process

    def log(self, name: str) -> Path:
        return self.folder / f"{name}.log"

    def wait_ready(self, name: str, process: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + 60
        while "ready" not in self.log(name).read_text():
            assert process.poll() is None, self.log(name).read_text()
            assert time.monotonic() < deadline, self.log(name).read_text()
            time.sleep(0.05)

    def stop_all(self) -> None:
        for p in self.started:
            if p.poll() is None:
                p.terminate()
        for p in self.started:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


@pytest.fixture
def workers(database_url: str, tmp_path: Path) -> Iterator[Workers]:
    w = Workers(database_url, tmp_path)
    try:
        yield w
    finally:
        w.stop_all()


def _enqueue(store: Store, kind: str, payloads: list[dict[str, object]]) -> list[int]:
    ids = []
    with store.write() as s:
        for p in payloads:
            job_id = enqueue(s, kind=kind, payload=p)
            assert job_id is not None
            ids.append(job_id)
    return ids


def _done(store: Store) -> int:
    with store.read() as s:
        return int(s.scalar(select(func.count(JobRow.id)).where(JobRow.state == "done")) or 0)


def _wait_for(check: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_two_workers_racing_never_run_one_job_twice(
    workers: Workers, database_url: str, tmp_path: Path
) -> None:
    trace = tmp_path / "trace"
    a, b = workers.start("racer-a"), workers.start("racer-b")
    workers.wait_ready("racer-a", a)
    workers.wait_ready("racer-b", b)
    store = Store(database_url)
    try:
        n = 120
        ids = _enqueue(
            store, "test.record", [{"path": str(trace), "n": i, "sleep": 0.01} for i in range(n)]
        )
        _wait_for(lambda: _done(store) == n, 120, "every job to be done")
        jobs = [get_job(store, job_id=i) for i in ids]
    finally:
        store.dispose()
    runs = [line.split() for line in trace.read_text().splitlines()]
    per_job = collections.Counter(int(n) for _, n, _ in runs)
    assert sorted(per_job) == list(range(n)) and set(per_job.values()) == {1}
    assert {j.attempts for j in jobs} == {1}
    by_worker = collections.Counter(j.locked_by for j in jobs)
    assert set(by_worker) == {"racer-a", "racer-b"}, by_worker  # both took part
    assert {pid for _, _, pid in runs} == {str(a.pid), str(b.pid)}


def test_a_worker_killed_mid_job_leaves_it_to_another_after_its_lease(
    workers: Workers, database_url: str, tmp_path: Path
) -> None:
    trace = tmp_path / "trace"
    store = Store(database_url)
    try:
        (job_id,) = _enqueue(store, "test.sleep", [{"path": str(trace), "seconds": 1.5}])
        victim = workers.start("victim", "--lease", "2")
        _wait_for(lambda: trace.exists() and "start" in trace.read_text(), 60, "the job to start")
        victim.send_signal(signal.SIGKILL)
        victim.wait(10)
        killed_at = time.monotonic()
        assert get_job(store, job_id=job_id).state == "running"  # held by a dead worker
        heir = workers.start("heir", "--lease", "2")
        _wait_for(lambda: get_job(store, job_id=job_id).state == "done", 60, "the job to be done")
        job = get_job(store, job_id=job_id)
    finally:
        store.dispose()
    lines = [line.split() for line in trace.read_text().splitlines()]
    assert [(word, pid) for word, _, pid in lines] == [
        ("start", str(victim.pid)),
        ("start", str(heir.pid)),
        ("end", str(heir.pid)),
    ]
    assert job.attempts == 2 and job.locked_by == "heir"
    assert job.last_error is not None and job.last_error.startswith("WorkerLost: worker victim")
    assert time.monotonic() - killed_at >= 1.5  # it waited for the lease (2 s) to run out


def test_a_stopped_worker_gives_its_job_back_at_once(
    workers: Workers, database_url: str, tmp_path: Path
) -> None:
    trace = tmp_path / "trace"
    store = Store(database_url)
    try:
        (job_id,) = _enqueue(store, "test.sleep", [{"path": str(trace), "seconds": 30}])
        first = workers.start("first")
        _wait_for(lambda: trace.exists() and "start" in trace.read_text(), 60, "the job to start")
        first.send_signal(signal.SIGTERM)
        assert first.wait(15) == 0
        job = get_job(store, job_id=job_id)
        assert job.state == "queued" and job.attempts == 0 and job.locked_by is None
    finally:
        store.dispose()
    assert "given back" in workers.log("first").read_text()
    assert "end" not in trace.read_text()


SIGNAL_WHILE_WAITING = """
import os, signal, threading
from alteram.service.jobs import stop_on_signals
stop = threading.Event()
with stop_on_signals(stop):
    # the worker's main thread is inside stop.wait(): it holds the event's own lock just
    # when the wait times out; a SIGTERM then runs the handler on that same thread
    with stop._cond:
        os.kill(os.getpid(), signal.SIGTERM)
    assert stop.wait(30), "the SIGTERM never stopped the worker"
print("stopped")
"""


def test_a_sigterm_that_lands_inside_the_worker_s_wait_stops_it() -> None:
    """A handler that set the event itself waited for ever on a lock its own thread held
    (a job worker left running after its server died)."""
    done = subprocess.run(
        [sys.executable, "-c", SIGNAL_WHILE_WAITING],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert done.returncode == 0 and done.stdout.strip() == "stopped", done.stderr[-2000:]
