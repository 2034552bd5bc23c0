"""Vote capacity under wrk: 100 connections, closed loop, against ``alteram serve``.

For each store kind (``--backends sqlite,postgres``), on a fresh database: a dialogue of two
sides with one open round and ``--statements`` accepted statements; ``--participants``
participants join through ``POST /api/join`` (before the measurement); then wrk (the compiled
load generator from Debian, ``/usr/bin/wrk``, so the client does not take the server's CPU)
keeps ``--connections`` connections busy for ``--duration`` s, each sending its next vote as
soon as the last is answered (closed loop). A Lua script (written to a temp file) rotates over
(participant token, statement) pairs, each thread over its own participants, and sends
``POST /api/statements/{id}/votes`` with a prediction of the other side. Only 201 counts as
acknowledged; every other answer and socket error is reported. The server runs with
``ALTERAM_RATE_LIMITS=off`` (all clients share 127.0.0.1; printed) and the product's
durability: SQLite WAL with ``synchronous=FULL``, PostgreSQL with fsync and synchronous_commit
on (a throw-away cluster unless ``--postgres``). The access log is on (the default setting)
unless ``--access-log off`` (or ``on,off``: a run of each) sets ``ALTERAM_ACCESS_LOG=off``.

Reported per run: acknowledged votes/s, p50/p99 latency (wrk's distribution), server CPU ms
per vote (from /proc, the server's process tree; on PostgreSQL also the postmaster's tree),
the votes stored against those acknowledged (>=: wrk may cut requests in flight at the end),
and, on the same database right after, the rate of bare single-row committed INSERTs (the
ratio HTTP / bare is the headline figure, comparable across runs on this noisy machine).
PostgreSQL runs each of ``--workers`` (e.g. 1,2,4) in the same run; SQLite stays at one.

"Next statement" (``GET /api/rounds/{id}/next``): latency per request at 1,000 stored votes
and again after bulk-loading the round up to ``--next-votes`` (10,000,000) votes (written
straight into the store with their per-side counters), and the ratio of the two.

Run: ``.venv/bin/python benchmarks/vote_load.py`` (``--duration 20``; ``--no-next`` to skip
the next-statement measure, ``--next-votes 1000000`` for a shorter one).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import platform
import random
import shutil
import subprocess
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import sqlalchemy as sa

import alteram
from alteram.service.accounts import start_session
from alteram.service.participation import admit
from alteram.store.database import Store
from alteram.store.schema import Participant, StatementSideCount, Vote
from http_votes import (
    Postgres,
    Setup,
    cpu_seconds,
    join_all,
    new_database,
    postgres,
    server_errors,
    set_up,
    start_server,
    stop_server,
)

WRK = "/usr/bin/wrk"

LUA = r"""
-- alteram vote load: each thread rotates over its own participants and all statements.
local voters = {%(voters)s}      -- {token, other side id}
local statements = {%(statements)s}
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  nthreads = tonumber(args[1])
  mine = {}
  for i = id + 1, #voters, nthreads do table.insert(mine, voters[i]) end
  i = 0
  ok = 0
  other = 0
  codes = {}
  math.randomseed(id + 1)
end

function request()
  local who = mine[(i %% #mine) + 1]
  local sid = statements[((math.floor(i / #mine) + i) %% #statements) + 1]
  i = i + 1
  local body = string.format('{"value": %%d, "predictions": {"%%d": %%d}}',
    math.random(-1, 1), who[2], math.random(0, 100))
  return wrk.format("POST", "/api/statements/" .. sid .. "/votes",
    {["Authorization"] = "Bearer " .. who[1], ["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if status == 201 then ok = ok + 1 else
    other = other + 1
    codes[status] = (codes[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local acked, others = 0, 0
  local all = {}
  for _, t in ipairs(threads) do
    acked = acked + t:get("ok")
    others = others + t:get("other")
    for code, n in pairs(t:get("codes")) do all[code] = (all[code] or 0) + n end
  end
  io.write(string.format("ALTERAM acked=%%d other=%%d requests=%%d duration_us=%%d\n",
    acked, others, summary.requests, summary.duration))
  for code, n in pairs(all) do io.write(string.format("ALTERAM status %%d=%%d\n", code, n)) end
  local e = summary.errors
  io.write(string.format("ALTERAM socket connect=%%d read=%%d write=%%d timeout=%%d\n",
    e.connect, e.read, e.write, e.timeout))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("ALTERAM p%%g=%%d\n", p, latency:percentile(p)))
  end
  io.write(string.format("ALTERAM max=%%d\n", latency.max))
end
"""


@dataclass
class Run:
    store: str
    workers: int
    access_log: str = "on"
    seconds: float = 0.0
    acked: int = 0
    other: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    percentiles: dict[str, float] = field(default_factory=dict)  # ms
    cpu_server: float = 0.0
    cpu_db: float = 0.0
    stored: int = 0
    bare_rate: float = 0.0
    log_errors: Counter[str] = field(default_factory=Counter)

    @property
    def rate(self) -> float:
        return self.acked / self.seconds if self.seconds else 0.0


def lua_script(setup: Setup, voters: list[tuple[str, int]]) -> str:
    return LUA % {
        "voters": ", ".join(f'{{"{t}", {o}}}' for t, o in voters),
        "statements": ", ".join(str(s) for s in setup.statements),
    }


def run_wrk(
    url: str, script: Path, connections: int, threads: int, duration: float, run: Run
) -> str:
    cmd = [WRK, "-t", str(threads), "-c", str(connections), "-d", f"{duration:g}s"]
    cmd += ["--timeout", "30s", "--latency", "-s", str(script), url, "--", str(threads)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=duration + 120)
    for line in out.stdout.splitlines():
        if not line.startswith("ALTERAM "):
            continue
        rest = line[len("ALTERAM ") :]
        if rest.startswith("acked="):
            fields = dict(kv.split("=") for kv in rest.split())
            run.acked, run.other = int(fields["acked"]), int(fields["other"])
            run.seconds = int(fields["duration_us"]) / 1e6
        elif rest.startswith("status "):
            code, n = rest[len("status ") :].split("=")
            run.statuses[code] += int(n)
        elif rest.startswith("socket "):
            for kv in rest[len("socket ") :].split():
                k, v = kv.split("=")
                if int(v):
                    run.statuses["socket " + k] += int(v)
        else:
            k, v = rest.split("=")
            run.percentiles[k] = int(v) / 1000
    return out.stdout


def bare_inserts(url: str, setup: Setup, participants: list[int], duration: float) -> float:
    """Single-row ``INSERT INTO votes`` committed one by one (SQLAlchemy Core), per second."""
    store = Store(url)
    rng = random.Random(0)
    n = 0
    try:
        deadline = time.perf_counter() + duration
        t0 = time.perf_counter()
        while time.perf_counter() < deadline:
            with store.engine.begin() as conn:
                conn.execute(
                    sa.insert(Vote).values(
                        statement_id=setup.statements[n % len(setup.statements)],
                        participant_id=participants[n % len(participants)],
                        value=rng.choice((-1, 0, 1)),
                        created_at=datetime.now(UTC),
                    )
                )
            n += 1
        return n / (time.perf_counter() - t0)
    finally:
        store.dispose()


def count_votes(url: str) -> int:
    store = Store(url)
    try:
        with store.read() as session:
            return int(session.scalar(sa.select(sa.func.count(Vote.id))) or 0)
    finally:
        store.dispose()


def load_run(
    kind: str,
    workdir: Path,
    pg: Postgres | None,
    *,
    workers: int,
    participants: int,
    statements: int,
    connections: int,
    threads: int,
    duration: float,
    bare_duration: float,
    analysis_every: int | None,
    access_log: str = "on",
) -> Run:
    url = new_database(kind, workdir, pg)
    setup = set_up(url, analysis_every=analysis_every, n_statements=statements)
    server = start_server(url, workdir, workers, {"ALTERAM_ACCESS_LOG": access_log})
    run = Run(kind, workers, access_log)
    try:
        joined = asyncio.run(join_all(server.url, setup, participants, 20))
        other = {s: next(o for o in setup.tokens if o != s) for s in setup.tokens}
        script = workdir / f"votes-{kind}-{workers}.lua"
        script.write_text(lua_script(setup, [(v.token, other[v.side_id]) for v in joined]))
        roots = [server.process.pid]
        c0 = [cpu_seconds(r) for r in roots]
        d0 = cpu_seconds(pg.postmaster) if kind == "postgres" and pg else 0.0
        run_wrk(server.url, script, connections, threads, duration, run)
        run.cpu_server = sum(cpu_seconds(r) for r in roots) - sum(c0)
        run.cpu_db = (cpu_seconds(pg.postmaster) if kind == "postgres" and pg else 0.0) - d0
    finally:
        stop_server(server)
        run.log_errors = server_errors(server.log)
    run.stored = count_votes(url)
    run.bare_rate = bare_inserts(url, setup, [v.participant_id for v in joined], bare_duration)
    return run


# -- next statement -------------------------------------------------------------------------


latest: dict[tuple[int, int], int] = {}  # (voter index, statement index) -> latest value


def bulk_votes(
    store: Store,
    setup: Setup,
    voters: list[tuple[int, int]],
    n: int,
    start: int,
    chunk: int = 200_000,
) -> None:
    """Append ``n`` votes of ``voters`` (participant id, side id) on the round's statements,
    straight into the store, and add them to the per-side counters routing reads.

    Vote ``k`` is by voter ``k % len(voters)`` on statement ``(k // len(voters)) % S``, so
    each voter's votes on a statement are spread over the run; every vote is the voter's
    latest at its time only when it is the last of its (voter, statement) pair, which the
    counters take into account (they count the latest vote of each pair, per side).
    """
    rng = random.Random(start)
    stmts = setup.statements
    if start == 0:
        latest.clear()
    base = datetime(2026, 1, 1)
    raw = store.engine.raw_connection()
    try:
        cur = raw.cursor()
        if store.dialect == "sqlite":  # a set-up load, not a measure: a big cache, no fsync
            cur.execute("PRAGMA cache_size=-400000")
            cur.execute("PRAGMA synchronous=OFF")
        else:
            cur.execute("SET synchronous_commit=off")
        done = 0
        while done < n:
            size = min(chunk, n - done)
            rows = []
            for k in range(start + done, start + done + size):
                pid = voters[k % len(voters)][0]
                sid = stmts[(k // len(voters)) % len(stmts)]
                at = base + timedelta(microseconds=k)
                value = rng.choice((-1, 0, 1))
                rows.append((sid, pid, value, at))
                latest[k % len(voters), (k // len(voters)) % len(stmts)] = value
            if store.dialect == "sqlite":
                cur.executemany(
                    "INSERT INTO votes (statement_id, participant_id, value, created_at) "
                    "VALUES (?, ?, ?, ?)",
                    [(a, b, c, d.isoformat(" ")) for a, b, c, d in rows],
                )
            else:
                with cur.copy(
                    "COPY votes (statement_id, participant_id, value, created_at) FROM STDIN"
                ) as copy:
                    for row in rows:
                        copy.write_row(row)
            raw.commit()
            done += size
        if store.dialect == "sqlite":
            cur.execute("PRAGMA synchronous=FULL")
    finally:
        raw.close()
    # The counters: the latest vote of each (participant, statement) of these voters, per side
    # (the round has no other votes), computed here rather than by aggregating the table.
    counts: Counter[tuple[int, int, int]] = Counter()
    for (v, s), value in latest.items():
        counts[stmts[s], voters[v][1], value] += 1
    with store.write() as session:
        session.execute(
            sa.delete(StatementSideCount).where(StatementSideCount.statement_id.in_(stmts))
        )
        session.execute(
            sa.insert(StatementSideCount),
            [
                {
                    "statement_id": sid,
                    "side_id": side,
                    "agree": counts[sid, side, 1],
                    "disagree": counts[sid, side, -1],
                    "passes": counts[sid, side, 0],
                }
                for sid in stmts
                for side in setup.tokens
            ],
        )


def add_voters(store: Store, setup: Setup, n: int) -> list[tuple[int, int]]:
    """``n`` participants, alternating sides, inserted in bulk; (id, side id) each."""
    sides = list(setup.tokens)
    rows = [
        {
            "dialogue_id": setup.dialogue_id,
            "side_id": sides[i % len(sides)],
            "role": "participant",
            "display_name": f"bulk {i}",
            "anonymous": False,
            "simulated": False,
            "translator": False,
        }
        for i in range(n)
    ]
    with store.write() as session:
        session.execute(sa.insert(Participant), rows)
    with store.read() as session:
        found = session.execute(
            sa.select(Participant.id, Participant.side_id).where(
                Participant.display_name.like("bulk %")
            )
        ).all()
    return [(int(a), int(b)) for a, b in found]


def time_next(url: str, token: str, round_id: int, requests: int) -> float:
    """Mean wall ms per ``GET /api/rounds/{id}/next`` (sequential, one keep-alive client)."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, timeout=120, headers=headers) as client:
        for _ in range(5):
            client.get(f"/api/rounds/{round_id}/next").raise_for_status()
        t0 = time.perf_counter()
        for _ in range(requests):
            r = client.get(f"/api/rounds/{round_id}/next")
            r.raise_for_status()
            assert r.json(), "the reader has statements to vote on"
        return (time.perf_counter() - t0) / requests * 1000


def next_statement(
    kind: str, workdir: Path, pg: Postgres | None, *, big: int, statements: int, requests: int
) -> tuple[float, float, float, int]:
    """ms per next-statement request at 1,000 and at ``big`` votes; seconds to load; votes."""
    url = new_database(kind, workdir, pg)
    setup = set_up(url, analysis_every=10**9, n_statements=statements)
    store = Store(url)
    try:
        voters = add_voters(store, setup, 5_000)
        me = admit(store, token=next(iter(setup.tokens.values())), display_name="reader")
        token = start_session(store, participant_id=me.participant_id)
        bulk_votes(store, setup, voters, 1000, 0)
    finally:
        store.dispose()
    server = start_server(url, workdir, 1)
    try:
        small_ms = time_next(server.url, token, setup.round_id, requests)
    finally:
        stop_server(server)
    store = Store(url)
    try:
        t0 = time.perf_counter()
        bulk_votes(store, setup, voters, big - 1000, 1000)
        load_s = time.perf_counter() - t0
        if kind == "postgres":
            with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.exec_driver_sql("ANALYZE")
    finally:
        store.dispose()
    stored = count_votes(url)
    server = start_server(url, workdir, 1)
    try:
        big_ms = time_next(server.url, token, setup.round_id, requests)
    finally:
        stop_server(server)
    return small_ms, big_ms, load_s, stored


# -- report ---------------------------------------------------------------------------------


def table(runs: list[Run]) -> str:
    lines = [
        "| store | workers | access log | votes/s | p50 ms | p99 ms | acked | stored | not 201 "
        "| server CPU ms/vote | DB CPU ms/vote | bare inserts/s | HTTP / bare |",
        "|" + "---|" * 13,
    ]
    for r in runs:
        per = 1000 / max(r.acked, 1)
        errors = ", ".join(f"{k}: {v}" for k, v in sorted(r.statuses.items())) or "0"
        db = f"{r.cpu_db * per:.2f}" if r.store == "postgres" else "-"
        lines.append(
            f"| {r.store} | {r.workers} | {r.access_log} | {r.rate:.0f} "
            f"| {r.percentiles.get('p50', 0):.1f} "
            f"| {r.percentiles.get('p99', 0):.1f} | {r.acked} | {r.stored} | {errors} "
            f"| {r.cpu_server * per:.2f} | {db} | {r.bare_rate:.0f} "
            f"| {r.rate / r.bare_rate if r.bare_rate else 0:.2f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=20, help="seconds of wrk load")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--workers", default="1", help="PostgreSQL worker counts, e.g. 1,2,4")
    parser.add_argument("--participants", type=int, default=400)
    parser.add_argument("--statements", type=int, default=50)
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--bare-duration", type=float, default=5)
    parser.add_argument(
        "--analysis",
        choices=("on", "off"),
        default="on",
        help="off: the round's analysis_every out of reach (no re-analysis in the server)",
    )
    parser.add_argument(
        "--access-log",
        default="on",
        help="ALTERAM_ACCESS_LOG of the server: on (the default setting), off, or on,off "
        "for a run of each",
    )
    parser.add_argument("--no-next", action="store_true", help="skip the next-statement measure")
    parser.add_argument("--no-load", action="store_true", help="only the next-statement measure")
    parser.add_argument("--next-votes", type=int, default=10_000_000)
    parser.add_argument("--next-requests", type=int, default=100)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("ALTERAM_BENCH_POSTGRES"),
        help="URL prefix of an existing PostgreSQL server (no database name)",
    )
    args = parser.parse_args()
    kinds = [k.strip() for k in args.backends.split(",") if k.strip()]
    worker_counts = [int(w) for w in args.workers.split(",") if w.strip()]
    access_logs = [a.strip() for a in args.access_log.split(",") if a.strip()]
    started = time.perf_counter()
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}, Python {platform.python_version()}; "
        f"wrk {args.connections} connections x {args.threads} threads, closed loop, "
        f"{args.duration:g} s; {args.participants} participants, {args.statements} statements; "
        f"server with ALTERAM_RATE_LIMITS=off (rate limits turned off for this loopback test) "
        f"and ALTERAM_ACCESS_LOG={args.access_log} (on: the default); "
        f"analysis {args.analysis}; alteram from {Path(alteram.__file__).parent}",
        flush=True,
    )
    runs: list[Run] = []
    nexts: list[tuple[str, float, float, float, int]] = []
    workdir = Path(tempfile.mkdtemp(prefix="alteram-load-", dir="/var/tmp"))
    try:
        with postgres(args.postgres if "postgres" in kinds else None, workdir) as pg:
            if pg is not None and "postgres" in kinds:
                print(f"PostgreSQL: {pg.description}; {pg.settings()}", flush=True)
            for kind in kinds:
                if kind == "postgres" and pg is None:
                    continue
                counts = [] if args.no_load else worker_counts if kind == "postgres" else [1]
                for workers, access_log in itertools.product(counts, access_logs):
                    run = load_run(
                        kind,
                        workdir,
                        pg,
                        workers=workers,
                        participants=args.participants,
                        statements=args.statements,
                        connections=args.connections,
                        threads=args.threads,
                        duration=args.duration,
                        bare_duration=args.bare_duration,
                        analysis_every=None if args.analysis == "on" else 10**9,
                        access_log=access_log,
                    )
                    runs.append(run)
                    print(
                        f"  {kind:8} workers {workers}, access log {access_log}: "
                        f"{run.rate:7.0f} votes/s, "
                        f"p99 {run.percentiles.get('p99', 0):.0f} ms, acked {run.acked}, "
                        f"stored {run.stored}, not 201: {dict(run.statuses) or 0}; "
                        f"bare inserts {run.bare_rate:.0f}/s",
                        flush=True,
                    )
                    for line, n in run.log_errors.most_common(3):
                        print(f"    server log: {n} x {line}")
                if not args.no_next:
                    small, big, load_s, stored = next_statement(
                        kind,
                        workdir,
                        pg,
                        big=args.next_votes,
                        statements=args.statements,
                        requests=args.next_requests,
                    )
                    nexts.append((kind, small, big, load_s, stored))
                    print(
                        f"  {kind:8} next statement: {small:.1f} ms at 1,000 votes, {big:.1f} ms "
                        f"at {stored:,} votes (loaded in {load_s:.0f} s)",
                        flush=True,
                    )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(table(runs))
    if nexts:
        print()
        print("| store | next statement ms at 1,000 votes | at N votes | N | ratio |")
        print("|---|---|---|---|---|")
        for kind, small, big, _, stored in nexts:
            print(f"| {kind} | {small:.1f} | {big:.1f} | {stored:,} | {big / small:.2f} |")
    print()
    goal = {"sqlite": 1000, "postgres": 600}
    for r in runs:
        met = (
            r.rate >= goal[r.store]
            and r.percentiles.get("p99", 1e9) <= 100
            and not r.statuses
            and r.stored >= r.acked
        )
        print(
            f"goal {r.store} workers {r.workers} access log {r.access_log}: "
            f">= {goal[r.store]} votes/s, p99 <= 100 ms, "
            f"0 errors -> {'met' if met else 'MISSED'} ({r.rate:.0f}/s, "
            f"{r.rate / goal[r.store]:.0%} of the goal)"
        )
    print(f"\nwhole run: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
