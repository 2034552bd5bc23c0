from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from alteram.cli.main import run
from tests.engine.conftest import make_planted

ALTERAM = Path(sys.executable).parent / "alteram"


def write_export(folder: Path) -> Path:
    votes, _ = make_planted(n_participants=60, n_statements=15, n_groups=2, seed=2)
    folder.mkdir(exist_ok=True)
    lines = ["timestamp,datetime,comment-id,voter-id,vote"]
    lines += [f"{t},x,{s},{p},{v}" for p, s, v, t in votes.itertuples(index=False)]
    (folder / "votes.csv").write_text("\n".join(lines) + "\n")
    comments = ["timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body"]
    comments += [f"0,x,{s},0,0,0,{-1 if s == 14 else 1},text {s}" for s in range(15)]
    (folder / "comments.csv").write_text("\n".join(comments) + "\n")
    (folder / "summary.csv").write_text("topic,<Test & topic>\n")
    return folder


def test_analyze_polis_writes_json_and_svg(tmp_path: Path) -> None:
    folder = write_export(tmp_path / "conv")
    out, svg = tmp_path / "out.json", tmp_path / "map.svg"
    with pytest.raises(SystemExit) as info:
        run(["analyze", "polis", str(folder), "--json", str(out), "--svg", str(svg), "--quiet"])
    assert info.value.code in (0, None)
    d = json.loads(out.read_text())
    assert len(d["participants"]) == 60
    assert {"id", "group", "x", "y"} <= set(d["participants"][0])
    assert d["participants"][0]["id"] == 0
    assert [g["id"] for g in d["groups"]] == [0, 1]
    assert all(g["representative"] for g in d["groups"])
    assert {"id", "consensus", "group_informed_consensus", "bridging"} <= set(d["statements"][0])
    assert d["statements"][14]["moderated_out"] is True
    assert d["timing"]["load_s"] >= 0 and d["timing"]["analysis_s"] > 0
    root = ET.fromstring(svg.read_text())
    assert "Opinion map: <Test & topic>" in [t.text for t in root.iter() if t.text]


def test_errors_are_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "votes.csv").write_text("timestamp,comment-id,voter-id,vote\n1,2,3,9\n")
    proc = subprocess.run(
        [str(ALTERAM), "analyze", "polis", str(folder), "--json", str(tmp_path / "o.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        "error: votes.csv line 2 column 'vote': 9 is not one of [-1, 0, 1]. "
        "Re-export the conversation from Polis or correct the file."
    ]
    assert not (tmp_path / "o.json").exists()


def test_progress_goes_to_stderr(tmp_path: Path) -> None:
    folder = write_export(tmp_path / "conv")
    out = tmp_path / "out.json"
    proc = subprocess.run(
        [str(ALTERAM), "analyze", "polis", str(folder), "--json", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert "60 participants, 2 groups" in proc.stderr
