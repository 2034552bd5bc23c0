"""``alteram import polis`` and ``alteram analyze dialogue`` on real Polis data."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.helpers import alteram


def test_import_a_polis_export_then_analyse_it(shared_data: Path, tmp_path: Path) -> None:
    folder = shared_data / "polis-opendata" / "bg2050-volunteers"
    imported = alteram("import", "polis", str(folder), data_dir=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert "371 statements" in imported.stdout
    listed = alteram("dialogues", "list", data_dir=tmp_path)
    assert "Polis participants" in listed.stdout
    out = tmp_path / "a.json"
    svg = tmp_path / "map.svg"
    analysed = alteram(
        "analyze", "dialogue", "1", "--json", str(out), "--svg", str(svg), data_dir=tmp_path
    )
    assert analysed.returncode == 0, analysed.stderr
    result = json.loads(out.read_text())["1"]
    n_votes = sum(1 for _ in (folder / "votes.csv").open()) - 1
    assert result["n_votes"] == n_votes
    rejected = [c["id"] for c in result["statements"] if c["moderated_out"]]
    assert rejected  # bg2050 has moderated-out comments
    assert svg.read_text().startswith("<svg")


def test_import_refuses_a_broken_export_and_stores_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "votes.csv").write_text("timestamp,datetime,comment-id,voter-id,vote\n1,x,1,2,7\n")
    result = alteram("import", "polis", str(folder), data_dir=tmp_path / "data")
    assert result.returncode == 1
    assert "votes.csv" in result.stderr and "line 2" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "data" / "alteram.db").exists()


def test_analyze_unknown_dialogue(tmp_path: Path) -> None:
    assert alteram("db", "upgrade", data_dir=tmp_path).returncode == 0
    result = alteram("analyze", "dialogue", "42", data_dir=tmp_path)
    assert result.returncode == 1 and "dialogue 42 does not exist" in result.stderr
