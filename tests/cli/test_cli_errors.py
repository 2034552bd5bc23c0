"""Every failure of the ``alteram`` command is one clear line, never an "unexpected ...Error".

Ids no store can hold, files that cannot be written, out-of-range Polis exports, bad
settings and a full disk each say what is wrong and what to do, in one line on stderr.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.cli.helpers import alteram
from tests.conftest import fill

VOTES = "timestamp,datetime,comment-id,voter-id,vote\n"


def _line(result: object) -> str:
    stderr: str = result.stderr  # type: ignore[attr-defined]
    returncode: int = result.returncode  # type: ignore[attr-defined]
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert returncode != 0 and len(lines) == 1, stderr
    assert lines[0].startswith("error: ") and "unexpected" not in lines[0], lines[0]
    assert "internal error" not in lines[0], lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli-errors")
    made = alteram(
        "dialogues", "create", "Water", "--side", "Up", "--side", "Down", data_dir=folder
    )
    if made.returncode != 0:  # a new folder: create the database first
        assert alteram("db", "upgrade", data_dir=folder).returncode == 0
        made = alteram(
            "dialogues", "create", "Water", "--side", "Up", "--side", "Down", data_dir=folder
        )
    assert made.returncode == 0, made.stderr
    assert alteram("rounds", "create", "1", data_dir=folder).returncode == 0
    return folder


def test_ids_no_store_can_hold(data: Path) -> None:
    for ident in ("99999999999999999999", str(2**63)):
        assert "does not exist" in _line(alteram("dialogues", "show", ident, data_dir=data))
        assert "does not exist" in _line(alteram("rounds", "open", ident, data_dir=data))


def test_a_file_that_cannot_be_written(data: Path, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "folder" / "report.html"
    line = _line(alteram("report", "1", "--out", str(target), data_dir=data))
    assert str(target) in line and "No such file or directory" in line


def test_a_polis_export_out_of_range(data: Path, tmp_path: Path) -> None:
    (tmp_path / "votes.csv").write_text(VOTES + f"1,x,0,{2**70},1\n")
    line = _line(alteram("import", "polis", str(tmp_path), data_dir=data))
    assert "votes.csv line 2 column 'voter-id'" in line and "out of range" in line
    (tmp_path / "votes.csv").write_text(VOTES + "99999999999999999,x,0,1,1\n")
    line = _line(alteram("import", "polis", str(tmp_path), data_dir=data))
    assert "votes.csv line 2 column 'timestamp'" in line


def test_a_bad_setting_names_the_variable(data: Path) -> None:
    for env, name in (
        ({"ALTERAM_PUBLIC_URL": "ftp://dialogue.example"}, "ALTERAM_PUBLIC_URL"),
        ({"ALTERAM_RATE_LIMITS": "sometimes"}, "ALTERAM_RATE_LIMITS"),
        ({"ALTERAM_MAX_BODY_BYTES": "lots"}, "ALTERAM_MAX_BODY_BYTES"),
    ):
        assert name in _line(alteram("dialogues", "list", data_dir=data, env=env))


def test_a_full_disk(small_disk: Path, data: Path) -> None:
    shutil.copyfile(data / "alteram.db", small_disk / "alteram.db")
    filler = fill(small_disk)
    lines = []
    for n in range(20):  # until the journal's reusable space is spent
        done = alteram(
            "dialogues",
            "create",
            f"Water {n}",
            "--side",
            "Up",
            "--side",
            "Down",
            "--charter",
            "c" * 10_000,
            data_dir=small_disk,
        )
        if done.returncode != 0:
            lines.append(_line(done))
            break
    assert lines and "is full" in lines[0] and "Free space" in lines[0], lines
    filler.unlink()
    listed = alteram("dialogues", "list", data_dir=small_disk)
    assert listed.returncode == 0 and "Water" in listed.stdout
