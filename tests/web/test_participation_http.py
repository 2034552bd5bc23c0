"""Bad input over real HTTP: a clear message, the right status, and nothing stored damaged."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from alteram.service.dialogues import create_dialogue, replace_invite
from alteram.service.participation import MAX_STATEMENT_LENGTH
from alteram.service.rounds import close_round, create_round, open_round, suspend_round
from alteram.store.database import Store
from alteram.store.schema import Statement, Vote
from tests.conftest import make_database
from tests.web.conftest import LiveServer, start_server, stop_server


@dataclass
class World:
    server: LiveServer
    store: Store
    round_id: int
    tokens: dict[int, str]
    sides: list[int]
    old_token: str


@pytest.fixture(scope="module")
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    workdir: Path = tmp_path_factory.mktemp("http-bad-input")
    url = make_database("sqlite", request, workdir)
    store = Store(url)
    d = create_dialogue(store, title="T", sides=["A", "B"])
    r = create_round(store, dialogue_id=d.dialogue_id)
    open_round(store, round_id=r)
    old = d.invite_tokens[d.side_ids[0]]
    tokens = {
        d.side_ids[0]: replace_invite(store, side_id=d.side_ids[0]),
        d.side_ids[1]: d.invite_tokens[d.side_ids[1]],
    }
    server = start_server(url, workdir)
    try:
        yield World(server, store, r, tokens, d.side_ids, old)
    finally:
        stop_server(server)
        store.dispose()


def _join(w: World, side: int) -> dict[str, str]:
    r = httpx.post(w.server.url + "/api/join", json={"token": w.tokens[w.sides[side]]})
    assert r.status_code == 201
    return {"authorization": "Bearer " + r.json()["session_token"]}


def _write(w: World, who: dict[str, str], text: str) -> httpx.Response:
    return httpx.post(
        f"{w.server.url}/api/rounds/{w.round_id}/statements",
        json={"text": text},
        headers=who,
        timeout=60,
    )


def test_statements_empty_oversize_and_escaped(world: World) -> None:
    a, b = _join(world, 0), _join(world, 1)
    for text, status in (("   ", 422), ("x" * (MAX_STATEMENT_LENGTH + 1), 422)):
        r = _write(world, a, text)
        assert r.status_code == status
        assert r.json()["error"]["code"] == "invalid_input"
    script = "<script>alert('pwned')</script> we value water"
    written = _write(world, a, script)
    assert written.status_code == 201 and written.json()["move"]
    # The other side sees it escaped on the voting page.
    client = httpx.Client(base_url=world.server.url)
    page = client.get(f"/join/{world.tokens[world.sides[1]]}")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf
    client.post(f"/join/{world.tokens[world.sides[1]]}", data={"csrf_token": csrf.group(1)})
    vote_page = client.get("/vote").text
    assert "<script>alert" not in vote_page and "&lt;script&gt;" in vote_page
    assert b


def test_second_vote_is_kept_as_history(world: World) -> None:
    a, b = _join(world, 0), _join(world, 1)
    sid = _write(world, a, "Rivers need care from both banks.").json()["statement_id"]
    url = f"{world.server.url}/api/statements/{sid}/votes"
    first = httpx.post(url, json={"value": 1, "predictions": {str(world.sides[0]): 70}}, headers=b)
    second = httpx.post(url, json={"value": -1}, headers=b)
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json()["replaced_earlier_vote"] is True
    with world.store.read() as s:
        values = s.scalars(
            select(Vote.value).where(Vote.statement_id == sid).order_by(Vote.id)
        ).all()
    assert values == [1, -1]


def test_unknown_ids_and_revoked_links(world: World) -> None:
    a = _join(world, 0)
    r = httpx.post(f"{world.server.url}/api/statements/987654/votes", json={"value": 1}, headers=a)
    assert (
        r.status_code == 404 and "statement 987654 does not exist" in r.json()["error"]["message"]
    )
    r = httpx.post(
        f"{world.server.url}/api/rounds/987654/statements", json={"text": "hi"}, headers=a
    )
    assert r.status_code == 404
    page = httpx.get(f"{world.server.url}/join/{world.old_token}")
    assert page.status_code == 403 and "revoked" in page.text
    zh_page = httpx.get(f"{world.server.url}/join/{world.old_token}?lang=zh")
    assert zh_page.status_code == 403
    assert "此邀请链接已被主持人撤销。 请向主持人索取您所在一方的当前链接。" in zh_page.text
    api = httpx.post(world.server.url + "/api/join", json={"token": world.old_token})
    assert api.status_code == 403 and api.json()["error"]["code"] == "forbidden"
    nobody = httpx.get(world.server.url + "/vote")
    assert nobody.status_code == 401 and "invite link" in nobody.text


def test_rate_limit_on_statements(world: World) -> None:
    a = _join(world, 1)
    statuses = [_write(world, a, f"Thought number {i}").status_code for i in range(6)]
    assert statuses == [201] * 5 + [429]
    with world.store.read() as s:
        n = len(s.scalars(select(Statement).where(Statement.text.like("Thought number%"))).all())
    assert n == 5


def test_closed_and_suspended_rounds_refuse_votes_and_statements(world: World) -> None:
    a, b = _join(world, 0), _join(world, 1)
    sid = _write(world, a, "Before the pause.").json()["statement_id"]
    suspend_round(world.store, round_id=world.round_id, reason="Flood season")
    r = httpx.post(f"{world.server.url}/api/statements/{sid}/votes", json={"value": 1}, headers=b)
    assert r.status_code == 409 and "suspended" in r.json()["error"]["message"]
    # the same refusal for a reader of Chinese: message, state, action and hint translated
    zh = httpx.post(
        f"{world.server.url}/api/statements/{sid}/votes",
        json={"value": 1},
        headers={**b, "accept-language": "zh-CN,zh;q=0.9"},
    )
    assert zh.status_code == 409
    assert zh.json()["error"]["message"] == (
        "第 1 轮已暂停：您现在不能投票。 本轮已暂停，请等待主持人恢复。"
    )
    assert _write(world, b, "During the pause.").status_code == 409
    me = httpx.get(world.server.url + "/api/me", headers=b).json()
    assert me["current_round"]["reason"]["text"] == "Flood season"
    close_round(world.store, round_id=world.round_id)
    r = httpx.post(f"{world.server.url}/api/statements/{sid}/votes", json={"value": 1}, headers=b)
    assert r.status_code == 409 and "closed" in r.json()["error"]["message"]
