"""Vote throughput and latency over HTTP against the raw insert rate, on SQLite and PostgreSQL.

For each store kind, each measure on a fresh database:

* ``record_vote``: the service layer in a loop in this process, one transaction per vote,
  with a prediction of the other side (the same work as the HTTP route minus HTTP);
* ``plain insert``: SQLAlchemy Core single-row ``INSERT INTO votes`` committed one by one;
* ``http``: a dialogue with one open round and 30 accepted statements; ``--clients`` x
  ``--voters-per-client`` participants join through ``POST /api/join``; ``alteram serve``
  (one worker) takes ``POST /api/statements/{id}/votes`` (with a prediction) from
  ``--clients`` concurrent httpx clients (asyncio): first ``--paced`` votes/s spread over the
  clients for ``--paced-duration`` s (latency at a human pace), then a closed loop for
  ``--duration`` s (each client votes again as soon as answered: capacity). Each client
  cycles over its own participants (so the limit of 120 votes per participant and minute is
  not what is measured) and over the statements. Reported: acknowledged (201) votes/s, p50
  and p99 latency of acknowledged votes, other answers, server CPU per vote, and the
  analyses the route's background task stored;
* ``http, analysis off``: the same with the round's ``analysis_every`` set out of reach, so
  the background re-analysis never runs (a diagnosis, not a product setting);
* ``http, --workers 2`` (PostgreSQL): two uvicorn worker processes;
* a breakdown of the route's steps run in this process (time and SQL statements per call).

Durability settings are the product's: SQLite in WAL mode with ``synchronous=FULL``;
PostgreSQL with ``fsync=on`` and ``synchronous_commit=on`` (the defaults). Unless
``--postgres URL`` (or ``$ALTERAM_BENCH_POSTGRES``) names a server, a throw-away PostgreSQL
cluster is initialised under /var/tmp (the same disk as the SQLite files) and removed at the
end. Everything listens on 127.0.0.1 only.

Run: ``.venv/bin/python benchmarks/http_votes.py`` (about 5 minutes; ``--backends sqlite``,
``--no-diagnosis``, ``--no-workers2`` or ``--quick`` for less).
"""

from __future__ import annotations

import argparse
import asyncio
import glob
import itertools
import os
import platform
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import sqlalchemy as sa

from alteram.service.accounts import resolve, start_session
from alteram.service.analyses import analyze_if_due
from alteram.service.dialogues import create_dialogue
from alteram.service.participation import add_statement, admit, moderate_statement, record_vote
from alteram.service.rounds import create_round, open_round
from alteram.store.database import Store
from alteram.store.migrate import upgrade
from alteram.store.schema import Analysis, Round, Statement, Vote

N_STATEMENTS = 30
HOST = "127.0.0.1"
TICK = os.sysconf("SC_CLK_TCK")


# -- processes ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def process_tree(root: int) -> list[int]:
    """``root`` and its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            text = Path(stat).read_text()
        except OSError:
            continue
        fields = text.rsplit(")", 1)[1].split()
        children.setdefault(int(fields[1]), []).append(int(text.split()[0]))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def cpu_seconds(root: int | None) -> float:
    """User + system CPU time of ``root`` and its live descendants."""
    if root is None:
        return 0.0
    total = 0
    for pid in process_tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICK


def as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@dataclass
class Postgres:
    """A PostgreSQL server: a URL prefix (no database name) and its postmaster pid."""

    prefix: str
    postmaster: int | None
    description: str

    def admin(self, sql: str) -> None:
        engine = sa.create_engine(self.prefix + "postgres", isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql(sql)
        finally:
            engine.dispose()

    def settings(self) -> str:
        engine = sa.create_engine(self.prefix + "postgres")
        try:
            with engine.connect() as conn:
                rows = conn.exec_driver_sql(
                    "SELECT name, setting FROM pg_settings WHERE name IN "
                    "('fsync', 'synchronous_commit', 'wal_sync_method', 'server_version', "
                    "'max_connections', 'shared_buffers') ORDER BY name"
                ).all()
        finally:
            engine.dispose()
        return ", ".join(f"{n}={v}" for n, v in rows)


@contextmanager
def postgres(url: str | None, workdir: Path) -> Iterator[Postgres | None]:
    """The server named by ``url``, else a throw-away cluster with fsync on; None if neither."""
    if url:
        yield Postgres(url.rstrip("/") + "/", None, f"existing server {url}")
        return
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not bins:
        print("PostgreSQL binaries not found (apt-get install postgresql): skipping PostgreSQL.")
        yield None
        return
    bindir = Path(bins[-1]).parent
    datadir = workdir / "pgdata"
    datadir.mkdir()
    if os.geteuid() == 0:
        shutil.chown(datadir, "postgres", "postgres")
        shutil.chown(workdir, "postgres", "postgres")
    port = free_port()
    subprocess.run(
        as_postgres([str(bindir / "initdb"), "-D", str(datadir), "-U", "postgres", "--auth=trust"]),
        check=True,
        capture_output=True,
    )
    # fsync and synchronous_commit stay at their defaults (on): durability is what we measure.
    subprocess.run(
        as_postgres(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(datadir),
                "-l",
                str(datadir / "log"),
                "-o",
                f"-c listen_addresses={HOST} -p {port} -k /tmp -c max_connections=200",
                "-w",
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    postmaster = int((datadir / "postmaster.pid").read_text().split()[0])
    try:
        yield Postgres(
            f"postgresql+psycopg://postgres@{HOST}:{port}/",
            postmaster,
            f"throw-away cluster ({bindir.parent.name}) in {datadir}",
        )
    finally:
        subprocess.run(
            as_postgres([str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "fast", "stop"]),
            capture_output=True,
        )


# -- the dialogue ---------------------------------------------------------------------------


@dataclass
class Setup:
    url: str
    dialogue_id: int
    round_id: int
    tokens: dict[int, str]  # side id -> invite token
    statements: list[int]


_names = itertools.count()


def new_database(kind: str, workdir: Path, pg: Postgres | None) -> str:
    """A fresh migrated database; returns its URL."""
    name = f"bench_{os.getpid()}_{next(_names)}"
    if kind == "sqlite":
        url = f"sqlite+pysqlite:///{workdir / name}.db"
    else:
        assert pg is not None
        pg.admin(f"CREATE DATABASE {name}")
        url = pg.prefix + name
    store = Store(url)
    upgrade(store)
    store.dispose()
    return url


def set_up(
    url: str, *, analysis_every: int | None = None, n_statements: int = N_STATEMENTS
) -> Setup:
    """A dialogue of two sides, one open round, ``n_statements`` accepted statements (30)."""
    store = Store(url)
    try:
        created = create_dialogue(
            store, title="Benchmark", charter="Votes per second.", sides=["A", "B"]
        )
        round_id = create_round(store, dialogue_id=created.dialogue_id, topics=["Load"])
        open_round(store, round_id=round_id)
        if analysis_every is not None:
            with store.write() as session:
                rnd = session.get(Round, round_id)
                assert rnd is not None
                rnd.analysis_every = analysis_every
        statements = []
        sides = list(created.side_ids)
        for i in range(n_statements):
            side = sides[i % len(sides)]
            author = admit(store, token=created.invite_tokens[side], display_name=f"author {i}")
            sid = add_statement(
                store,
                participant_id=author.participant_id,
                round_id=round_id,
                text=f"Statement number {i}: we should listen before we answer.",
                read_move=False,
            )
            moderate_statement(store, statement_id=sid, accept=True)
            statements.append(sid)
        return Setup(url, created.dialogue_id, round_id, dict(created.invite_tokens), statements)
    finally:
        store.dispose()


# -- the server -----------------------------------------------------------------------------


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path


def start_server(
    database_url: str, workdir: Path, workers: int, settings: dict[str, str] | None = None
) -> Server:
    """``alteram serve`` on a free port; ``settings`` adds ``ALTERAM_*`` variables."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALTERAM_")}
    env.update(ALTERAM_DATABASE_URL=database_url, ALTERAM_DATA_DIR=str(workdir))
    # A load test on loopback: development key, and no rate limits (all clients share 127.0.0.1).
    env.update(ALTERAM_DEV="1", ALTERAM_RATE_LIMITS="off", **(settings or {}))
    log = workdir / f"server-{port}.log"
    cmd = [sys.executable, "-m", "alteram", "serve", "--host", HOST, "--port", str(port)]
    cmd += ["--workers", str(workers)]
    with log.open("wb") as out:
        process = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://{HOST}:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return Server(url, process, log)
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"server did not start: {log.read_text()[-2000:]}")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


# -- measurements ---------------------------------------------------------------------------


@dataclass
class Row:
    store: str
    path: str
    seconds: float
    ok: int
    latencies: list[float] = field(default_factory=list)  # of acknowledged votes, seconds
    errors: Counter[str] = field(default_factory=Counter)
    cpu: dict[str, float] = field(default_factory=dict)  # who -> CPU seconds
    server_errors: Counter[str] = field(default_factory=Counter)  # from the server's log
    analyses: list[int] = field(default_factory=list)  # n_votes of each stored analysis

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


@dataclass
class Voter:
    participant_id: int
    side_id: int
    token: str


async def join_all(url: str, setup: Setup, n: int, concurrency: int) -> list[Voter]:
    """``n`` participants join through the API, alternating sides."""
    sides = list(setup.tokens)
    sem = asyncio.Semaphore(concurrency)

    async def one(client: httpx.AsyncClient, i: int) -> Voter:
        async with sem:
            for attempt in range(3):  # a keep-alive connection the server just closed
                try:
                    r = await client.post(
                        "/api/join",
                        json={
                            "token": setup.tokens[sides[i % len(sides)]],
                            "display_name": f"v{i}",
                        },
                    )
                    break
                except httpx.TransportError:
                    if attempt == 2:
                        raise
            r.raise_for_status()
            body = r.json()
            return Voter(body["participant_id"], body["side_id"], body["session_token"])

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as client:
        return list(await asyncio.gather(*(one(client, i) for i in range(n))))


async def vote_load(
    url: str,
    setup: Setup,
    voters: list[Voter],
    clients: int,
    duration: float,
    row: Row,
    rate: float | None = None,
) -> None:
    """``clients`` concurrent clients vote for ``duration`` seconds.

    Without ``rate`` each client sends its next vote as soon as the last is answered (closed
    loop: the server's capacity); with ``rate`` the clients together offer ``rate`` votes/s,
    evenly spaced, and latency is measured below saturation.
    """
    interval = clients / rate if rate else 0.0
    other = {s: next(o for o in setup.tokens if o != s) for s in setup.tokens}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:
        deadline = time.perf_counter() + duration

        async def one_client(c: int) -> None:
            rng = random.Random(c)
            mine = voters[c::clients]
            statements = setup.statements[:]
            rng.shuffle(statements)
            begin = time.perf_counter() + interval * c / clients
            for i in itertools.count():
                if interval:
                    await asyncio.sleep(max(0.0, begin + i * interval - time.perf_counter()))
                if time.perf_counter() >= deadline:
                    return
                who = mine[i % len(mine)]
                sid = statements[(i // len(mine) + i) % len(statements)]
                body = {
                    "value": rng.choice((-1, 0, 1)),
                    "predictions": {str(other[who.side_id]): rng.randint(0, 100)},
                }
                start = time.perf_counter()
                try:
                    r = await client.post(
                        f"/api/statements/{sid}/votes",
                        json=body,
                        headers={"Authorization": f"Bearer {who.token}"},
                    )
                except httpx.HTTPError as exc:
                    row.errors[type(exc).__name__] += 1
                    continue
                elapsed = time.perf_counter() - start
                if r.status_code == 201:
                    row.ok += 1
                    row.latencies.append(elapsed)
                else:
                    row.errors[str(r.status_code)] += 1

        await asyncio.gather(*(one_client(c) for c in range(clients)))


def run_http(
    kind: str,
    workdir: Path,
    pg: Postgres | None,
    *,
    clients: int,
    voters_per_client: int,
    duration: float,
    workers: int,
    analysis_every: int | None,
    label: str,
    paced: float = 0.0,
    paced_duration: float = 10.0,
) -> list[Row]:
    """A fresh database and server: a paced load of ``paced`` votes/s first (when > 0), then
    the closed-loop load that measures capacity."""
    url = new_database(kind, workdir, pg)
    setup = set_up(url, analysis_every=analysis_every)
    server = start_server(url, workdir, workers)
    row = Row(kind, label, duration, 0)
    paced_row: Row | None = None
    try:
        voters = asyncio.run(join_all(server.url, setup, clients * voters_per_client, clients))
        if paced:
            paced_row = Row(kind, f"{label}, paced {paced:g}/s", paced_duration, 0)
            c0 = cpu_seconds(server.process.pid), time.process_time()
            t0 = time.perf_counter()
            asyncio.run(
                vote_load(server.url, setup, voters, clients, paced_duration, paced_row, paced)
            )
            paced_row.seconds = min(time.perf_counter() - t0, paced_duration)  # offered window
            paced_row.cpu = {
                "server": cpu_seconds(server.process.pid) - c0[0],
                "client": time.process_time() - c0[1],
            }
        cpu0 = cpu_seconds(server.process.pid), time.process_time()
        t0 = time.perf_counter()
        asyncio.run(vote_load(server.url, setup, voters, clients, duration, row))
        row.seconds = time.perf_counter() - t0
        row.cpu = {
            "server": cpu_seconds(server.process.pid) - cpu0[0],
            "client": time.process_time() - cpu0[1],
        }
    finally:
        stop_server(server)
        row.server_errors = server_errors(server.log)
    check_count(url, row, paced_row)
    return [row] if paced_row is None else [paced_row, row]


def server_errors(log: Path) -> Counter[str]:
    """Exception lines (``module.Error: message``) in the server's log, counted."""
    pattern = re.compile(r"^[\w.]+(Error|Exception|Timeout|Exit)\b.*")
    found: Counter[str] = Counter()
    for line in log.read_text(errors="replace").splitlines():
        if pattern.match(line):
            found[line[:140]] += 1
    return found


def check_count(url: str, row: Row, paced: Row | None = None) -> None:
    """The votes table holds at least every acknowledged vote (more if the last were in flight).

    Also notes the analyses the vote route's background task stored during the run.
    """
    store = Store(url)
    try:
        with store.read() as session:
            n = session.scalar(sa.select(sa.func.count(Vote.id))) or 0
            runs = [r["n_votes"] for r in session.scalars(sa.select(Analysis.result))]
    finally:
        store.dispose()
    acked = row.ok + (paced.ok if paced else 0)
    if n < acked:
        row.errors["LOST"] += acked - n
    row.analyses = sorted(int(v) for v in runs)


def run_raw(kind: str, workdir: Path, pg: Postgres | None, duration: float) -> list[Row]:
    """``record_vote`` in a loop, then plain single-row inserts, on one fresh database."""
    url = new_database(kind, workdir, pg)
    setup = set_up(url)
    store = Store(url)
    rows = []
    try:
        sides = list(setup.tokens)
        voters = []
        for i in range(100):
            a = admit(store, token=setup.tokens[sides[i % 2]], display_name=f"r{i}")
            voters.append((a.participant_id, sides[(i + 1) % 2]))
        rng = random.Random(0)
        n_statements = len(setup.statements)
        for label in ("record_vote", "plain insert"):
            row = Row(kind, label, duration, 0)
            deadline = time.perf_counter() + duration
            cpu0 = time.process_time()
            t0 = time.perf_counter()
            i = 0
            while True:
                pid, other = voters[i % len(voters)]
                sid = setup.statements[(i // len(voters) + i) % n_statements]
                value = rng.choice((-1, 0, 1))
                start = time.perf_counter()
                if label == "record_vote":
                    record_vote(
                        store,
                        participant_id=pid,
                        statement_id=sid,
                        value=value,
                        predictions={other: rng.randint(0, 100)},
                    )
                else:
                    with store.engine.begin() as conn:
                        conn.execute(
                            sa.insert(Vote).values(
                                statement_id=sid,
                                participant_id=pid,
                                value=value,
                                created_at=datetime.now(UTC),
                            )
                        )
                end = time.perf_counter()
                row.latencies.append(end - start)
                row.ok += 1
                i += 1
                if end >= deadline:
                    break
            row.seconds = time.perf_counter() - t0
            row.cpu = {"server": time.process_time() - cpu0}  # this process is the server
            rows.append(row)
    finally:
        store.dispose()
    return rows


@dataclass
class Step:
    store: str
    name: str
    calls: int
    wall_ms: float
    cpu_ms: float
    statements: float  # SQL statements sent per call (BEGIN/COMMIT/ROLLBACK and pings included)


def breakdown(kind: str, workdir: Path, pg: Postgres | None, calls: int) -> list[Step]:
    """What the vote route does, step by step, in this process: time and SQL per call."""
    url = new_database(kind, workdir, pg)
    setup = set_up(url, analysis_every=10**9)  # the check, not the analysis itself
    store = Store(url)
    sent = [0]

    def count(*_: object) -> None:
        sent[0] += 1

    sa.event.listen(store.engine, "before_cursor_execute", count)  # SQLite's BEGIN included
    for event in ("commit", "rollback"):
        sa.event.listen(store.engine, event, count)
    if store.dialect == "postgresql":
        sa.event.listen(store.engine, "begin", count)  # psycopg sends BEGIN itself
        sa.event.listen(store.engine, "engine_connect", count)  # the pool's pre-ping
    steps: list[Step] = []
    try:
        sides = list(setup.tokens)
        voters = []
        for i in range(50):
            a = admit(store, token=setup.tokens[sides[i % 2]], display_name=f"b{i}")
            voters.append(
                (
                    a.participant_id,
                    sides[(i + 1) % 2],
                    start_session(store, participant_id=a.participant_id),
                )
            )
        rng = random.Random(1)

        def vote(i: int) -> None:
            pid, other, _ = voters[i % len(voters)]
            record_vote(
                store,
                participant_id=pid,
                statement_id=setup.statements[i % len(setup.statements)],
                value=rng.choice((-1, 0, 1)),
                predictions={other: rng.randint(0, 100)},
            )

        def round_of(i: int) -> None:
            with store.read() as session:
                st = session.get(Statement, setup.statements[i % len(setup.statements)])
                assert st is not None

        work = {
            "resolve (bearer session)": lambda i: resolve(store, voters[i % len(voters)][2]),
            "record_vote (the write)": vote,
            "statement -> round (read)": round_of,
            "analyze_if_due (not due)": lambda i: analyze_if_due(store, round_id=setup.round_id),
        }
        for name, fn in work.items():
            for i in range(5):
                fn(i)
            sent[0] = 0
            c0, t0 = time.process_time(), time.perf_counter()
            for i in range(calls):
                fn(i)
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
            steps.append(
                Step(kind, name, calls, wall / calls * 1000, cpu / calls * 1000, sent[0] / calls)
            )
    finally:
        store.dispose()
    return steps


def steps_table(steps: list[Step]) -> str:
    lines = [
        "| store | step of POST /votes | wall ms | CPU ms | SQL statements |",
        "|---|---|---|---|---|",
    ]
    for st in steps:
        lines.append(
            f"| {st.store} | {st.name} | {st.wall_ms:.2f} | {st.cpu_ms:.2f} | {st.statements:.1f} |"
        )
    return "\n".join(lines)


# -- report ---------------------------------------------------------------------------------


def table(rows: list[Row]) -> str:
    raw = {r.store: r.rate for r in rows if r.path == "record_vote"}
    plain = {r.store: r.rate for r in rows if r.path == "plain insert"}
    lines = [
        "| store | path | votes/s | p50 ms | p99 ms | acked | errors | HTTP/record_vote "
        "| HTTP/plain | CPU ms per vote: server (client) |",
        "|" + "---|" * 10,
    ]
    for r in rows:
        errors = ", ".join(f"{k}: {v}" for k, v in sorted(r.errors.items())) or "0"
        per = 1000 / max(r.ok, 1)
        cpu = f"{r.cpu.get('server', 0) * per:.1f}"
        if r.path.startswith("http"):
            cpu += f" ({r.cpu.get('client', 0) * per:.1f})"
        if r.path.startswith("http") and "paced" not in r.path:
            ratio = f"{r.rate / raw[r.store]:.0%}" if raw.get(r.store) else "-"
            ratio_plain = f"{r.rate / plain[r.store]:.0%}" if plain.get(r.store) else "-"
        else:
            ratio = ratio_plain = "-"
        lines.append(
            f"| {r.store} | {r.path} | {r.rate:.0f} | {r.pct(0.5):.1f} | {r.pct(0.99):.1f} "
            f"| {r.ok} | {errors} | {ratio} | {ratio_plain} | {cpu} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=12, help="seconds of HTTP load")
    parser.add_argument(
        "--paced",
        type=float,
        default=0,
        help="votes/s offered first; 0 (default): 25%% of this run's record_vote rate, the goal",
    )
    parser.add_argument("--paced-duration", type=float, default=8)
    parser.add_argument("--raw-duration", type=float, default=6, help="seconds per raw loop")
    parser.add_argument("--steps", type=int, default=150, help="calls per breakdown step")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--voters-per-client", type=int, default=2)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("ALTERAM_BENCH_POSTGRES"),
        help="URL prefix of an existing PostgreSQL server (no database name); "
        "default: a throw-away cluster with fsync on",
    )
    parser.add_argument("--no-diagnosis", action="store_true", help="skip 'analysis off' runs")
    parser.add_argument("--no-workers2", action="store_true", help="skip --workers 2 on PG")
    parser.add_argument("--quick", action="store_true", help="short runs, for a smoke test")
    args = parser.parse_args()
    if args.quick:
        args.duration, args.paced_duration, args.raw_duration, args.steps = 4.0, 3.0, 2.0, 30
    kinds = [k.strip() for k in args.backends.split(",") if k.strip()]
    started = time.perf_counter()
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}, Python {platform.python_version()}; "
        f"{args.clients} clients x {args.voters_per_client} participants, {N_STATEMENTS} "
        f"statements; HTTP: {args.paced_duration:g} s paced at "
        f"{args.paced or '25% of record_vote'} votes/s, then "
        f"{args.duration:g} s closed loop; {args.raw_duration:g} s per raw loop"
    )
    rows: list[Row] = []
    steps: list[Step] = []
    workdir = Path(tempfile.mkdtemp(prefix="alteram-bench-", dir="/var/tmp"))
    try:
        with postgres(args.postgres if "postgres" in kinds else None, workdir) as pg:
            if pg is not None and "postgres" in kinds:
                print(f"PostgreSQL: {pg.description}; {pg.settings()}")
            for kind in kinds:
                if kind == "postgres" and pg is None:
                    continue
                pace = args.paced
                for row in run_raw(kind, workdir, pg, args.raw_duration):
                    rows.append(row)
                    print(f"  {kind:8} {row.path:32} {row.rate:7.0f} votes/s", flush=True)
                    if row.path == "record_vote" and not args.paced:
                        pace = round(0.25 * row.rate)  # the goal: 25% of the raw rate
                variants: list[tuple[str, int, int | None, float]] = [("http", 1, None, pace)]
                if not args.no_diagnosis:
                    variants.append(("http, analysis off", 1, 10**9, pace))
                if kind == "postgres" and not args.no_workers2:
                    variants.append(("http, --workers 2", 2, None, 0.0))
                for label, workers, every, paced in variants:
                    for row in run_http(
                        kind,
                        workdir,
                        pg,
                        clients=args.clients,
                        voters_per_client=args.voters_per_client,
                        duration=args.duration,
                        workers=workers,
                        analysis_every=every,
                        label=label,
                        paced=paced,
                        paced_duration=args.paced_duration,
                    ):
                        rows.append(row)
                        print(
                            f"  {kind:8} {row.path:32} {row.rate:7.0f} votes/s  "
                            f"p50 {row.pct(0.5):.0f} ms  p99 {row.pct(0.99):.0f} ms",
                            flush=True,
                        )
                if args.steps:
                    steps += breakdown(kind, workdir, pg, args.steps)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(table(rows))
    print()
    if steps:
        print(steps_table(steps))
        print()
    goal = []
    for r in rows:
        if "paced" in r.path:
            goal.append(
                f"{r.store} {r.path}: p99 {r.pct(0.99):.0f} ms at a pace the server can take "
                f"-> p99 {'met' if r.pct(0.99) < 100 else 'MISSED'}"
            )
        if r.path in ("http", "http, --workers 2"):
            raw = next(x.rate for x in rows if x.store == r.store and x.path == "record_vote")
            met = r.rate >= 0.25 * raw and r.pct(0.99) < 100 and not r.errors
            goal.append(
                f"{r.store} {r.path}: {r.rate / raw:.0%} of record_vote, p99 "
                f"{r.pct(0.99):.0f} ms -> {'goal met' if met else 'goal MISSED'}"
            )
    for r in rows:
        if r.analyses:
            shown = ", ".join(map(str, r.analyses[:12])) + (" ..." if len(r.analyses) > 12 else "")
            print(
                f"analyses stored, {r.store} {r.path}: {len(r.analyses)} "
                f"(votes seen by each: {shown})"
            )
        for line, n in r.server_errors.most_common(5):
            print(f"server log, {r.store} {r.path}: {n} x {line}")
    print("Goal (HTTP >= 25% of the raw rate, p99 < 100 ms, no errors):")
    print("\n".join("  " + g for g in goal))
    print(f"\nwhole run: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
