"""A published round's report is frozen (#12): what later rounds add does not change it; a
new version is published deliberately and earlier versions stay readable. Real HTTP, both
stores."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup

from alteram.service.accounts import create_facilitator
from alteram.service.concerns import answer_concern, raise_concern
from alteram.service.dialogues import create_dialogue
from alteram.service.joining import admit
from alteram.service.participation import add_statement, record_vote
from alteram.service.report import round_report
from alteram.service.rounds import close_round, create_round, open_round
from alteram.store.database import Store
from tests.conftest import make_database
from tests.web.conftest import LiveServer, start_server, stop_server

PASSWORD = "a long passphrase"
ANSWER = "Upstream farms need the water in August; we can share the schedule."


@dataclass
class World:
    server: LiveServer
    store: Store
    round_id: int
    dialogue_id: int
    people: dict[str, int]
    concern_id: int
    owner: dict[str, str]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    url = make_database(request.param, request, tmp_path)
    store = Store(url)
    owner = create_facilitator(store, email="owner@example.org", password=PASSWORD)
    d = create_dialogue(
        store,
        title="River",
        sides=["Upstream", "Downstream"],
        owner_account_id=owner,
        visibility="public",
    )
    r = create_round(store, dialogue_id=d.dialogue_id, topics=["What does the river give you?"])
    open_round(store, round_id=r)
    people = {}
    for i, side in enumerate(d.side_ids):
        for n in range(1, 4):
            name = f"{'ab'[i]}{n}"
            people[name] = admit(
                store, token=d.invite_tokens[side], display_name=name
            ).participant_id
    sids = [
        add_statement(store, participant_id=people[w], round_id=r, text=t)
        for w, t in (
            ("a1", "The river feeds our fields."),
            ("b1", "The river is our drinking water."),
        )
    ]
    for name, pid in people.items():
        for sid in sids:
            record_vote(store, participant_id=pid, statement_id=sid, value=1 if name < "b3" else -1)
    concern = raise_concern(
        store,
        participant_id=people["b1"],
        title="Water in August",
        why_it_matters="Our wells run dry when the dam holds the water back.",
    )
    server = start_server(url, tmp_path)
    login = httpx.post(
        server.url + "/api/auth/login", json={"email": "owner@example.org", "password": PASSWORD}
    )
    assert login.status_code == 200, login.text
    try:
        yield World(
            server,
            store,
            r,
            d.dialogue_id,
            people,
            concern,
            {"authorization": "Bearer " + login.json()["session_token"]},
        )
    finally:
        stop_server(server)
        store.dispose()


def report(world: World, query: str = "") -> tuple[int, str, BeautifulSoup]:
    answer = httpx.get(f"{world.server.url}/rounds/{world.round_id}/report{query}", timeout=120)
    soup = BeautifulSoup(answer.text, "html.parser")
    article = soup.select_one("article.report")
    return answer.status_code, str(article) if article else "", soup


def test_a_published_report_is_frozen_and_versions_stay_readable(world: World) -> None:
    url, r = world.server.url, world.round_id
    assert report(world)[0] == 403  # not published: the team's draft only
    published = httpx.post(f"{url}/api/rounds/{r}/publish", headers=world.owner, timeout=120)
    assert published.status_code == 200, published.text
    status, first, soup = report(world)
    assert status == 200 and "The river feeds our fields." in first
    assert soup.select_one(".report-versions .this-version")["data-version"] == "1"

    # the next round: the other side answers the concern
    close_round(world.store, round_id=r)
    r2 = create_round(world.store, dialogue_id=world.dialogue_id, topics=["And the dam?"])
    open_round(world.store, round_id=r2)
    answer_concern(
        world.store, participant_id=world.people["a1"], concern_id=world.concern_id, text=ANSWER
    )
    live = round_report(world.store, round_id=r, facilitator=True)
    assert any(ANSWER in a.text.text for c in live.concerns for a in c.answers)  # a live one would
    status, again, _ = report(world)
    assert status == 200 and again == first  # the published report did not change
    assert ANSWER not in again
    for lang in ("zh", "en"):  # nor in the other language
        assert ANSWER not in report(world, f"?lang={lang}")[1]

    # only the team publishes a new version, deliberately
    stranger = httpx.post(f"{url}/api/rounds/{r}/report/versions", timeout=60)
    assert stranger.status_code in (401, 403)
    new = httpx.post(f"{url}/api/rounds/{r}/report/versions", headers=world.owner, timeout=120)
    assert new.status_code == 201, new.text
    assert new.json() == {"round_id": r, "version": 2}
    status, second, soup = report(world)
    assert status == 200 and ANSWER in second
    assert soup.select_one(".report-versions .this-version")["data-version"] == "2"
    assert [a["data-version"] for a in soup.select(".versions-list a")] == ["1"]

    status, old, soup = report(world, "?version=1")
    assert status == 200 and old == first  # version 1 stays readable, as it was
    assert soup.select_one(".report-versions .this-version")["data-version"] == "1"
    assert report(world, "?version=3")[0] == 404
    # an unpublished round has no version to publish
    refused = httpx.post(f"{url}/api/rounds/{r2}/report/versions", headers=world.owner)
    assert refused.status_code == 409
