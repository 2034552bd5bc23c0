"""Pieces shared by the fault tests (tests/faults) and their long runs (benchmarks/faults).

* :class:`Cluster`: a throw-away PostgreSQL cluster of one's own, on a free loopback port,
  that a fault may stop and start again (the session's shared test server is never touched);
* :func:`seed_round`, :func:`join`: a dialogue with one open round and accepted statements,
  and participants who joined through the API;
* :class:`VoteLoad`: client threads that vote as a person's browser would, retrying a vote
  the server did not acknowledge (a connection cut, a 503) until it is acknowledged;
* :func:`count_stored`: of the acknowledged votes, how many the database holds as
  acknowledged, and which are lost.

Everything listens on and talks to 127.0.0.1 only.
"""

from __future__ import annotations

import collections
import glob
import os
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import sqlalchemy as sa

from alteram.service.dialogues import create_dialogue
from alteram.service.participation import add_statement, admit, moderate_statement
from alteram.service.rounds import create_round, open_round
from alteram.store.database import Store
from alteram.store.migrate import upgrade
from alteram.store.schema import Prediction, Vote

UNLIMITED = {"ALTERAM_RATE_LIMITS": "off"}  # a load from one address, on loopback


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


class Cluster:
    """A PostgreSQL cluster of its own in ``root`` (created), on a free loopback port.

    ``fsync`` off suits tests (a killed process, not a crashed machine, is what they
    simulate); the long runs keep PostgreSQL's default (on).
    """

    def __init__(self, root: Path | None = None, *, fsync: bool = False) -> None:
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not bins:
            raise FileNotFoundError("no initdb under /usr/lib/postgresql")
        self.bindir = Path(bins[-1]).parent
        self.datadir = Path(tempfile.mkdtemp(prefix="alteram-fault-pg-", dir=root))
        if os.geteuid() == 0:
            shutil.chown(self.datadir, "postgres", "postgres")
        self.port = _free_port()
        self.fsync = fsync
        self._run("initdb", "-D", str(self.datadir), "-U", "postgres", "--auth=trust", "--no-sync")
        self.start()

    @property
    def server(self) -> str:
        """The URL prefix (no database name)."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/"

    def _run(self, tool: str, *args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            _as_postgres([str(self.bindir / tool), *args]),
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k /tmp"
        if not self.fsync:
            options += " -c fsync=off"
        log = str(self.datadir / "log")
        self._run("pg_ctl", "-D", str(self.datadir), "-l", log, "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        """``pg_ctl stop -m fast`` (sessions terminated) or ``immediate`` (a crash)."""
        self._run("pg_ctl", "-D", str(self.datadir), "-m", mode, "-w", "stop")

    def create_database(self, name: str = "alteram") -> str:
        """A new migrated database; returns its URL."""
        engine = sa.create_engine(self.server + "postgres", isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql(f"CREATE DATABASE {name}")
        finally:
            engine.dispose()
        store = Store(self.server + name)
        try:
            upgrade(store)
        finally:
            store.dispose()
        return self.server + name

    def remove(self) -> None:
        stop = [str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate", "stop"]
        subprocess.run(
            _as_postgres(stop),
            capture_output=True,
            timeout=120,
        )
        shutil.rmtree(self.datadir, ignore_errors=True)


@dataclass(frozen=True)
class Seeded:
    tokens: dict[int, str]  # side id -> invite token
    statements: list[int]


def seed_round(database_url: str, statements: int = 6) -> Seeded:
    """A dialogue of two sides with one open round and ``statements`` accepted statements."""
    store = Store(database_url)
    try:
        created = create_dialogue(store, title="Faults", sides=["North", "South"])
        round_id = create_round(store, dialogue_id=created.dialogue_id, topics=["Load"])
        open_round(store, round_id=round_id)
        ids = []
        for i in range(statements):
            side = created.side_ids[i % 2]
            author = admit(store, token=created.invite_tokens[side], display_name=f"author {i}")
            sid = add_statement(
                store,
                participant_id=author.participant_id,
                round_id=round_id,
                text=f"Statement {i}: what we mean by fairness.",
                read_move=False,
            )
            moderate_statement(store, statement_id=sid, accept=True)
            ids.append(sid)
        return Seeded(dict(created.invite_tokens), ids)
    finally:
        store.dispose()


@dataclass(frozen=True)
class Voter:
    participant_id: int
    side_id: int
    token: str


def join(url: str, tokens: dict[int, str], n: int) -> list[Voter]:
    """``n`` participants join through ``POST /api/join``, alternating sides."""
    sides = list(tokens)
    voters = []
    with httpx.Client(base_url=url, timeout=60) as client:
        for i in range(n):
            joining = {"token": tokens[sides[i % 2]], "display_name": f"v{i}"}
            r = client.post("/api/join", json=joining)
            assert r.status_code == 201, r.text
            body = r.json()
            voters.append(Voter(body["participant_id"], body["side_id"], body["session_token"]))
    return voters


@dataclass(frozen=True)
class Acked:
    vote_id: int
    statement_id: int
    participant_id: int
    value: int
    other_side: int
    share: int


@dataclass
class VoteLoad:
    """``clients`` threads voting at ``url`` until :meth:`stop`; every vote is retried until
    it is acknowledged (201), as a person's browser would, after a connection error or a 503.

    The controller sets :attr:`phase` (e.g. "before", "down", "after"); answers are counted
    by phase and status: a 201 in the phase its vote was sent in (a vote committed just
    before the database stops may be answered just after), any other answer in the phase
    it came in. A 503 must have the error JSON shape; its body is kept.
    """

    url: str
    voters: list[Voter]
    statements: list[int]
    clients: int = 6
    phase: str = "before"
    acked: list[Acked] = field(default_factory=list)
    answers: dict[str, collections.Counter[str]] = field(
        default_factory=lambda: collections.defaultdict(collections.Counter)
    )
    samples: dict[str, str] = field(default_factory=dict)  # first body per phase and status
    retry_after: collections.Counter[str] = field(default_factory=collections.Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> None:
        sides = sorted({v.side_id for v in self.voters})
        for c in range(self.clients):
            t = threading.Thread(target=self._run, args=(c, sides), name=f"voter-{c}", daemon=True)
            t.start()
            self._threads.append(t)

    def stop(self, timeout: float = 60) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout)

    def set_phase(self, phase: str) -> None:
        with self.lock:
            self.phase = phase

    def count(self, phase: str | None = None, status: str = "201") -> int:
        with self.lock:
            if phase is None:
                return sum(c[status] for c in self.answers.values())
            return self.answers[phase][status]

    def wait(self, phase: str, n: int, status: str = "201", timeout: float = 120) -> None:
        """Wait until ``n`` answers of ``status`` came in ``phase``."""
        try:
            wait_until(lambda: self.count(phase, status) >= n, timeout, f"{n} {status} in {phase}")
        except AssertionError as exc:
            raise AssertionError(f"{exc}; answers {dict(self.answers)}, {self.samples}") from None

    def _note(self, status: str, body: str) -> str:
        with self.lock:
            phase = self.phase
            self.answers[phase][status] += 1
            self.samples.setdefault(f"{phase} {status}", body[:500])
        return phase

    def _run(self, c: int, sides: list[int]) -> None:
        mine = self.voters[c :: self.clients]
        with httpx.Client(base_url=self.url, timeout=30) as client:
            i = 0
            while not self._stop.is_set():
                voter = mine[i % len(mine)]
                sid = self.statements[(i + c) % len(self.statements)]
                value = (-1, 0, 1)[(i + c) % 3]
                other = next(s for s in sides if s != voter.side_id)
                share = (i * 7 + c) % 101
                i += 1
                while not self._stop.is_set():  # until this vote is acknowledged
                    with self.lock:  # an acknowledgement counts in the phase it was asked in
                        asked_in = self.phase
                    try:
                        r = client.post(
                            f"/api/statements/{sid}/votes",
                            json={"value": value, "predictions": {str(other): share}},
                            headers={"Authorization": f"Bearer {voter.token}"},
                        )
                    except httpx.TransportError as exc:
                        self._note("connection error", type(exc).__name__)
                        time.sleep(0.1)
                        continue
                    if r.status_code == 201:
                        vote_id = r.json()["vote_id"]
                        ack = Acked(vote_id, sid, voter.participant_id, value, other, share)
                        with self.lock:
                            self.acked.append(ack)
                            self.answers[asked_in]["201"] += 1
                        break
                    self._note(str(r.status_code), r.text)
                    if r.status_code == 503:
                        if "retry-after" in r.headers:
                            with self.lock:
                                self.retry_after[r.headers["retry-after"]] += 1
                        time.sleep(0.2)
                        continue
                    break  # anything else is not retried: the test reports it


def wait_until(check: object, timeout: float, what: str, interval: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


@dataclass(frozen=True)
class Tally:
    acknowledged: int
    stored: int
    lost: list[Acked]
    wrong: list[str]  # stored, but not as acknowledged

    def line(self) -> str:
        return f"acknowledged {self.acknowledged}, stored {self.stored}, lost {len(self.lost)}" + (
            f", stored wrongly {len(self.wrong)}" if self.wrong else ""
        )


def count_stored(database_url: str, acked: list[Acked]) -> Tally:
    """Which acknowledged votes the database holds, with their statement, participant,
    value and prediction as acknowledged."""
    store = Store(database_url)
    try:
        rows: dict[int, sa.Row[tuple[int, int, int, int]]] = {}
        predictions: dict[tuple[int, int], int] = {}
        wanted = [a.vote_id for a in acked]
        with store.read() as session:
            for lo in range(0, len(wanted), 5000):
                part = wanted[lo : lo + 5000]
                for r in session.execute(
                    sa.select(Vote.id, Vote.statement_id, Vote.participant_id, Vote.value).where(
                        Vote.id.in_(part)
                    )
                ):
                    rows[r.id] = r
                for p in session.execute(
                    sa.select(
                        Prediction.vote_id, Prediction.target_side_id, Prediction.share
                    ).where(Prediction.vote_id.in_(part))
                ):
                    predictions[(p.vote_id, p.target_side_id)] = p.share
    finally:
        store.dispose()
    lost = [a for a in acked if a.vote_id not in rows]
    wrong = []
    for a in acked:
        row = rows.get(a.vote_id)
        if row is None:
            continue
        if (row.statement_id, row.participant_id, row.value) != (
            a.statement_id,
            a.participant_id,
            a.value,
        ) or predictions.get((a.vote_id, a.other_side)) != a.share:
            wrong.append(f"vote {a.vote_id} stored as {tuple(row)}, acknowledged as {a}")
    return Tally(len(acked), len(rows), lost, wrong)
