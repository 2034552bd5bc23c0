"""SQLite when its disk fills up under a vote load, or its folder turns read-only.

The disk is a real one: a 2 MiB tmpfs (needs root, ``ALTERAM_REQUIRE_MOUNT``) filled to the
last byte while clients vote: votes are refused with a 503 that names the cause, the file
stays sound (``PRAGMA integrity_check``), and once space returns the same server takes
votes again without a restart; every acknowledged vote is stored.

A read-only disk cannot appear under a running server on Linux (a mount with files open
for writing refuses to turn read-only, and an open file stays writable whatever its
permissions), so that fault is met where it is met in practice: at a (re)start. The server
refuses to start with a message naming the cause (SQLite in WAL mode cannot even read a
database whose folder it cannot write), and starts and takes votes once the disk is
writable again, with everything acknowledged before still there.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import fill
from tests.faults.harness import UNLIMITED, VoteLoad, count_stored, join, seed_round, wait_until
from tests.web.conftest import start_server, stop_server

pytestmark = pytest.mark.slow

BEFORE, REFUSED, AFTER = 20, 10, 20


def integrity(path: Path) -> str:
    """``PRAGMA integrity_check`` through a read-only connection of its own."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def _remount(folder: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(folder)], check=True, timeout=30)


def test_a_full_disk_refuses_votes_with_503_then_they_resume(
    small_disk: Path, sqlite_template: Path, tmp_path: Path
) -> None:
    db = small_disk / "alteram.db"
    shutil.copyfile(sqlite_template, db)
    url = f"sqlite+pysqlite:///{db}"
    seeded = seed_round(url)
    server = start_server(url, tmp_path, "--job-workers", "0", env=UNLIMITED)  # log elsewhere
    load = VoteLoad(server.url, join(server.url, seeded.tokens, 12), seeded.statements, clients=4)
    try:
        load.start()
        wait_until(lambda: load.count("before") >= BEFORE, 60, "votes before the disk is full")
        load.set_phase("full")
        filler = fill(small_disk)
        wait_until(lambda: load.count("full", "503") >= REFUSED, 60, "votes refused")
        during = integrity(db)
        load.set_phase("freeing")
        filler.unlink()
        load.set_phase("after")
        wait_until(lambda: load.count("after") >= AFTER, 60, "votes after space came back")
    finally:
        load.stop()
        stop_server(server)
    tally = count_stored(url, load.acked)
    print(dict(load.answers), tally.line())
    assert during == "ok", during
    assert integrity(db) == "ok"
    for phase, answers in load.answers.items():
        assert set(answers) <= {"201", "503"}, (phase, answers, load.samples)
    refusal = load.samples["full 503"]
    assert '"code":"store_unavailable"' in refusal.replace(" ", ""), refusal
    assert "disk" in refusal and "full" in refusal and "not stored" in refusal, refusal
    assert not tally.lost, f"{tally.line()}: {tally.lost[:5]}"
    assert not tally.wrong, tally.wrong[:5]
    assert tally.stored == tally.acknowledged >= BEFORE + AFTER


def _serve(url: str, folder: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALTERAM_")}
    env.update(ALTERAM_DATABASE_URL=url, ALTERAM_DATA_DIR=str(folder), ALTERAM_DEV="1")
    command = [sys.executable, "-m", "alteram", "serve", "--host", "127.0.0.1", "--port", "0"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def test_a_read_only_disk_is_named_at_start_and_votes_resume_once_writable(
    small_disk: Path, sqlite_template: Path, tmp_path: Path
) -> None:
    db = small_disk / "alteram.db"
    shutil.copyfile(sqlite_template, db)
    url = f"sqlite+pysqlite:///{db}"
    seeded = seed_round(url)
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    server = start_server(url, first, "--job-workers", "0", env=UNLIMITED)
    load = VoteLoad(server.url, join(server.url, seeded.tokens, 8), seeded.statements, clients=2)
    try:
        load.start()
        wait_until(lambda: load.count("before") >= BEFORE, 60, "votes before the stop")
    finally:
        load.stop()
        stop_server(server)
    _remount(small_disk, "ro")
    try:
        refused = _serve(url, tmp_path)
        during = integrity_immutable(db)
    finally:
        _remount(small_disk, "rw")
    assert refused.returncode != 0
    assert "read-only" in refused.stderr and str(db) in refused.stderr, refused.stderr
    assert "nothing was changed" in refused.stderr and "writable" in refused.stderr
    assert during == "ok", during
    server = start_server(url, second, "--job-workers", "0", env=UNLIMITED)
    again = VoteLoad(server.url, load.voters, seeded.statements, clients=2, phase="after")
    try:
        again.start()
        wait_until(lambda: again.count("after") >= AFTER, 60, "votes once writable")
    finally:
        again.stop()
        stop_server(server)
    tally = count_stored(url, load.acked + again.acked)
    print(dict(load.answers), dict(again.answers), tally.line())
    assert integrity(db) == "ok"
    for answers in (*load.answers.values(), *again.answers.values()):
        assert set(answers) <= {"201"}, (answers, load.samples, again.samples)
    assert not tally.lost and not tally.wrong, (tally.line(), tally.lost[:5], tally.wrong[:5])
    assert tally.stored == tally.acknowledged >= BEFORE + AFTER


def integrity_immutable(path: Path) -> str:
    """``PRAGMA integrity_check`` of a file on a read-only disk (opened as immutable)."""
    conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True, timeout=30)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()
