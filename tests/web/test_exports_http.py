"""Exports over real HTTP (SQLite and PostgreSQL): the facilitator's round page links to the
report and to every export file, each link downloads for the team, nobody else gets them,
and the ZIP's round.json fits the schema the server publishes."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator

import httpx
import jsonschema
import pytest
from bs4 import BeautifulSoup

from alteram.service.exports import CSV_FILES, POLIS_FILES
from alteram.service.participation import add_statement, admit, record_vote
from tests.web.people_world import World, make_world


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    for w in make_world(request, tmp_path_factory.mktemp(f"exports-{request.param}")):
        people = [
            admit(w.store, token=w.tokens[w.sides[i % 2]], display_name=f"voter {i}")
            for i in range(4)
        ]
        said = [
            add_statement(
                w.store,
                participant_id=people[i].participant_id,
                round_id=w.round_id,
                text=f"The river is {word} to us.",
            )
            for i, word in enumerate(("sacred", "work", "home"))
        ]
        for i, p in enumerate(people):
            for j, sid in enumerate(said):
                record_vote(
                    w.store,
                    participant_id=p.participant_id,
                    statement_id=sid,
                    value=(i + j) % 3 - 1,
                )
        yield w


def links(w: World) -> dict[str, str]:
    page = httpx.get(f"{w.url}/facilitate/rounds/{w.round_id}", headers=w.owner, timeout=60)
    assert page.status_code == 200, page.text
    section = BeautifulSoup(page.text, "html.parser").select_one("#exports")
    assert section is not None
    return {a.text.strip(): str(a["href"]) for a in section.select("a")}


def test_the_round_page_links_the_report_and_every_export(world: World) -> None:
    found = links(world)
    hrefs = set(found.values())
    assert f"/rounds/{world.round_id}/report" in hrefs
    assert {f"/api/rounds/{world.round_id}/export/{f}" for f in CSV_FILES} <= hrefs
    assert set(POLIS_FILES) <= set(found)
    for href in hrefs:
        r = httpx.get(world.url + href, headers=world.owner, timeout=60)
        assert r.status_code == 200, (href, r.text[:200])
        if href.endswith(".csv"):
            assert r.headers["content-type"].startswith("text/csv")
            assert next(csv.reader(io.StringIO(r.text)))  # a header row


def test_the_zip_holds_every_file_and_its_json_fits_the_published_schema(world: World) -> None:
    r = httpx.get(
        f"{world.url}/api/rounds/{world.round_id}/export.zip", headers=world.owner, timeout=60
    )
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    z = zipfile.ZipFile(io.BytesIO(r.content))
    assert set(CSV_FILES) | {"round.json", "export.schema.json"} == set(z.namelist())
    schema = httpx.get(f"{world.url}/api/export-schema.json", timeout=60).json()  # public
    assert json.loads(z.read("export.schema.json")) == schema
    doc = json.loads(z.read("round.json"))
    jsonschema.validate(doc, schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    assert len(doc["votes"]) == 12 and len(doc["statements"]) == 3
    votes = list(csv.DictReader(io.StringIO(z.read("votes.csv").decode())))
    assert sorted(int(v["voter-id"]) for v in votes) == sorted(
        v["participant"] for v in doc["votes"]
    )


def test_exports_are_the_teams_only(world: World) -> None:
    r = world.round_id
    paths = [
        f"/api/rounds/{r}/export.json",
        f"/api/rounds/{r}/export.zip",
        *(f"/api/rounds/{r}/export/{f}" for f in CSV_FILES),
    ]
    for path in paths:
        assert httpx.get(world.url + path, timeout=60).status_code == 401, path
        assert httpx.get(world.url + path, headers=world.stranger, timeout=60).status_code == 404
    member, _ = world.member(world.tokens[world.sides[0]])
    assert httpx.get(world.url + paths[0], headers=member, timeout=60).status_code in (401, 403)
    unknown = httpx.get(f"{world.url}/api/rounds/{r}/export/secrets.csv", headers=world.owner)
    assert unknown.status_code == 404 and "secrets.csv" in unknown.json()["error"]["message"]
