"""Round exports: the JSON document fits its published schema, holds every kind of row, and
reads back into a fresh database as the same round (ids, counts, texts, votes), on SQLite
and PostgreSQL; into a used database with new ids and a mapping. The Polis set has Polis's
layout and reads back through the Polis importer."""

from __future__ import annotations

import copy
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from sqlalchemy import func, select

from alteram.interop.polis import read_polis_export
from alteram.service.access import ADMIN
from alteram.service.analyses import analyze_round, latest_analysis
from alteram.service.demo import create_demo
from alteram.service.export_schema import build_schema, shipped_schema
from alteram.service.export_tables import SECTIONS
from alteram.service.exports import POLIS_FILES, as_csv, as_json, round_data
from alteram.service.flags import flag_statement
from alteram.service.hiding import set_hidden
from alteram.service.imports import import_polis
from alteram.service.round_import import import_round
from alteram.store.database import Store
from alteram.store.schema import Round, Vote
from tests.conftest import make_database

KINDS = (
    "definitions",
    "definition_ratings",
    "restatements",
    "fairness_ratings",
    "concerns",
    "concern_answers",
    "concern_marks",
    "flags",
    "moderation_events",
)


@dataclass
class Seeded:
    store: Store
    round_id: int
    doc: dict[str, Any]  # the round's export as JSON
    kind: str  # sqlite or postgres


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def seeded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Seeded]:
    """The demo in a database of its own (once per module and store), its richest round."""
    store = Store(make_database(request.param, request, tmp_path_factory.mktemp("seeded")))
    try:
        round_id = seeded_round(store)
        yield Seeded(store, round_id, as_json(round_data(store, round_id=round_id)), request.param)
    finally:
        store.dispose()


def seeded_round(store: Store) -> int:
    """The demo's richest round, with a flag and a hidden definition added (moderation)."""
    create_demo(store)
    with store.read() as s:
        rounds = list(s.scalars(select(Round.id).order_by(Round.id)))
    best = max(rounds, key=lambda r: sum(bool(round_data(store, round_id=r)[k]) for k in KINDS))
    data = round_data(store, round_id=best)
    voter = data["votes"][0]["participant"]
    flag_statement(
        store, participant_id=voter, statement_id=data["statements"][0]["id"], reason="rude"
    )
    set_hidden(
        store,
        actor=ADMIN,
        kind="definition",
        ident=data["definitions"][0]["id"],
        hidden=True,
        reason="off topic",
    )
    analyze_round(store, round_id=best)
    return best


def other_store(request: pytest.FixtureRequest, kind: str, tmp_path: Path) -> Store:
    """A fresh database of ``kind`` beside the seeded one."""
    folder = tmp_path / "second"
    folder.mkdir()
    return Store(make_database(kind, request, folder))


def as_imported(doc: dict[str, Any]) -> dict[str, Any]:
    """The document as an import keeps it: without the analysis and its groups (recomputed
    there), and a concern raised in an earlier round belonging to this one (the only round
    the export holds)."""
    out = copy.deepcopy(doc)
    out["analysis"] = None
    for p in out["participants"]:
        p["group"] = None
    for c in out["concerns"]:
        c["raised_in_round_id"] = doc["round_id"]
    return out


def test_the_shipped_schema_is_the_one_the_tables_make() -> None:
    assert shipped_schema() == build_schema()
    jsonschema.Draft202012Validator.check_schema(shipped_schema())


def test_export_fits_its_schema_and_reads_back_into_a_fresh_database(
    seeded: Seeded, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    doc = seeded.doc
    validator = jsonschema.Draft202012Validator(
        shipped_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    assert not [e.message for e in validator.iter_errors(doc)][:3]
    for kind in KINDS:
        assert doc[kind], f"the seeded round has no {kind}"
    assert any(e["kind"] == "text_hidden" for e in doc["moderation_events"])
    assert any(d["hidden_reason"] == "off topic" for d in doc["definitions"])
    assert doc["analysis"] is not None and any(p["group"] is not None for p in doc["participants"])
    broken = copy.deepcopy(doc)
    broken["votes"][0]["value"] = 2
    assert any("votes" in list(e.absolute_path) for e in validator.iter_errors(broken))

    fresh = other_store(request, seeded.kind, tmp_path)
    try:
        done = import_round(fresh, doc)
        assert done.mapping == {}  # a fresh database keeps every id
        assert (done.dialogue_id, done.round_id) == (doc["dialogue_id"], doc["round_id"])
        back = as_json(round_data(fresh, round_id=done.round_id))
        assert back == as_imported(doc)
        with fresh.read() as s:
            assert s.scalar(select(func.count()).select_from(Vote)) == len(doc["votes"])
        # the ids the import wrote do not collide with the next ones the database hands out
        again = import_round(fresh, doc)
        assert again.dialogue_id != done.dialogue_id and again.mapping
    finally:
        fresh.dispose()


def test_an_import_into_a_used_database_renumbers_and_says_how(seeded: Seeded) -> None:
    store, round_id, doc = seeded.store, seeded.round_id, seeded.doc
    done = import_round(store, doc)
    assert done.round_id != round_id
    for name in ("dialogues", "participants", "statements", "votes", *SECTIONS):
        if doc.get(name) or name == "dialogues":
            assert name in done.mapping, name
    assert {k: done.counts[k] for k in SECTIONS} == {k: len(doc[k]) for k in SECTIONS}
    back = as_json(round_data(store, round_id=done.round_id))
    people, said = done.mapping["participants"], done.mapping["statements"]
    assert sorted(s["text"] for s in back["statements"]) == sorted(
        s["text"] for s in doc["statements"]
    )
    assert [(v["statement"], v["participant"], v["value"], v["at"]) for v in back["votes"]] == [
        (said[v["statement"]], people[v["participant"]], v["value"], v["at"]) for v in doc["votes"]
    ]
    for name in ("definitions", "restatements", "concern_answers"):
        assert sorted(r["text"] for r in back[name]) == sorted(r["text"] for r in doc[name])
    assert sorted(t["text"] for t in back["translations"]) == sorted(
        t["text"] for t in doc["translations"]
    )


def test_an_import_refuses_what_is_not_an_export_and_writes_nothing(seeded: Seeded) -> None:
    from alteram.errors import InvalidInput
    from alteram.store.schema import Dialogue

    store, doc = seeded.store, seeded.doc
    with store.read() as s:
        before = s.scalar(select(func.count()).select_from(Dialogue))
    bad = copy.deepcopy(doc)
    bad["votes"][-1]["statement"] = 10**9
    for wrong, says in (
        ({"format": "polis"}, "not an alteram round export"),
        ({**doc, "format_version": 99}, "format version 99"),
        (bad, "refers to statements 1000000000"),
        ({k: v for k, v in doc.items() if k != "concerns"}, "lacks a field"),
    ):
        with pytest.raises(InvalidInput, match=says):
            import_round(store, wrong)
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Dialogue)) == before


REAL = "polis-opendata/15-per-hour-seattle"


def header(text: str) -> list[str]:
    return next(csv.reader(io.StringIO(text)))


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_polis_set_reads_like_polis_open_data_and_back(
    seeded: Seeded, shared_data: Path, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """Polis's layout (checked against Polis's own open data), alteram's ids and comment
    times, files that agree with each other, read back by the Polis importer."""
    store, round_id = seeded.store, seeded.round_id
    data = round_data(store, round_id=round_id)
    files = as_csv(data)
    real = shared_data / REAL
    polis = {name: (real / name).read_text(encoding="utf-8") for name in POLIS_FILES}

    # the layout: Polis's columns first, in Polis's order; the summary's keys
    for name in ("comments.csv", "votes.csv"):
        theirs = header(polis[name])
        assert header(files[name])[: len(theirs)] == theirs, name
    wide = header(files["participants-votes.csv"])
    assert wide[:6] == header(polis["participants-votes.csv"])[:6]
    assert wide[6:] == [str(s["id"]) for s in data["statements"]]  # alteram's comment ids
    keys = [line.split(",")[0] for line in polis["summary.csv"].splitlines()]
    ours = dict(csv.reader(io.StringIO(files["summary.csv"])))
    assert keys == list(ours)[: len(keys)]
    assert int(ours["comments"]) == len(data["statements"])

    # comment times and ids are alteram's own
    comments = rows(files["comments.csv"])
    assert [int(c["comment-id"]) for c in comments] == [s["id"] for s in data["statements"]]
    assert [int(c["timestamp"]) for c in comments] == [
        int(s["at"].timestamp() * 1000) for s in data["statements"]
    ]

    # participants-votes.csv holds each participant's latest vote in votes.csv and their group
    latest: dict[tuple[str, str], str] = {}
    for v in rows(files["votes.csv"]):
        latest[(v["voter-id"], v["comment-id"])] = v["vote"]
    analysis = latest_analysis(store, round_id=round_id)
    assert analysis is not None
    group = {str(p["id"]): p["group"] for p in analysis.result["participants"]}
    people = rows(files["participants-votes.csv"])
    assert {p["participant"] for p in people} >= {pid for pid, _ in latest}
    assert int(ours["voters"]) == len({pid for pid, _ in latest})
    clustered = 0
    for p in people:
        mine = {c: p[c] for c in wide[6:] if p[c] != ""}
        assert mine == {c: val for (pid, c), val in latest.items() if pid == p["participant"]}
        assert int(p["n-votes"]) == len(mine)
        assert int(p["n-agree"]) == list(mine.values()).count("1")
        assert int(p["n-disagree"]) == list(mine.values()).count("-1")
        want = group.get(p["participant"])
        assert p["group-id"] == ("" if want is None else str(want))
        clustered += want is not None
    assert clustered > 0
    written = sum(int(p["n-comments"]) for p in people)
    assert 0 < written <= len(data["statements"])

    # Polis's reader and importer take the set back
    folder = tmp_path / "polis"
    folder.mkdir()
    for name in POLIS_FILES:
        (folder / name).write_text(files[name], encoding="utf-8")
    back = read_polis_export(folder)
    assert len(back.votes) == len(data["votes"])
    assert back.summary["topic"] == ours["topic"]
    assert back.groups == {int(p["participant"]): group.get(p["participant"]) for p in people}
    fresh = other_store(request, seeded.kind, tmp_path)
    try:
        done = import_polis(fresh, back, source=folder)
        assert done.votes == len(data["votes"]) and done.statements == len(data["statements"])
        again = round_data(fresh, round_id=done.round_id)
        said = done.mapping["statements"]
        people_map = done.mapping["participants"]
        texts = {s["id"]: s["text"] for s in again["statements"]}
        assert sorted(texts.values()) == sorted(s["text"] for s in data["statements"])
        assert sorted(
            (texts[v["statement"]], v["value"], v["at"]) for v in again["votes"]
        ) == sorted(
            (
                next(s["text"] for s in data["statements"] if s["id"] == v["statement"]),
                v["value"],
                v["at"].replace(microsecond=v["at"].microsecond // 1000 * 1000),
            )
            for v in data["votes"]
        )
        assert set(people_map) == {int(p["participant"]) for p in people}
        assert set(said) == {s["id"] for s in data["statements"]}
    finally:
        fresh.dispose()
