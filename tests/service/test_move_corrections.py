"""The facilitation team corrects a statement's move; the classifier's reading is kept,
the correction is counted in the round's move profile, exported, and trains the model."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from alteram.errors import InvalidInput, NotFound
from alteram.service.access import ADMIN, Actor
from alteram.service.accounts import create_facilitator
from alteram.service.analyses import analyze_round
from alteram.service.exports import as_csv, as_json, round_data
from alteram.service.facilitation import moderation_queue
from alteram.service.move_corrections import correct_move
from alteram.service.participation import moderate_statement, record_vote
from alteram.store.database import Store
from alteram.store.schema import MoveCorrection, Statement
from tests.conftest import REPO
from tests.factories import make_world, own, statement


def test_a_correction_keeps_the_reading_who_and_when(store: Store) -> None:
    w = make_world(store)
    sid = statement(store, w, "a1", "We demand that you release them immediately.")
    with store.read() as session:
        read = session.get(Statement, sid)
        assert read is not None and read.move == "demand" and read.move_confidence is not None
        confidence = read.move_confidence
    account = create_facilitator(store, email="ana@example.org", password="a long password 1")
    own(store, w.dialogue_id, account)
    first = correct_move(store, statement_id=sid, move="explain", actor=Actor(account_id=account))
    assert (first.move, first.original_move, first.corrected_by) == (
        "explain", "demand", "ana@example.org",
    )  # fmt: skip
    assert first.original_confidence == pytest.approx(confidence)
    second = correct_move(store, statement_id=sid, move="bridge", actor=ADMIN)
    assert (second.move, second.original_move, second.count) == ("bridge", "demand", 2)
    assert second.corrected_by == "administrator" and second.at >= first.at
    with store.read() as session:
        now = session.get(Statement, sid)
        assert now is not None and (now.move, now.move_confidence) == ("bridge", None)
        rows = session.scalars(select(MoveCorrection).order_by(MoveCorrection.id)).all()
        assert [(r.previous_move, r.move) for r in rows] == [
            ("demand", "explain"),
            ("explain", "bridge"),
        ]
    queued = {q.id: q for q in moderation_queue(store, round_id=w.round_id)}
    c = queued[sid].correction
    assert c is not None and (c.move, c.original_move) == ("bridge", "demand")
    other = statement(store, w, "b1", "How do you see the dam?")
    assert queued.get(other) is None or queued[other].correction is None


def test_only_the_team_corrects_and_only_to_a_move(store: Store) -> None:
    w = make_world(store)
    sid = statement(store, w, "a1", "We would like to understand your view.")
    stranger = create_facilitator(store, email="zed@example.org", password="a long password 2")
    with pytest.raises(NotFound):
        correct_move(store, statement_id=sid, move="explain", actor=Actor(account_id=stranger))
    with pytest.raises(NotFound):
        correct_move(
            store, statement_id=sid, move="explain", actor=Actor(participant_id=w.people["a2"])
        )
    with pytest.raises(InvalidInput):
        correct_move(store, statement_id=sid, move="shout", actor=ADMIN)
    with store.read() as session:
        assert session.scalars(select(MoveCorrection)).all() == []


def test_corrections_are_exported_and_train_the_model(store: Store, tmp_path: Path) -> None:
    w = make_world(store)
    sid = statement(store, w, "a1", "你们必须立即停止。")
    keep = statement(store, w, "b1", "Let us look for common ground.")
    correct_move(store, statement_id=sid, move="pressure", actor=ADMIN)
    data = round_data(store, round_id=w.round_id)
    rows = list(csv.DictReader(io.StringIO(as_csv(data)["moves-corrections.csv"])))
    assert len(rows) == 1
    row = rows[0]
    assert (row["comment-id"], row["text"], row["corrected-move"]) == (
        str(sid), "你们必须立即停止。", "pressure",
    )  # fmt: skip
    assert row["original-move"] == "demand" and row["corrected-by"] == "administrator"
    assert row["language"] == "zh"
    assert as_json(data)["move_corrections"][0]["move"] == "pressure"
    comments = {
        r["comment-id"]: r for r in csv.DictReader(io.StringIO(as_csv(data)["comments.csv"]))
    }
    assert str(keep) in comments and str(sid) in comments
    path = tmp_path / "moves-corrections.csv"
    path.write_text(as_csv(data)["moves-corrections.csv"], encoding="utf-8")
    sys.path.insert(0, str(REPO / "training" / "moves"))
    try:
        import train  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(REPO / "training" / "moves"))
    examples = train.read_corrections(path)
    assert [(e.text, e.move, e.source, e.language) for e in examples] == [
        ("你们必须立即停止。", "pressure", "correction", "zh")
    ]
    bad = tmp_path / "bad.csv"
    bad.write_text(path.read_text("utf-8").replace(",pressure,", ",shout,"), encoding="utf-8")
    with pytest.raises(SystemExit, match="shout"):
        train.read_corrections(bad)


def test_unsure_and_corrected_statements_in_the_move_profile(store: Store) -> None:
    w = make_world(store)
    sure = statement(store, w, "a1", "We demand that you release them immediately.")
    unsure = statement(store, w, "a1", "Water is older than any border.")
    fixed = statement(store, w, "a2", "Perhaps.")
    with store.write() as session:
        row = session.get(Statement, unsure)
        assert row is not None
        row.move, row.move_confidence = "explain", 0.2  # a reading the classifier doubts
        low = session.get(Statement, fixed)
        assert low is not None
        low.move_confidence = 0.1
    correct_move(store, statement_id=fixed, move="inquire", actor=ADMIN)
    for sid in (sure, unsure, fixed):
        moderate_statement(store, statement_id=sid, accept=True)
        record_vote(store, participant_id=w.people["b1"], statement_id=sid, value=1)
    profile = analyze_round(store, round_id=w.round_id).result["move_profile"]
    side = profile[str(w.sides[0])]
    assert side["n"] == 3
    assert side["unsure"] == pytest.approx(1 / 3)
    assert side["inquire"] == pytest.approx(1 / 3)  # the team's reading counts as sure
    assert side["explain"] == 0
    # dialogue share leaves the unsure statement out: one inquire against one demand
    assert side["dialogue_share"] == pytest.approx(0.5)
