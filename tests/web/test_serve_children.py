"""``alteram serve`` stops every process it started: no child is left after SIGTERM."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from tests.conftest import make_database
from tests.web.conftest import start_server

pytestmark = pytest.mark.slow


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a live process; None when it is gone or a zombie."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    state, ppid = text.rsplit(")", 1)[1].split()[:2]
    return None if state in ("Z", "X") else (state, int(ppid))


def children_of(pid: int) -> set[int]:
    """Live processes whose parent is ``pid`` (read from /proc)."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _stat(int(entry))
            if stat is not None and stat[1] == pid:
                found.add(int(entry))
    return found


def _wait(check: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _run(kind: str, request: pytest.FixtureRequest, tmp_path: Path, *, ready: bool) -> None:
    server = start_server(make_database(kind, request, tmp_path), tmp_path, "--job-workers", "2")
    pid = server.process.pid
    try:
        _wait(lambda: len(children_of(pid)) >= 2, 30, "two job workers")
        if ready:  # stop them polling; otherwise while they are still starting
            _wait(lambda: server.log.read_text().count(" ready (kinds:") == 2, 60, "workers ready")
        started = children_of(pid)
        assert len(started) == 2, started
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=30) == 0, server.log.read_text()[-3000:]
    finally:
        if server.process.poll() is None:
            server.process.kill()
    left = {p for p in started if _stat(p) is not None}
    assert left == set(), f"still running after the server stopped: {left}"
    assert children_of(pid) == set()


@pytest.mark.parametrize("run", range(5))
def test_sigterm_leaves_no_child_on_sqlite(
    run: int, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    _run("sqlite", request, tmp_path, ready=run % 2 == 0)


@pytest.mark.postgres
@pytest.mark.parametrize("run", range(2))
def test_sigterm_leaves_no_child_on_postgres(
    run: int, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    _run("postgres", request, tmp_path, ready=run % 2 == 0)


def test_job_workers_stop_by_themselves_when_the_server_is_killed(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    server = start_server(
        make_database("sqlite", request, tmp_path), tmp_path, "--job-workers", "2"
    )
    pid = server.process.pid
    _wait(lambda: server.log.read_text().count(" ready (kinds:") == 2, 120, "workers ready")
    started = children_of(pid)
    assert len(started) == 2
    server.process.kill()
    server.process.wait(10)
    _wait(lambda: all(_stat(p) is None for p in started), 60, "the orphaned workers to stop")


def test_no_job_workers_when_asked_for_none(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    server = start_server(
        make_database("sqlite", request, tmp_path), tmp_path, "--job-workers", "0"
    )
    try:
        assert children_of(server.process.pid) == set()
    finally:
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=30) == 0


def test_a_job_worker_that_dies_is_replaced_and_the_replacement_stopped_too(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    server = start_server(
        make_database("sqlite", request, tmp_path), tmp_path, "--job-workers", "2"
    )
    pid = server.process.pid
    try:
        _wait(lambda: server.log.read_text().count(" ready (kinds:") == 2, 60, "workers ready")
        first = children_of(pid)
        victim = min(first)
        os.kill(victim, signal.SIGKILL)
        _wait(lambda: len(children_of(pid) - first) == 1, 30, "a replacement worker")
        now = children_of(pid)
        assert victim not in now and len(now) == 2
        assert "exited with -9" in server.log.read_text()
        _wait(lambda: server.log.read_text().count(" ready (kinds:") == 3, 60, "it is ready")
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=30) == 0
    finally:
        if server.process.poll() is None:
            server.process.kill()
    assert {p for p in now if _stat(p) is not None} == set()
