"""The lean vote route over real HTTP: concurrent votes committed together, and a sign-in
cache that never lets an ended session, a removed voter or a suspended round vote."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, update

from alteram.service.accounts import end_session
from alteram.service.dialogues import create_dialogue
from alteram.service.participation import add_statement, moderate_statement
from alteram.service.rounds import create_round, open_round, resume_round, suspend_round
from alteram.store.database import Store
from alteram.store.schema import Participant, Vote, utcnow
from tests.conftest import make_database
from tests.web.conftest import LiveServer, start_server, stop_server


@dataclass
class World:
    server: LiveServer
    store: Store
    round_id: int
    tokens: dict[int, str]
    sides: list[int]
    statements: list[int]


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    workdir: Path = tmp_path_factory.mktemp(f"vote-path-{request.param}")
    url = make_database(request.param, request, workdir)
    store = Store(url)
    d = create_dialogue(store, title="T", sides=["A", "B"])
    r = create_round(store, dialogue_id=d.dialogue_id)
    open_round(store, round_id=r)
    from alteram.service.participation import admit

    author = admit(store, token=d.invite_tokens[d.side_ids[0]], display_name="author")
    statements = []
    for i in range(3):
        sid = add_statement(
            store, participant_id=author.participant_id, round_id=r, text=f"Statement {i}."
        )
        moderate_statement(store, statement_id=sid, accept=True)
        statements.append(sid)
    # Many voters from one address: the per-address limit would be the subject otherwise.
    server = start_server(url, workdir, env={"ALTERAM_RATE_LIMITS": "off"})
    try:
        yield World(server, store, r, dict(d.invite_tokens), d.side_ids, statements)
    finally:
        stop_server(server)
        store.dispose()


def _join(w: World, side: int) -> tuple[int, str]:
    r = httpx.post(w.server.url + "/api/join", json={"token": w.tokens[w.sides[side]]}, timeout=60)
    assert r.status_code == 201, r.text
    return int(r.json()["participant_id"]), r.json()["session_token"]


def _vote(w: World, token: str, statement: int, value: int = 1) -> httpx.Response:
    return httpx.post(
        f"{w.server.url}/api/statements/{statement}/votes",
        json={"value": value, "predictions": {str(w.sides[0]): 30}},
        headers={"authorization": f"Bearer {token}"},
        timeout=120,
    )


def _stored(w: World, participant: int) -> int:
    with w.store.read() as s:
        return int(
            s.scalar(select(func.count(Vote.id)).where(Vote.participant_id == participant)) or 0
        )


def test_concurrent_votes_are_each_acknowledged_and_stored(world: World) -> None:
    voters = [_join(world, 1) for _ in range(12)]
    jobs = [(voters[i % 12], world.statements[i % 3], (-1, 0, 1)[i % 3]) for i in range(72)]
    with ThreadPoolExecutor(24) as pool:
        answers = list(pool.map(lambda j: _vote(world, j[0][1], j[1], j[2]), jobs))
    assert [a.status_code for a in answers] == [201] * len(jobs), answers[0].text
    ids = {a.json()["vote_id"] for a in answers}
    with world.store.read() as s:
        stored = set(
            s.scalars(select(Vote.id).where(Vote.participant_id.in_([pid for pid, _ in voters])))
        )
    assert stored == ids and len(ids) == len(jobs)


def test_an_ended_session_is_refused_at_once_despite_the_cache(world: World) -> None:
    pid, token = _join(world, 1)
    assert _vote(world, token, world.statements[0]).status_code == 201  # remembered now
    end_session(world.store, token)  # as another worker process would: in the database
    r = _vote(world, token, world.statements[1])
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "not_signed_in"
    assert _stored(world, pid) == 1


def test_a_removed_voter_is_refused_at_once_despite_the_cache(world: World) -> None:
    pid, token = _join(world, 1)
    assert _vote(world, token, world.statements[0]).status_code == 201
    with world.store.write() as s:
        s.execute(update(Participant).where(Participant.id == pid).values(removed_at=utcnow()))
    r = _vote(world, token, world.statements[1])
    assert r.status_code == 403
    assert "removed" in r.text
    assert _stored(world, pid) == 1


def test_a_suspended_round_refuses_votes_at_once_and_takes_them_again_after(world: World) -> None:
    pid, token = _join(world, 1)
    assert _vote(world, token, world.statements[0]).status_code == 201
    suspend_round(world.store, round_id=world.round_id, reason="a pause")
    try:
        r = _vote(world, token, world.statements[1])
        assert r.status_code == 409
        assert "suspended" in r.text
    finally:
        resume_round(world.store, round_id=world.round_id)
    assert _vote(world, token, world.statements[1]).status_code == 201
    assert _stored(world, pid) == 2
