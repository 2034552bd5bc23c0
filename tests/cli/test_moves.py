from __future__ import annotations

import json
from pathlib import Path

import pytest

from alteram.cli.main import run


def call(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the CLI like the console script; return (exit code, stdout, stderr)."""
    try:
        run(argv)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_texts_print_move_kind_confidence(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = call(
        ["moves", "We demand their immediate release.", "我们想了解贵方的看法。"], capsys
    )
    assert code == 0
    lines = out.splitlines()
    demand = next(line for line in lines if "We demand" in line)
    inquire = next(line for line in lines if "我们想了解" in line)
    assert "demand" in demand.replace("We demand", "") and "pressure" in demand
    assert "inquire" in inquire and "dialogue" in inquire
    assert any(f"0.{d}" in demand for d in range(10))


def test_jsonl_in_order_with_a_bad_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        "\n".join(
            [
                json.dumps({"id": "a", "text": "You are lying and you know it."}),
                "{not json",
                json.dumps({"id": 7, "text": "我们建议双方共同开展研究。"}),
                json.dumps({"id": "no-text"}),
                "",
                json.dumps({"id": "c", "text": "The session is adjourned."}),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    code, out, err = call(["moves", "--jsonl", str(source)], capsys)
    assert code == 1
    rows = [json.loads(line) for line in out.splitlines()]
    assert [row["id"] for row in rows] == ["a", 7, "c"]
    assert [row["move"] for row in rows] == ["accuse", "bridge", "other"]
    assert [row["kind"] for row in rows] == ["pressure", "dialogue", "other"]
    assert all(set(row) == {"id", "move", "kind", "confidence"} for row in rows)
    assert all(0 <= row["confidence"] <= 1 for row in rows)
    assert "line 2" in err and "line 4" in err
    assert "line 1" not in err and "line 6" not in err


def test_jsonl_all_good_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": 1, "text": "Good morning."}) + "\n", encoding="utf-8")
    code, out, err = call(["moves", "--jsonl", str(source)], capsys)
    assert code == 0 and err == ""
    assert json.loads(out)["id"] == 1


def test_missing_file_is_one_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = call(["moves", "--jsonl", str(tmp_path / "nope.jsonl")], capsys)
    assert code == 1 and out == ""
    assert "nope.jsonl" in err and "does not exist" in err


def test_nothing_to_classify(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = call(["moves"], capsys)
    assert code == 1 and "nothing to classify" in err
