"""``alteram export`` then ``alteram import round``: the round comes back with its ids into
a fresh database, and with new ids and a mapping file into a used one."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

from alteram.service.participation import record_vote
from alteram.store.database import Store
from alteram.store.migrate import upgrade
from tests.cli.helpers import alteram
from tests.factories import make_world, statement


def test_export_then_import_round_trips(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    store = Store(f"sqlite+pysqlite:///{source / 'alteram.db'}")
    upgrade(store)
    w = make_world(store)
    said = [statement(store, w, who, f"Water is {who}'s first concern.") for who in ("a1", "b1")]
    for n, who in enumerate(w.people):
        for sid in said:
            record_vote(store, participant_id=w.people[who], statement_id=sid, value=n % 3 - 1)
    store.dispose()

    out = tmp_path / "out"
    done = alteram("export", str(w.round_id), "--out", str(out), data_dir=source)
    assert done.returncode == 0, done.stderr
    assert {"summary.csv", "participants-votes.csv", "concerns.csv", "round.json"} <= {
        p.name for p in out.iterdir()
    }
    target = tmp_path / "target"
    first = alteram("import", "round", str(out), data_dir=target)  # the folder
    assert first.returncode == 0, first.stderr
    assert "Every id is the export's own." in first.stdout and "8 votes" in first.stdout
    again = tmp_path / "again"
    back = alteram("export", str(w.round_id), "--out", str(again), data_dir=target)
    assert back.returncode == 0, back.stderr
    for name in ("votes.csv", "comments.csv", "participants-votes.csv", "predictions.csv"):
        assert (again / name).read_text() == (out / name).read_text(), name

    bundle = tmp_path / "export.zip"
    with zipfile.ZipFile(bundle, "w") as z:  # as the round page's ZIP link gives it
        z.write(out / "round.json", "round.json")
    second = alteram("import", "round", str(bundle), data_dir=target)
    assert second.returncode == 0, second.stderr
    mapping = next((target / "imports").glob("ids-dialogue-*.csv"))
    rows = list(csv.DictReader(mapping.open()))
    assert {r["table"] for r in rows} >= {"dialogues", "participants", "statements", "votes"}
    assert str(mapping) in " ".join(second.stdout.split())

    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "polis"}')
    refused = alteram("import", "round", str(broken), data_dir=target)
    assert refused.returncode == 1 and "not an alteram round export" in refused.stderr
    assert "Traceback" not in refused.stderr
