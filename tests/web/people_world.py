"""A live server with two dialogues, each owned by its own facilitator, for the invites and
people tests (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from alteram.service.accounts import create_facilitator
from alteram.service.dialogues import create_dialogue
from alteram.service.rounds import create_round, open_round
from alteram.store.database import Store
from tests.conftest import make_database
from tests.web.conftest import LiveServer, start_server, stop_server

PASSWORD = "a long passphrase"


@dataclass
class World:
    server: LiveServer
    store: Store
    dialogue_id: int
    round_id: int
    sides: list[int]
    tokens: dict[int, str]
    owner: dict[str, str]  # bearer headers of the dialogue's owner
    owner_email: str
    stranger: dict[str, str]  # a facilitator of another dialogue
    other_dialogue_id: int

    @property
    def url(self) -> str:
        return self.server.url

    def join(self, token: str, **fields: object) -> httpx.Response:
        return httpx.post(self.url + "/api/join", json={"token": token, **fields}, timeout=60)

    def member(self, token: str, **fields: object) -> tuple[dict[str, str], int]:
        r = self.join(token, **fields)
        assert r.status_code == 201, r.text
        return {"authorization": "Bearer " + r.json()["session_token"]}, r.json()["participant_id"]


def _login(url: str, email: str) -> dict[str, str]:
    r = httpx.post(url + "/api/auth/login", json={"email": email, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"authorization": "Bearer " + r.json()["session_token"]}


def make_world(request: pytest.FixtureRequest, workdir: Path, *extra: str) -> Iterator[World]:
    """The world on ``request.param``'s store; ``extra`` options go to ``alteram serve``."""
    url = make_database(request.param, request, workdir)
    store = Store(url)
    owner = create_facilitator(store, email="owner@example.org", password=PASSWORD)
    other = create_facilitator(store, email="other@example.org", password=PASSWORD)
    d = create_dialogue(
        store, title="River", sides=["Upstream", "Downstream"], owner_account_id=owner
    )
    e = create_dialogue(store, title="Mountain", sides=["North", "South"], owner_account_id=other)
    r = create_round(store, dialogue_id=d.dialogue_id, topics=["What does the river give you?"])
    open_round(store, round_id=r)
    server = start_server(url, workdir, *extra)
    try:
        yield World(
            server,
            store,
            d.dialogue_id,
            r,
            d.side_ids,
            d.invite_tokens,
            _login(server.url, "owner@example.org"),
            "owner@example.org",
            _login(server.url, "other@example.org"),
            e.dialogue_id,
        )
    finally:
        stop_server(server)
        store.dispose()


def token_of(url: str) -> str:
    return url.rsplit("/join/", 1)[1]
