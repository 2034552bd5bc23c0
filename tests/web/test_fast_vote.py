"""The vote route's short way (:mod:`alteram.web.fast_vote`): taken for a known voter's
vote, and answering exactly as the FastAPI route does, errors included."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import anyio
import httpx
import pytest
from sqlalchemy import func, select

from alteram.config import Settings
from alteram.service import group_commit
from alteram.service.dialogues import create_dialogue
from alteram.service.participation import add_statement, moderate_statement
from alteram.service.rounds import close_round, create_round, open_round
from alteram.store.database import Store
from alteram.store.schema import Vote
from alteram.web import auth
from alteram.web.app import create_app


@dataclass
class Ways:
    """How many votes went the route's way and how many the short way."""

    route: int = 0
    short: int = 0
    calls: list[str] = field(default_factory=list)


@dataclass
class World:
    store: Store
    ask: Callable[..., list[httpx.Response]]
    ways: Ways
    sides: list[int]
    statements: list[int]
    closed_statement: int
    tokens: dict[int, str]


@pytest.fixture
def world(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    store = Store(database_url)
    d = create_dialogue(store, title="T", sides=["A", "B"])
    old = create_round(store, dialogue_id=d.dialogue_id)
    open_round(store, round_id=old)
    from alteram.service.participation import admit

    author = admit(store, token=d.invite_tokens[d.side_ids[0]], display_name="author")

    def statement(round_id: int, i: int) -> int:
        sid = add_statement(
            store, participant_id=author.participant_id, round_id=round_id, text=f"Statement {i}."
        )
        moderate_statement(store, statement_id=sid, accept=True)
        return sid

    closed = statement(old, 0)
    close_round(store, round_id=old)
    current = create_round(store, dialogue_id=d.dialogue_id)
    open_round(store, round_id=current)
    statements = [statement(current, i) for i in range(1, 5)]

    ways = Ways()
    by_route, by_short = group_commit.record_vote, group_commit.record_vote_async

    def route(*args: Any, **kwargs: Any) -> Any:
        ways.route += 1
        return by_route(*args, **kwargs)

    async def short(*args: Any, **kwargs: Any) -> Any:
        ways.short += 1
        return await by_short(*args, **kwargs)

    monkeypatch.setattr(group_commit, "record_vote", route)
    monkeypatch.setattr(group_commit, "record_vote_async", short)
    app = create_app(Settings(dev=True, database_url=database_url, rate_limits="off"), store=store)

    def ask(*requests: dict[str, Any]) -> list[httpx.Response]:
        async def run() -> list[httpx.Response]:
            transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="http://alteram.test") as c:
                return [await c.request(**r) for r in requests]

        # In a thread of its own: another test's event loop may be running in this one.
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(anyio.run, run).result()

    try:
        yield World(store, ask, ways, d.side_ids, statements, closed, dict(d.invite_tokens))
    finally:
        store.dispose()


def _join(w: World) -> str:
    (r,) = w.ask({"method": "POST", "url": "/api/join", "json": {"token": w.tokens[w.sides[1]]}})
    assert r.status_code == 201, r.text
    return str(r.json()["session_token"])


def _vote(token: str, statement: int, body: Any, **headers: str) -> dict[str, Any]:
    return {
        "method": "POST",
        "url": f"/api/statements/{statement}/votes",
        "json": body,
        "headers": {"authorization": f"Bearer {token}", **headers},
    }


def test_a_known_voter_s_vote_skips_the_router_and_is_stored(world: World) -> None:
    token = _join(world)
    first, second = world.ask(
        _vote(token, world.statements[0], {"value": 1}),
        _vote(token, world.statements[1], {"value": -1, "predictions": {str(world.sides[0]): 40}}),
    )
    assert (first.status_code, second.status_code) == (201, 201), second.text
    assert (world.ways.route, world.ways.short) == (1, 1)  # the token was known by then
    assert second.json() == {"vote_id": second.json()["vote_id"], "replaced_earlier_vote": False}
    assert second.headers["content-type"] == "application/json"
    assert second.headers["x-content-type-options"] == "nosniff"  # the outer layers still run
    with world.store.read() as s:
        stored = set(s.scalars(select(Vote.id)))
    assert {first.json()["vote_id"], second.json()["vote_id"]} <= stored
    (again,) = world.ask(_vote(token, world.statements[1], {"value": 1}))
    assert again.status_code == 201 and again.json()["replaced_earlier_vote"] is True
    assert world.ways.short == 2


@pytest.mark.parametrize(
    "case",
    ["closed round", "own side predicted", "no such statement", "in Chinese", "bad value"],
)
def test_the_short_way_answers_as_the_route_does(world: World, case: str) -> None:
    token = _join(world)
    own, other = str(world.sides[1]), str(world.sides[0])
    request = {
        "closed round": _vote(token, world.closed_statement, {"value": 1}),
        "own side predicted": _vote(
            token, world.statements[0], {"value": 1, "predictions": {own: 5}}
        ),
        "no such statement": _vote(token, 999_999, {"value": 0}),
        "in Chinese": _vote(
            token, world.closed_statement, {"value": 1}, **{"accept-language": "zh-CN"}
        ),
        "bad value": _vote(token, world.statements[0], {"value": 5, "predictions": {other: 5}}),
    }[case]
    auth._voters.clear()  # the token is unknown: the route answers, and remembers the voter
    (by_route,) = world.ask(request)
    before = world.ways.short
    (by_short,) = world.ask(request)
    assert by_route.status_code >= 400
    assert (by_short.status_code, by_short.json()) == (by_route.status_code, by_route.json())
    assert by_short.headers.get("retry-after") == by_route.headers.get("retry-after")
    if case != "bad value":  # a body the model refuses goes on to the route, for its 422
        assert world.ways.short == before + 1
    with world.store.read() as s:
        assert s.scalar(select(func.count(Vote.id))) == 0


def test_a_cookie_vote_goes_the_route_s_way_with_its_csrf_check(world: World) -> None:
    token = _join(world)
    (r,) = world.ask(
        {
            "method": "POST",
            "url": f"/api/statements/{world.statements[0]}/votes",
            "json": {"value": 1},
            "headers": {"cookie": f"{auth.COOKIE}={token}"},
        }
    )
    assert r.status_code == 403  # no X-CSRF-Token: refused, as always
    assert world.ways.short == 0
