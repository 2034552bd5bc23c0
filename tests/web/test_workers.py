"""``alteram serve --workers N``: stateless web workers on PostgreSQL, one on SQLite.

Every worker answers any request: a session made through one is good on the others, a rate
limit counts the requests of all of them, a vote through one reaches the event stream served
by another, and stopping the server stops every worker.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.conftest import make_database
from tests.web.conftest import LiveServer, start_server, stop_server
from tests.web.people_world import World, make_world

WORKERS = 2


def _children(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of the processes whose parent is ``pid``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append((int(entry), cmdline))
    return found


def web_workers(server: LiveServer) -> list[int]:
    """The web worker processes uvicorn's supervisor started for ``server``."""
    return [pid for pid, cmd in _children(server.process.pid) if "spawn_main" in cmd]


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _wait_for_workers(server: LiveServer, n: int) -> list[int]:
    deadline = time.monotonic() + 120  # each worker imports the application on its own
    while time.monotonic() < deadline:
        started = server.log.read_text(errors="replace").count("Application startup complete")
        if started >= n:
            return web_workers(server)
        time.sleep(0.5)
    raise AssertionError(f"{n} workers did not start: {server.log.read_text()}")


@pytest.fixture(scope="module", params=[pytest.param("postgres", marks=pytest.mark.postgres)])
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    workdir = tmp_path_factory.mktemp("workers")
    yield from make_world(request, workdir, "--workers", str(WORKERS))


def _fresh(url: str, headers: dict[str, str]) -> int:
    # a new connection each time, so the kernel hands it to whichever worker accepts first
    with httpx.Client(timeout=60, headers=headers) as client:
        return client.get(url).status_code


def test_every_worker_answers_with_the_sessions_of_the_others(world: World) -> None:
    pids = _wait_for_workers(world.server, WORKERS)
    assert len(pids) == WORKERS
    before = {pid: cpu_ticks(pid) for pid in pids}
    url = f"{world.url}/api/dialogues/{world.dialogue_id}"
    with ThreadPoolExecutor(8) as pool:  # both workers busy at once
        answers = list(pool.map(lambda _: _fresh(url, world.owner), range(160)))
    assert answers == [200] * 160  # the owner's one session, good on every worker
    worked = {pid: cpu_ticks(pid) - before[pid] for pid in pids}
    assert all(t > 0 for t in worked.values()), worked


def test_a_rate_limit_counts_the_requests_of_every_worker(world: World) -> None:
    member, _ = world.member(world.tokens[world.sides[0]])
    url = f"{world.url}/api/rounds/{world.round_id}/statements"

    def write(i: int) -> int:
        with httpx.Client(timeout=120, headers=member) as client:
            return client.post(
                url, json={"text": f"The river feeds village number {i}."}
            ).status_code

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(write, range(8)))
    assert sorted(answers) == [201] * 5 + [429] * 3  # five a minute for one participant


def test_a_vote_through_one_worker_reaches_a_stream_on_another(world: World) -> None:
    author, _ = world.member(world.tokens[world.sides[0]])
    voter, _ = world.member(world.tokens[world.sides[1]])
    written = httpx.post(
        f"{world.url}/api/rounds/{world.round_id}/statements",
        json={"text": "We fish where our parents fished."},
        headers=author,
        timeout=120,
    )
    assert written.status_code == 201, written.text
    sid = written.json()["statement_id"]
    with httpx.stream(
        "GET", f"{world.url}/rounds/{world.round_id}/events", headers=world.owner, timeout=60
    ) as stream:
        assert stream.status_code == 200
        lines = stream.iter_lines()
        first = next(line for line in lines if line.startswith("data: "))
        # several votes on new connections: whichever workers take them, the stream hears
        for _ in range(3):
            with httpx.Client(timeout=60, headers=voter) as client:
                assert (
                    client.post(
                        f"{world.url}/api/statements/{sid}/votes", json={"value": 1}
                    ).status_code
                    == 201
                )
        change = next(line for line in lines if line.startswith("data: "))
        assert int(change[6:]) > int(first[6:])


def test_stopping_the_server_stops_every_worker(world: World) -> None:
    server = world.server
    children = [pid for pid, _ in _children(server.process.pid)]
    assert len(web_workers(server)) == WORKERS and len(children) > WORKERS  # and a job worker
    server.process.send_signal(signal.SIGTERM)
    server.process.wait(timeout=60)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in children):
        time.sleep(0.2)
    alive = [pid for pid in children if Path(f"/proc/{pid}").exists()]
    assert not alive, f"still running after the server stopped: {alive}"


def test_sqlite_says_it_serves_from_one_worker(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = make_database("sqlite", request, tmp_path)
    server = start_server(url, tmp_path, "--workers", "3")
    try:
        assert httpx.get(server.url + "/healthz", timeout=30).status_code == 200
        log = server.log.read_text()
        assert "SQLite serves from one process: starting 1 web worker, not 3" in log
        assert web_workers(server) == []  # one process answers, no supervisor's children
    finally:
        stop_server(server)
