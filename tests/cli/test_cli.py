"""The ``alteram`` command: the tour of the README, and one clear line for every mistake."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.cli.helpers import alteram


def _one_error_line(result: object) -> str:
    stderr: str = result.stderr  # type: ignore[attr-defined]
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in stderr
    return lines[0]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("cli-demo")
    result = alteram("demo", data_dir=data)
    assert result.returncode == 0, result.stderr
    assert "simulated" in result.stdout
    assert "/join/" in result.stdout
    return data


def test_demo_then_list_and_show(demo_dir: Path) -> None:
    listed = alteram("dialogues", "list", data_dir=demo_dir)
    assert listed.returncode == 0, listed.stderr
    assert "Human rights" in listed.stdout and "(simulated)" in listed.stdout
    assert "China" in listed.stdout and "United States" in listed.stdout
    shown = alteram("dialogues", "show", "1", data_dir=demo_dir)
    assert shown.returncode == 0
    assert "suspended: Suspended by agreement" in shown.stdout
    assert "round 3" in shown.stdout


def test_demo_if_empty_adds_nothing_the_second_time(demo_dir: Path) -> None:
    again = alteram("demo", "--if-empty", data_dir=demo_dir)
    assert again.returncode == 0
    assert "no demo added" in again.stdout


def test_wrong_id_is_one_clear_line_and_changes_nothing(demo_dir: Path) -> None:
    db = demo_dir / "alteram.db"
    before = _digest(db)
    for args, expected in [
        (("dialogues", "show", "999"), "dialogue 999 does not exist"),
        (("rounds", "open", "999"), "round 999 does not exist"),
        (("rounds", "open", "1"), "closed and cannot be opened"),
        (("rounds", "suspend", "3", "--reason", " "), "needs a reason"),
    ]:
        result = alteram(*args, data_dir=demo_dir)
        assert result.returncode != 0
        assert expected in _one_error_line(result)
    assert _digest(db) == before


def test_missing_database(tmp_path: Path) -> None:
    result = alteram("dialogues", "list", data_dir=tmp_path / "nowhere")
    assert result.returncode == 1
    line = _one_error_line(result)
    assert "no alteram database" in line and "alteram db upgrade" in line
    assert not (tmp_path / "nowhere").exists()


def test_unreadable_database(tmp_path: Path) -> None:
    (tmp_path / "alteram.db").write_bytes(b"this is not a database" * 100)
    result = alteram("dialogues", "list", data_dir=tmp_path)
    assert result.returncode == 1
    assert "cannot open the SQLite database" in _one_error_line(result)
    assert (tmp_path / "alteram.db").read_bytes() == b"this is not a database" * 100


def test_unreachable_postgres(tmp_path: Path) -> None:
    url = "postgresql+psycopg://nobody:secret@127.0.0.1:9/alteram"
    result = alteram("dialogues", "list", env={"ALTERAM_DATABASE_URL": url})
    assert result.returncode == 1
    line = _one_error_line(result)
    assert "cannot reach the database" in line and "ALTERAM_DATABASE_URL" in line
    assert "secret" not in line  # the password is never printed


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = alteram("--debug", "dialogues", "list", data_dir=tmp_path / "nowhere")
    assert result.returncode != 0
    assert "Traceback" in result.stderr


def test_db_upgrade_and_a_round_through_its_life(tmp_path: Path) -> None:
    assert alteram("db", "upgrade", data_dir=tmp_path).returncode == 0
    assert "already at schema" in alteram("db", "upgrade", data_dir=tmp_path).stdout
    created = alteram(
        "dialogues", "create", "Water", "--side", "Up", "--side", "Down", data_dir=tmp_path
    )
    assert created.returncode == 0, created.stderr
    assert created.stdout.count("/join/") == 2
    steps = [
        ("rounds", "create", "1", "--topic", "What does water mean to you?"),
        ("rounds", "open", "1"),
        ("rounds", "suspend", "1", "--reason", "Flood season"),
        ("rounds", "resume", "1"),
        ("rounds", "close", "1"),
    ]
    for step in steps:
        result = alteram(*step, data_dir=tmp_path)
        assert result.returncode == 0, (step, result.stderr)
    shown = alteram("dialogues", "show", "1", data_dir=tmp_path).stdout
    assert "suspended: Flood season" in shown and "closed" in shown


def test_facilitator_create_then_refuse_a_duplicate(tmp_path: Path) -> None:
    env = {"ALTERAM_NEW_PASSWORD": "a long enough passphrase"}
    assert alteram("db", "upgrade", data_dir=tmp_path).returncode == 0
    made = alteram("facilitator", "create", "Ana@Example.org", data_dir=tmp_path, env=env)
    assert made.returncode == 0 and "created" in made.stdout
    again = alteram("facilitator", "create", "ana@example.org", data_dir=tmp_path, env=env)
    assert again.returncode == 1 and "exists already" in _one_error_line(again)
    short = alteram(
        "facilitator",
        "create",
        "b@example.org",
        data_dir=tmp_path,
        env={"ALTERAM_NEW_PASSWORD": "short"},
    )
    assert short.returncode == 1 and "at least" in _one_error_line(short)
