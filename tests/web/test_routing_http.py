"""Over real HTTP: a new participant is served both sides in turn, then sees their feedback."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from alteram.service import ratelimit
from alteram.service.access import ADMIN
from alteram.service.dialogues import create_dialogue
from alteram.service.feedback import set_feedback_moment
from alteram.service.participation import add_statement, admit, moderate_statement, record_vote
from alteram.service.rounds import create_round, open_round
from alteram.store.database import Store
from tests.conftest import make_database
from tests.web.conftest import start_server, stop_server


@pytest.fixture
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Store, int, dict[int, str], list[int], dict[int, int]]]:
    workdir: Path = tmp_path_factory.mktemp("http-routing")
    url = make_database("sqlite", request, workdir)
    store = Store(url)
    d = create_dialogue(store, title="Rivers", sides=["Upstream", "Downstream"])
    r = create_round(store, dialogue_id=d.dialogue_id)
    open_round(store, round_id=r)
    ratelimit.configure(enabled=False)  # the test writes ten statements at once
    side_of = {}
    try:
        for side in d.side_ids:
            author = admit(store, token=d.invite_tokens[side], display_name="w").participant_id
            for i in range(5):
                sid = add_statement(
                    store, participant_id=author, round_id=r, text=f"View {i} of side {side}."
                )
                moderate_statement(store, statement_id=sid, accept=True)
                side_of[sid] = side
    finally:
        ratelimit.configure(enabled=True)
    server = start_server(url, workdir)
    try:
        yield server.url, store, r, d.invite_tokens, d.side_ids, side_of
    finally:
        stop_server(server)
        store.dispose()


def test_a_new_participant_sees_the_sides_in_turn_then_their_feedback(
    world: tuple[str, Store, int, dict[int, str], list[int], dict[int, int]],
) -> None:
    base, store, round_id, tokens, sides, side_of = world
    set_feedback_moment(store, actor=ADMIN, round_id=round_id, moment="all_voted")
    joined = httpx.post(base + "/api/join", json={"token": tokens[sides[0]]})
    assert joined.status_code == 201
    auth = {"authorization": "Bearer " + joined.json()["session_token"]}
    assert httpx.get(f"{base}/rounds/{round_id}/me", headers=auth).status_code == 409
    early = httpx.get(f"{base}/api/rounds/{round_id}/feedback", headers=auth)
    assert early.status_code == 409 and "every statement" in early.json()["error"]["message"]
    served = []
    for _ in range(len(side_of)):
        nxt = httpx.get(f"{base}/api/rounds/{round_id}/next?limit=1", headers=auth)
        assert nxt.status_code == 200
        (first,) = nxt.json()
        served.append(first["side_id"])
        assert side_of[first["id"]] == first["side_id"]
        vote = httpx.post(
            f"{base}/api/statements/{first['id']}/votes",
            json={"value": 1, "predictions": {str(sides[1]): 40}},
            headers=auth,
        )
        assert vote.status_code == 201
    assert served == [sides[1], sides[0]] * 5  # not five of the other side in a row
    assert httpx.get(f"{base}/api/rounds/{round_id}/next", headers=auth).json() == []
    page = httpx.get(base + "/vote", headers=auth)
    assert f'href="/rounds/{round_id}/me"' in page.text
    me = httpx.get(f"{base}/rounds/{round_id}/me", headers=auth)
    assert me.status_code == 200
    # ten predictions of Downstream, one per vote; no one of Downstream has voted yet
    assert len(re.findall(r'<li data-statement="\d+">', me.text.split('id="place"')[0])) == 10
    assert (
        me.text.count("You thought 40 % of Downstream agree; none of them has voted on it yet.")
        == 10
    )
    # the same view as data, once one Downstream participant has agreed with two statements
    other = admit(store, token=tokens[sides[1]]).participant_id
    mine = [sid for sid, side in side_of.items() if side == sides[0]][:2]
    for sid in mine:
        record_vote(store, participant_id=other, statement_id=sid, value=1)
    data = httpx.get(f"{base}/api/rounds/{round_id}/feedback", headers=auth).json()
    assert (data["voted"], data["statements"], len(data["predictions"])) == (10, 10, 10)
    by_id = {p["statement_id"]: p for p in data["predictions"]}
    for sid, p in by_id.items():
        assert p["predicted"] == 40 and p["side"] == "Downstream"
        if sid in mine:
            assert (p["agree"], p["seen"], p["actual"], p["gap"]) == (1, 1, 100.0, 60.0)
        else:
            assert (p["seen"], p["actual"], p["gap"]) == (0, None, None)
    assert data["my_gap"] == 60.0 and data["side_predictors"] == 1
    assert {s["statement_id"] for s in data["shared"]} == set(mine)
    assert all(s["text"]["original"].startswith("View ") for s in data["shared"])
