"""Live pages over real HTTP: a change written by another process reaches the event stream."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from alteram.service.participation import add_statement, admit, record_vote
from tests.web.people_world import World, make_world


@pytest.fixture(scope="module", params=["sqlite"])
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    workdir: Path = tmp_path_factory.mktemp("http-live")
    yield from make_world(request, workdir)


def _events(lines: Iterator[str], until: float) -> Iterator[tuple[str, str]]:
    kind = ""
    for line in lines:
        if time.monotonic() > until:
            return
        if line.startswith("event: "):
            kind = line[7:]
        elif line.startswith("data: "):
            yield kind, line[6:]


def test_a_vote_by_another_process_reaches_the_team_s_stream(world: World) -> None:
    author = admit(world.store, token=world.tokens[world.sides[0]]).participant_id
    voter = admit(world.store, token=world.tokens[world.sides[1]]).participant_id
    sid = add_statement(world.store, participant_id=author, round_id=world.round_id, text="Hi.")
    url = f"{world.url}/rounds/{world.round_id}/events"
    with httpx.stream("GET", url, headers=world.owner, timeout=30) as stream:
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        seen = _events(stream.iter_lines(), time.monotonic() + 25)
        kind, first = next(seen)
        assert kind == "version"
        # this test process is not the server: the vote reaches it through the database
        record_vote(world.store, participant_id=voter, statement_id=sid, value=1)
        kind, now = next(seen)
        assert kind == "change" and int(now) > int(first)


def test_others_get_no_stream_of_an_unpublished_round(world: World) -> None:
    member, _ = world.member(world.tokens[world.sides[0]])
    url = f"{world.url}/rounds/{world.round_id}/events"
    assert httpx.get(url, headers=member, timeout=30).status_code == 403
    assert httpx.get(url, headers=world.stranger, timeout=30).status_code == 404
    assert httpx.get(url, timeout=30).status_code in (401, 404)


def test_the_live_parts_of_the_round_page_are_marked_and_the_script_is_served(
    world: World,
) -> None:
    page = httpx.get(f"{world.url}/facilitate/rounds/{world.round_id}", headers=world.owner)
    assert page.status_code == 200
    assert 'id="live" data-live' in page.text and 'id="queue" data-live' in page.text
    assert f'data-events="/rounds/{world.round_id}/events"' in page.text
    script = httpx.get(world.url + "/static/live.js")
    assert script.status_code == 200 and "EventSource" in script.text


def test_the_facilitator_chooses_when_feedback_opens(world: World) -> None:
    here = f"{world.url}/facilitate/rounds/{world.round_id}"
    page = httpx.get(here, headers=world.owner)
    assert re.search(r'<option value="published" selected>', page.text)
    done = httpx.post(f"{here}/feedback", data={"moment": "all_voted"}, headers=world.owner)
    assert done.status_code == 303
    page = httpx.get(here, headers=world.owner)
    assert re.search(r'<option value="all_voted" selected>', page.text)
    refused = httpx.post(f"{here}/feedback", data={"moment": "never"}, headers=world.owner)
    assert refused.status_code == 422 and "one of all_voted, closed, published" in refused.text
    stranger = httpx.post(f"{here}/feedback", data={"moment": "closed"}, headers=world.stranger)
    assert stranger.status_code in (403, 404)
