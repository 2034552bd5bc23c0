"""The fault suite's long runs: many cycles of each fault under load, with counts.

Sub-commands (each prints one line per cycle and a total: votes acknowledged, stored,
lost, and every answer by status):

* ``postgres``: a throw-away PostgreSQL cluster (fsync on) under ``alteram serve``
  (one worker); each cycle votes, stops PostgreSQL (``fast`` and ``immediate`` in turn),
  keeps voting while it is down, starts it again and votes until ``--after`` votes are
  acknowledged; reports the seconds from PostgreSQL's start to the first acknowledged vote;
* ``web-worker``: ``alteram serve --workers 2`` on PostgreSQL; each cycle SIGKILLs one web
  worker under load and waits for uvicorn to replace it;
* ``disk-full``: SQLite on a 16 MiB tmpfs (root); each cycle fills the disk under load,
  checks ``PRAGMA integrity_check``, frees the space, votes again;
* ``job-worker``: a generated round of 144k votes; each cycle queues its analysis, SIGKILLs
  the ``alteram worker`` running it, and lets another take it over.

Everything listens on 127.0.0.1. Run from the repository:
``.venv/bin/python benchmarks/faults/run.py postgres --cycles 10`` (or ``all``).
"""

from __future__ import annotations

import argparse
import collections
import os
import platform
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.faults.harness import (  # noqa: E402
    UNLIMITED,
    Cluster,
    VoteLoad,
    count_stored,
    join,
    seed_round,
    wait_until,
)
from tests.web.conftest import start_server, stop_server  # noqa: E402

Totals = collections.Counter[str]


def _report(name: str, cycle: int, load: VoteLoad, database_url: str, extra: str = "") -> Totals:
    tally = count_stored(database_url, load.acked)
    answers: Totals = collections.Counter()
    for counter in load.answers.values():
        answers.update(counter)
    print(
        f"{name} cycle {cycle}: {tally.line()}; answers {dict(sorted(answers.items()))}"
        + (f"; {extra}" if extra else ""),
        flush=True,
    )
    out: Totals = collections.Counter(
        acknowledged=tally.acknowledged, stored=tally.stored, lost=len(tally.lost)
    )
    out.update({f"answer {k}": v for k, v in answers.items()})
    return out


def postgres(args: argparse.Namespace, work: Path) -> Totals:
    cluster = Cluster(fsync=True)
    totals: Totals = collections.Counter()
    recoveries = []
    try:
        url = cluster.create_database()
        seeded = seed_round(url)
        server = start_server(url, work, "--job-workers", "0", env=UNLIMITED)
        try:
            voters = join(server.url, seeded.tokens, 6 * args.clients)
            for cycle in range(args.cycles):
                mode = ("fast", "immediate")[cycle % 2]
                load = VoteLoad(server.url, voters, seeded.statements, clients=args.clients)
                load.start()
                try:
                    load.wait("before", args.before)
                    load.set_phase("stopping")
                    cluster.stop(mode)
                    load.set_phase("down")
                    load.wait("down", 20, "503")
                    load.set_phase("starting")
                    cluster.start()
                    started = time.monotonic()
                    load.set_phase("after")
                    load.wait("after", 1)
                    recoveries.append(time.monotonic() - started)
                    load.wait("after", args.after)
                finally:
                    load.stop()
                totals += _report(
                    f"postgres ({mode})",
                    cycle,
                    load,
                    url,
                    f"first vote acknowledged {recoveries[-1]:.2f} s after PostgreSQL was up",
                )
        finally:
            stop_server(server)
    finally:
        cluster.remove()
    print(f"postgres: recovery after restart max {max(recoveries):.2f} s")
    return totals


def _web_workers(pid: int) -> set[int]:
    from tests.faults.test_web_worker_kill import web_workers

    return web_workers(pid)


def web_worker(args: argparse.Namespace, work: Path) -> Totals:
    cluster = Cluster(fsync=True)
    totals: Totals = collections.Counter()
    try:
        url = cluster.create_database()
        seeded = seed_round(url)
        server = start_server(url, work, "--workers", "2", "--job-workers", "0", env=UNLIMITED)
        try:
            pid = server.process.pid
            wait_until(lambda: len(_web_workers(pid)) == 2, 120, "two web workers")
            voters = join(server.url, seeded.tokens, 6 * args.clients)
            for cycle in range(args.cycles):
                load = VoteLoad(server.url, voters, seeded.statements, clients=args.clients)
                load.start()
                try:
                    load.wait("before", args.before)
                    victim = min(_web_workers(pid))
                    load.set_phase("kill")
                    killed = time.monotonic()
                    os.kill(victim, signal.SIGKILL)
                    wait_until(
                        lambda gone=victim: len(_web_workers(pid) - {gone}) == 2,
                        120,
                        "a new worker",
                    )
                    replaced = time.monotonic() - killed
                    load.set_phase("after")
                    load.wait("after", args.after)
                finally:
                    load.stop()
                totals += _report(
                    "web-worker", cycle, load, url, f"worker replaced in {replaced:.1f} s"
                )
        finally:
            stop_server(server)
    finally:
        cluster.remove()
    return totals


def disk_full(args: argparse.Namespace, work: Path) -> Totals:
    from tests.conftest import fill

    from alteram.store.database import Store
    from alteram.store.migrate import upgrade

    disk = work / "small-disk"
    disk.mkdir()
    # Large enough for SQLite to checkpoint its WAL (1,000 pages) between the faults.
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(disk)], check=True)
    totals: Totals = collections.Counter()
    try:
        db = disk / "alteram.db"
        url = f"sqlite+pysqlite:///{db}"
        migrated = work / "migrated.db"  # migrated off the small disk (its WAL grows large)
        store = Store(f"sqlite+pysqlite:///{migrated}")
        upgrade(store)
        store.dispose()
        conn = sqlite3.connect(migrated)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        shutil.copyfile(migrated, db)
        seeded = seed_round(url)
        server = start_server(url, work, "--job-workers", "0", env=UNLIMITED)
        try:
            voters = join(server.url, seeded.tokens, 4 * args.clients)
            for cycle in range(args.cycles):
                load = VoteLoad(server.url, voters, seeded.statements, clients=args.clients)
                load.start()
                try:
                    load.wait("before", args.before)
                    load.set_phase("full")
                    filler = fill(disk)
                    load.wait("full", 20, "503")
                    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
                    check = conn.execute("PRAGMA integrity_check").fetchone()[0]
                    conn.close()
                    filler.unlink()
                    load.set_phase("after")
                    load.wait("after", args.after)
                finally:
                    load.stop()
                totals += _report(
                    "disk-full", cycle, load, url, f"integrity_check while full: {check}"
                )
                totals["integrity not ok"] += check != "ok"
        finally:
            stop_server(server)
    finally:
        subprocess.run(["umount", "-l", str(disk)])
    return totals


def job_worker(args: argparse.Namespace, work: Path) -> Totals:
    from tests.faults.test_job_worker_kill import planted_round
    from tests.service.test_job_workers import Workers

    from alteram.service.analyses import JOB_KIND, latest_analysis
    from alteram.service.jobs import enqueue, get_job
    from alteram.store.database import Store

    cluster = Cluster(fsync=True)
    totals: Totals = collections.Counter()
    try:
        url = cluster.create_database()
        store = Store(url)
        workers = Workers(url, work)
        try:
            for cycle in range(args.cycles):
                round_id, n_votes = planted_round(store)
                with store.write() as session:
                    job_id = enqueue(session, kind=JOB_KIND, payload={"round_id": round_id})
                assert job_id is not None
                victim = workers.start(f"victim{cycle}", "--lease", "3")
                wait_until(
                    lambda j=job_id: get_job(store, job_id=j).state == "running", 120, "start"
                )
                time.sleep(0.5)
                victim.send_signal(signal.SIGKILL)
                victim.wait(10)
                mid = get_job(store, job_id=job_id).state == "running"
                killed = time.monotonic()
                heir = workers.start(f"heir{cycle}", "--lease", "3")
                wait_until(
                    lambda j=job_id: get_job(store, job_id=j).state in ("done", "failed"),
                    180,
                    "the job to settle",
                    0.2,
                )
                job = get_job(store, job_id=job_id)
                stored = latest_analysis(store, round_id=round_id)
                ok = job.state == "done" and stored is not None
                ok = ok and stored.result["n_votes"] == n_votes  # type: ignore[union-attr]
                print(
                    f"job-worker cycle {cycle}: killed mid-job {mid}; job {job.state} after "
                    f"{job.attempts} attempts, {time.monotonic() - killed:.1f} s after the kill; "
                    f"analysis of {n_votes} votes stored: {ok}",
                    flush=True,
                )
                totals.update(jobs=1, completed=int(ok), killed_mid_job=int(mid))
                heir.terminate()
                heir.wait(30)
        finally:
            workers.stop_all()
            store.dispose()
    finally:
        cluster.remove()
    return totals


FAULTS: dict[str, Callable[[argparse.Namespace, Path], Totals]] = {
    "postgres": postgres,
    "web-worker": web_worker,
    "disk-full": disk_full,
    "job-worker": job_worker,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("fault", choices=[*FAULTS, "all"])
    parser.add_argument("--cycles", type=int, default=10)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--before", type=int, default=50, help="votes before each fault")
    parser.add_argument("--after", type=int, default=50, help="votes after it")
    args = parser.parse_args()
    print(
        f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, {os.cpu_count()} cores, "
        f"python {platform.python_version()}; {' '.join(sys.argv[1:])}"
    )
    failed = False
    for name in FAULTS if args.fault == "all" else [args.fault]:
        work = Path(tempfile.mkdtemp(prefix=f"alteram-faults-{name}-"))
        started = time.monotonic()
        try:
            totals = FAULTS[name](args, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print(f"{name} TOTAL ({time.monotonic() - started:.0f} s): {dict(sorted(totals.items()))}")
        failed |= bool(totals["lost"] or totals["answer 500"] or totals["integrity not ok"])
        failed |= totals["jobs"] != totals["completed"]
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
