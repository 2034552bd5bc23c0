"""``alteram worker --once`` runs what is due; ``alteram jobs list`` shows how it went."""

from __future__ import annotations

from pathlib import Path

from alteram.service.jobs import enqueue
from alteram.store.database import Store
from tests.cli.helpers import alteram
from tests.factories import make_world, statement


def test_worker_once_then_jobs_list(tmp_path: Path) -> None:
    assert alteram("db", "upgrade", data_dir=tmp_path).returncode == 0
    store = Store(f"sqlite+pysqlite:///{tmp_path / 'alteram.db'}")
    try:
        w = make_world(store)
        statement(store, w, "a1", "Rivers belong to everyone downstream too.")
        with store.write() as s:
            enqueue(s, kind="analysis", payload={"round_id": w.round_id}, dialogue_id=w.dialogue_id)
            enqueue(s, kind="analysis", payload={"round_id": 999}, dialogue_id=w.dialogue_id)
    finally:
        store.dispose()
    ran = alteram("worker", "--once", "--id", "cli-worker", data_dir=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert "job worker cli-worker stopped after 2 jobs" in ran.stderr
    listed = alteram("jobs", "list", str(w.dialogue_id), data_dir=tmp_path)
    assert listed.returncode == 0, listed.stderr
    rows = [line for line in listed.stdout.splitlines() if "analysis" in line]
    assert len(rows) == 2, listed.stdout
    assert "failed" in rows[0] and "1/5" in rows[0] and "NotFound: round 999 does not" in rows[0]
    assert "done" in rows[1]
    missing = alteram("jobs", "list", "999", data_dir=tmp_path)
    assert missing.returncode == 1
    assert missing.stderr.strip().startswith("error: dialogue 999 does not exist.")
    assert "Traceback" not in missing.stderr


def test_worker_refuses_a_missing_database_and_a_module_it_cannot_import(tmp_path: Path) -> None:
    absent = alteram("worker", "--once", data_dir=tmp_path)
    assert absent.returncode == 1 and "there is no alteram database" in absent.stderr
    assert alteram("db", "upgrade", data_dir=tmp_path).returncode == 0
    bad = alteram("worker", "--once", "--import", "no.such.module", data_dir=tmp_path)
    assert bad.returncode == 1
    assert "error: cannot import 'no.such.module' for its job kinds" in bad.stderr
