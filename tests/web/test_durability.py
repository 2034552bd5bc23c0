"""Every vote the server acknowledged survives a SIGKILL of the server in the middle of a load.

The server is a real ``alteram serve`` process (one worker, so the process is the server).
Several clients vote concurrently; the server is killed with SIGKILL while they do; every
vote id answered with 201 before the kill must then be in the database, with its statement,
participant, value and prediction, and the restarted server must serve and take votes again.

On PostgreSQL the throw-away test cluster runs with ``fsync=off``. That does not weaken this
test: killing the alteram process (not the machine) leaves PostgreSQL running, and whatever
it committed is in its shared buffers and the OS page cache either way. What is tested is
that alteram commits a vote before it answers 201, not that the disk keeps its promises
(``benchmarks/http_votes.py`` runs PostgreSQL with fsync on).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import sqlalchemy as sa

from alteram.store.database import Store
from alteram.store.schema import Prediction, Vote
from tests.faults.harness import seed_round
from tests.web.conftest import start_server, stop_server

CLIENTS = 6
VOTERS_PER_CLIENT = 4
STATEMENTS = 6
MIN_ACKED = 40  # kill once at least this many votes were acknowledged ...
MIN_LOAD_SECONDS = 1.5  # ... and the load ran at least this long
MAX_LOAD_SECONDS = 25


@dataclass(frozen=True)
class Acked:
    vote_id: int
    statement_id: int
    participant_id: int
    value: int
    other_side: int
    share: int


@dataclass
class Load:
    acked: list[Acked] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # non-201 answers before the kill
    cut_off: int = 0  # requests that failed because the server went away
    killed: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _join(url: str, tokens: dict[int, str], n: int) -> list[tuple[int, int, str]]:
    """``n`` participants join through the API: (participant id, side id, session token)."""
    sides = list(tokens)
    voters = []
    with httpx.Client(base_url=url, timeout=30) as client:
        for i in range(n):
            r = client.post(
                "/api/join", json={"token": tokens[sides[i % 2]], "display_name": f"v{i}"}
            )
            assert r.status_code == 201, r.text
            body = r.json()
            voters.append((body["participant_id"], body["side_id"], body["session_token"]))
    return voters


def _client(
    load: Load,
    c: int,
    url: str,
    voters: list[tuple[int, int, str]],
    sides: list[int],
    statements: list[int],
) -> threading.Thread:
    """A client thread that votes until the server goes away (or ``load.stop``)."""

    def run() -> None:
        mine = voters[c::CLIENTS]
        with httpx.Client(base_url=url, timeout=30) as client:
            i = 0
            while not load.stop.is_set():
                pid, side, token = mine[i % len(mine)]
                sid = statements[(i + c) % len(statements)]
                value = (-1, 0, 1)[(i + c) % 3]
                other = next(s for s in sides if s != side)
                share = (i * 7 + c) % 101
                i += 1
                try:
                    r = client.post(
                        f"/api/statements/{sid}/votes",
                        json={"value": value, "predictions": {str(other): share}},
                        headers={"Authorization": f"Bearer {token}"},
                    )
                except httpx.TransportError:
                    if load.killed.is_set():
                        with load.lock:
                            load.cut_off += 1
                        return
                    time.sleep(0.05)  # a hiccup before the kill: try again
                    continue
                with load.lock:
                    if r.status_code == 201:
                        load.acked.append(Acked(r.json()["vote_id"], sid, pid, value, other, share))
                    elif not load.killed.is_set():
                        load.refused.append(f"{r.status_code} {r.text[:200]}")

    return threading.Thread(target=run, name=f"voter-{c}", daemon=True)


def test_acknowledged_votes_survive_sigkill(database_url: str, tmp_path: Path) -> None:
    load = Load()
    seeded = seed_round(database_url, STATEMENTS)
    tokens, statements = seeded.tokens, seeded.statements
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()

    # A load from one address: the rate limits are off, as for any load test on loopback.
    unlimited = {"ALTERAM_RATE_LIMITS": "off"}
    server = start_server(database_url, first, env=unlimited)
    try:
        voters = _join(server.url, tokens, CLIENTS * VOTERS_PER_CLIENT)
        threads = [
            _client(load, c, server.url, voters, list(tokens), statements) for c in range(CLIENTS)
        ]
        started = time.monotonic()
        for t in threads:
            t.start()
        while True:
            time.sleep(0.05)
            elapsed = time.monotonic() - started
            with load.lock:
                n = len(load.acked)
            if (n >= MIN_ACKED and elapsed >= MIN_LOAD_SECONDS) or elapsed > MAX_LOAD_SECONDS:
                break
        # The clients are still voting: kill the server mid-load, without any chance to clean up.
        load.killed.set()
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=10)
        with load.lock:
            acked = list(load.acked)  # every 201 received so far came before the kill
        for t in threads:
            t.join(timeout=35)
        load.stop.set()
        print(
            f"{len(acked)} votes acknowledged in {elapsed:.1f} s of load before the kill, "
            f"{load.cut_off} requests cut off; clients stopped "
            f"{time.monotonic() - started - elapsed:.1f} s after the kill"
        )
    finally:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait()

    assert not load.refused, f"votes refused during the load: {load.refused[:5]}"
    assert len(acked) >= MIN_ACKED, (
        f"only {len(acked)} votes acknowledged in {MAX_LOAD_SECONDS} s; "
        f"server log:\n{server.log.read_text()[-3000:]}"
    )
    assert load.cut_off >= 1, "no request was in flight when the server was killed"
    assert len({a.vote_id for a in acked}) == len(acked)
    # Anything acknowledged after we took the list (in flight at the kill) must also be there.
    seen = {a.vote_id for a in acked}
    late = [a for a in load.acked if a.vote_id not in seen]

    # Restart on the same database: recovery (SQLite's WAL, PostgreSQL's session cleanup).
    server = start_server(database_url, second, env=unlimited)
    try:
        store = Store(database_url)
        try:
            with store.read() as session:
                wanted = [a.vote_id for a in acked + late]
                rows = {
                    r.id: r
                    for r in session.execute(
                        sa.select(
                            Vote.id, Vote.statement_id, Vote.participant_id, Vote.value
                        ).where(Vote.id.in_(wanted))
                    )
                }
                predictions = {
                    (p.vote_id, p.target_side_id): p.share
                    for p in session.execute(
                        sa.select(
                            Prediction.vote_id, Prediction.target_side_id, Prediction.share
                        ).where(Prediction.vote_id.in_(wanted))
                    )
                }
                if store.dialect == "sqlite":
                    check = session.execute(sa.text("PRAGMA integrity_check")).scalar()
                    assert check == "ok", check
        finally:
            store.dispose()
        missing = [a for a in acked + late if a.vote_id not in rows]
        assert not missing, f"{len(missing)} of {len(acked)} acknowledged votes lost: {missing[:5]}"
        for a in acked + late:
            row = rows[a.vote_id]
            assert (row.statement_id, row.participant_id, row.value) == (
                a.statement_id,
                a.participant_id,
                a.value,
            ), f"vote {a.vote_id} stored as {tuple(row)}, acknowledged as {a}"
            assert predictions.get((a.vote_id, a.other_side)) == a.share, a

        # The database is healthy: the server serves pages and the API, and takes a new vote.
        assert httpx.get(server.url + "/healthz", timeout=10).status_code == 200
        assert httpx.get(server.url + "/api/dialogues", timeout=10).status_code == 200
        _, side, token = voters[0]
        other = next(s for s in tokens if s != side)
        r = httpx.post(
            f"{server.url}/api/statements/{statements[0]}/votes",
            json={"value": 1, "predictions": {str(other): 42}},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert r.status_code == 201, r.text
        new_id = r.json()["vote_id"]
        assert new_id not in rows
        # A fresh participant can still join the open round.
        assert _join(server.url, tokens, 1)
    finally:
        stop_server(server)
    store = Store(database_url)
    try:
        with store.read() as session:
            vote = session.get(Vote, new_id)
            assert vote is not None and vote.statement_id == statements[0]
            assert (
                session.scalar(
                    sa.select(sa.func.count(Vote.id)).where(Vote.statement_id.in_(statements))
                )
                >= len(acked) + len(late) + 1
            )
    finally:
        store.dispose()
