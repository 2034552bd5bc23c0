"""SIGKILL of one web worker of ``alteram serve --workers 2`` (PostgreSQL) under a vote load.

uvicorn's supervisor starts a new worker in place of the dead one; the clients whose
connection was cut retry (a person's browser would) and succeed on the other worker;
every vote acknowledged before, during and after the kill is stored.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from tests.conftest import make_database
from tests.faults.harness import UNLIMITED, VoteLoad, count_stored, join, seed_round, wait_until
from tests.web.conftest import start_server, stop_server
from tests.web.test_serve_children import children_of

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

BEFORE, AFTER = 30, 40


def web_workers(pid: int) -> set[int]:
    """The uvicorn worker processes of the server ``pid`` (spawned children)."""
    found = set()
    for child in children_of(pid):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        spawned = b"multiprocessing.spawn" in command or b"spawn_main" in command
        if spawned and b"resource_tracker" not in command:
            found.add(child)
    return found


def test_a_killed_web_worker_is_replaced_and_no_acknowledged_vote_is_lost(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = make_database("postgres", request, tmp_path)
    seeded = seed_round(url)
    server = start_server(url, tmp_path, "--workers", "2", "--job-workers", "0", env=UNLIMITED)
    try:
        wait_until(lambda: len(web_workers(server.process.pid)) == 2, 60, "two web workers")
        first = web_workers(server.process.pid)
        load = VoteLoad(server.url, join(server.url, seeded.tokens, 24), seeded.statements)
        load.start()
        try:
            wait_until(lambda: load.count("before") >= BEFORE, 60, "votes before the kill")
            victim = min(first)
            load.set_phase("kill")
            os.kill(victim, signal.SIGKILL)
            wait_until(
                lambda: len(web_workers(server.process.pid) - {victim}) == 2,
                60,
                "a new worker in place of the killed one",
            )
            load.set_phase("after")
            wait_until(lambda: load.count("after") >= AFTER, 60, "votes after the kill")
        finally:
            load.stop()
        now = web_workers(server.process.pid)
        assert victim not in now and len(now - first) == 1, (first, now)
        assert server.process.poll() is None  # the supervisor itself goes on
    finally:
        stop_server(server)
    tally = count_stored(url, load.acked)
    print(dict(load.answers), tally.line())
    for phase, answers in load.answers.items():
        assert set(answers) <= {"201", "connection error"}, (phase, answers, load.samples)
    assert not tally.lost, f"{tally.line()}: {tally.lost[:5]}"
    assert not tally.wrong, tally.wrong[:5]
    assert tally.stored == tally.acknowledged >= BEFORE + AFTER
