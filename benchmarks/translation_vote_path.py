"""Does a slow machine-translation backend slow down voting? Vote latency, backend on vs off.

Two runs in one process, each on a fresh SQLite database with the same dialogue (two sides,
one open round, 30 accepted statements) and ``alteram serve`` with one job worker:

* ``off``: machine translation off for the dialogue (the default);
* ``on``: machine translation on, the backend a LibreTranslate-speaking local server (the
  package's test double, a real HTTP server) that takes ``--delay`` seconds (2 s) to answer
  every request; turning it on queues a translation job for every text, and a writer posts a
  new statement every ``--write-every`` seconds during the load, each queuing another.

In both, ``--clients`` concurrent clients offer ``--rate`` votes/s in total (paced: latency
below saturation, at a human pace) for ``--duration`` seconds. Reported: acknowledged votes,
p50/p95/p99 latency, errors, translation requests the backend received and machine
translations stored, and the ratio of the p99s (goal: the backend does not change the
vote path's p99, i.e. a ratio near 1).

Run: ``.venv/bin/python benchmarks/translation_vote_path.py`` (about 2 minutes).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from alteram.backends.doubles import LibreTranslateDouble
from alteram.service.dialogues import create_dialogue
from alteram.service.participation import add_statement, admit, moderate_statement
from alteram.service.rounds import create_round, open_round
from alteram.store.database import Store
from alteram.store.migrate import upgrade
from alteram.store.schema import Dialogue, Translation

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@dataclass
class Run:
    label: str
    ok: int = 0
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    backend_requests: int = 0
    machine_translations: int = 0
    statements_written: int = 0

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


def set_up(url: str, machine: bool) -> tuple[int, dict[int, str], list[int]]:
    store = Store(url)
    upgrade(store)
    created = create_dialogue(store, title="Latency", sides=["A", "B"], languages=["en", "zh"])
    rid = create_round(store, dialogue_id=created.dialogue_id, topics=["Load"])
    open_round(store, round_id=rid)
    statements = []
    for i in range(30):
        side = created.side_ids[i % 2]
        author = admit(store, token=created.invite_tokens[side])
        sid = add_statement(
            store,
            participant_id=author.participant_id,
            round_id=rid,
            text=f"Statement {i}: we should listen before we answer.",
            read_move=False,
        )
        moderate_statement(store, statement_id=sid, accept=True)
        statements.append(sid)
    if machine:
        with store.write() as session:
            dialogue = session.get(Dialogue, created.dialogue_id)
            assert dialogue is not None
            dialogue.machine_translation = True
        from alteram.service.machine_translation import request_translations
        from alteram.service.translation_queue import round_texts
        from alteram.store.schema import Round

        with store.write() as session:
            rnd = session.get(Round, rid)
            assert rnd is not None
            for text in round_texts(session, rnd):
                request_translations(session, text)
    store.dispose()
    return rid, dict(created.invite_tokens), statements


def start(url: str, workdir: Path, backend: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALTERAM_")}
    env.update(
        ALTERAM_DATABASE_URL=url,
        ALTERAM_DATA_DIR=str(workdir),
        ALTERAM_DEV="1",
        ALTERAM_RATE_LIMITS="off",
        ALTERAM_TRANSLATION_BACKEND="libretranslate",
        ALTERAM_LIBRETRANSLATE_URL=backend,
        ALTERAM_BACKEND_TIMEOUT="10",
    )
    log = (workdir / "server.log").open("wb")
    cmd = [sys.executable, "-m", "alteram", "serve", "--host", HOST, "--port", str(port)]
    process = subprocess.Popen([*cmd, "--job-workers", "1"], env=env, stdout=log, stderr=log)
    base = f"http://{HOST}:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError((workdir / "server.log").read_text()[-2000:])


async def load(
    base: str, rid: int, tokens: dict[int, str], statements: list[int], run: Run, args: Any
) -> None:
    sides = list(tokens)
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        voters = []
        for i in range(args.clients * 2):
            r = await client.post("/api/join", json={"token": tokens[sides[i % 2]]})
            r.raise_for_status()
            voters.append(r.json()["session_token"])
        writer = voters[0]
        interval = args.clients / args.rate
        deadline = time.perf_counter() + args.duration

        async def voter(c: int) -> None:
            rng = random.Random(c)
            mine = voters[c :: args.clients]
            order = statements[:]
            rng.shuffle(order)
            begin = time.perf_counter() + interval * c / args.clients
            for i in range(10**9):
                await asyncio.sleep(max(0.0, begin + i * interval - time.perf_counter()))
                if time.perf_counter() >= deadline:
                    return
                token = mine[i % len(mine)]
                sid = order[(i // len(mine)) % len(order)]
                t0 = time.perf_counter()
                r = await client.post(
                    f"/api/statements/{sid}/votes",
                    json={"value": rng.choice((-1, 0, 1))},
                    headers={"authorization": f"Bearer {token}"},
                )
                if r.status_code == 201:
                    run.ok += 1
                    run.latencies.append(time.perf_counter() - t0)
                else:
                    run.errors[str(r.status_code)] = run.errors.get(str(r.status_code), 0) + 1

        async def writes() -> None:
            n = 0
            while time.perf_counter() < deadline:
                await asyncio.sleep(args.write_every)
                r = await client.post(
                    f"/api/rounds/{rid}/statements",
                    json={"text": f"A new thought number {n} about listening to each other."},
                    headers={"authorization": f"Bearer {writer}"},
                )
                run.statements_written += r.status_code == 201
                n += 1

        await asyncio.gather(writes(), *(voter(c) for c in range(args.clients)))


def one(label: str, machine: bool, args: Any) -> Run:
    run = Run(label)
    with tempfile.TemporaryDirectory(prefix="alteram-mt-bench-") as folder:
        workdir = Path(folder)
        url = f"sqlite+pysqlite:///{workdir / 'alteram.db'}"
        with LibreTranslateDouble() as double:
            double.set_mode("slow", delay=args.delay)
            rid, tokens, statements = set_up(url, machine)
            process, base = start(url, workdir, double.url)
            try:
                asyncio.run(load(base, rid, tokens, statements, run, args))
            finally:
                process.terminate()
                process.wait(timeout=30)
            run.backend_requests = len(double.main_requests())
        store = Store(url)
        with store.read() as session:
            run.machine_translations = int(
                session.scalar(
                    select(func.count())
                    .select_from(Translation)
                    .where(Translation.kind == "machine")
                )
                or 0
            )
        store.dispose()
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--rate", type=float, default=20, help="votes/s offered in all")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--delay", type=float, default=2.0, help="backend seconds per request")
    parser.add_argument("--write-every", type=float, default=3.0)
    args = parser.parse_args()
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.2f}; {time.strftime('%Y-%m-%d %H:%M')}"
    )
    print(
        f"paced {args.rate:g} votes/s from {args.clients} clients for {args.duration:g} s; "
        f"backend {args.delay:g} s per request; a statement every {args.write_every:g} s"
    )
    runs = [one("backend off", False, args), one("backend on, 2 s per request", True, args)]
    print(
        f"{'run':32} {'votes':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} "
        f"{'backend req':>11} {'machine tr.':>11}"
    )
    for r in runs:
        print(
            f"{r.label:32} {r.ok:6d} {r.pct(0.5):8.1f} {r.pct(0.95):8.1f} {r.pct(0.99):8.1f} "
            f"{sum(r.errors.values()):7d} {r.backend_requests:11d} {r.machine_translations:11d}"
        )
    off, on = runs
    print(
        f"p99 ratio on/off: {on.pct(0.99) / off.pct(0.99):.2f}; "
        f"p50 ratio on/off: {on.pct(0.5) / off.pct(0.5):.2f}"
    )


if __name__ == "__main__":
    main()
