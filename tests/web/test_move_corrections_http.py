"""Correcting a statement's move over real HTTP: the API for the team, refused to anyone
else, the round's team page showing the correction, and the export carrying it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import httpx
import pytest
from bs4 import BeautifulSoup

from alteram.service.participation import add_statement, admit
from tests.web.people_world import World, make_world


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    yield from make_world(request, tmp_path_factory.mktemp(f"moves-{request.param}"))


def test_the_team_corrects_a_move_and_sees_it(world: World) -> None:
    author = admit(world.store, token=world.tokens[world.sides[0]], display_name="writer")
    sid = add_statement(
        world.store,
        participant_id=author.participant_id,
        round_id=world.round_id,
        text="We demand that you open the sluice gates now.",
    )
    url = f"{world.url}/api/statements/{sid}/move"
    # a facilitator of another dialogue, a participant and nobody get nothing
    assert httpx.post(url, json={"move": "explain"}, headers=world.stranger).status_code == 404
    participant, _ = world.member(world.tokens[world.sides[1]], display_name="reader")
    assert httpx.post(url, json={"move": "explain"}, headers=participant).status_code in (
        401, 403, 404,
    )  # fmt: skip
    assert httpx.post(url, json={"move": "explain"}).status_code == 401
    assert httpx.post(url, json={"move": "shout"}, headers=world.owner).status_code == 422
    done = httpx.post(url, json={"move": "bridge"}, headers=world.owner)
    assert done.status_code == 200, done.text
    body = done.json()
    assert (body["move"], body["original_move"], body["corrected_by"]) == (
        "bridge", "demand", world.owner_email,
    )  # fmt: skip
    assert body["original_confidence"] is not None and body["corrections"] == 1
    page = httpx.get(f"{world.url}/facilitate/rounds/{world.round_id}", headers=world.owner)
    assert page.status_code == 200
    item = BeautifulSoup(page.text, "html.parser").select_one(f'li.queued[data-id="{sid}"]')
    assert item is not None
    assert item.select_one(".move").get_text() == "bridge"
    corrected = item.select_one(".corrected")
    assert corrected is not None and world.owner_email in corrected.get_text()
    assert "demand" in corrected.get_text()
    # the page's own form corrects too
    form = httpx.post(
        f"{world.url}/facilitate/statements/{sid}/move",
        data={"move": "inquire"},
        headers=world.owner,
    )
    assert form.status_code == 303
    export = httpx.get(
        f"{world.url}/api/rounds/{world.round_id}/export/moves-corrections.csv",
        headers=world.owner,
    )
    assert export.status_code == 200
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert [(r["comment-id"], r["original-move"], r["corrected-move"], r["corrections"])
            for r in rows] == [(str(sid), "demand", "inquire", "2")]  # fmt: skip
