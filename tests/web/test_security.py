"""Who may do what: every rule of DESIGN.md §6 refuses the wrong person, over real HTTP.

One table: roles (rows) x actions (columns). Each cell is the HTTP status the role must get.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from alteram.service.accounts import create_facilitator
from alteram.service.dialogues import create_dialogue, replace_invite
from alteram.service.participation import add_statement, admit
from alteram.service.rounds import create_round, open_round
from alteram.store.database import Store
from tests.conftest import make_database
from tests.web.conftest import LiveServer, start_server, stop_server

PASSWORD = "a long enough passphrase"


@dataclass
class Setup:
    server: LiveServer
    dialogue: int
    sides: list[int]
    round_id: int
    planned_round: int
    statement_a: int
    statement_b: int
    other_statement: int
    headers: dict[str, dict[str, str]]


def _bearer(server: LiveServer, token: str) -> dict[str, str]:
    r = httpx.post(server.url + "/api/join", json={"token": token, "display_name": "t"})
    assert r.status_code == 201, r.text
    return {"authorization": "Bearer " + r.json()["session_token"]}


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def setup(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Setup]:
    workdir: Path = tmp_path_factory.mktemp(f"security-{request.param}")
    url = make_database(request.param, request, workdir)
    store = Store(url)
    d = create_dialogue(store, title="Rules", sides=["A", "B"])
    other = create_dialogue(store, title="Elsewhere", sides=["X", "Y"])
    r = create_round(store, dialogue_id=d.dialogue_id)
    planned = create_round(store, dialogue_id=d.dialogue_id)
    open_round(store, round_id=r)
    r_other = create_round(store, dialogue_id=other.dialogue_id)
    open_round(store, round_id=r_other)
    a_author = admit(store, token=d.invite_tokens[d.side_ids[0]]).participant_id
    b_author = admit(store, token=d.invite_tokens[d.side_ids[1]]).participant_id
    x_author = admit(store, token=other.invite_tokens[other.side_ids[0]]).participant_id
    sa = add_statement(store, participant_id=a_author, round_id=r, text="From A", read_move=False)
    sb = add_statement(store, participant_id=b_author, round_id=r, text="From B", read_move=False)
    sx = add_statement(
        store, participant_id=x_author, round_id=r_other, text="From X", read_move=False
    )
    create_facilitator(store, email="f@example.org", password=PASSWORD)
    # An observer link for side A (observers read, never vote or write).
    from alteram.service.tokens import hash_token, new_token
    from alteram.store.schema import Invite

    observer_token = new_token()
    with store.write() as s:
        s.add(
            Invite(
                dialogue_id=d.dialogue_id,
                side_id=d.side_ids[0],
                role="observer",
                token_hash=hash_token(observer_token),
            )
        )
    revoked = d.invite_tokens[d.side_ids[1]]
    fresh_b = replace_invite(store, side_id=d.side_ids[1])
    store.dispose()
    server = start_server(url, workdir)
    try:
        login = httpx.post(
            server.url + "/api/auth/login", json={"email": "f@example.org", "password": PASSWORD}
        )
        assert login.status_code == 200, login.text
        headers = {
            "anonymous": {},
            "side A": _bearer(server, d.invite_tokens[d.side_ids[0]]),
            "side B": _bearer(server, fresh_b),
            "observer": _bearer(server, observer_token),
            "other dialogue": _bearer(server, other.invite_tokens[other.side_ids[0]]),
            "facilitator": {"authorization": "Bearer " + login.json()["session_token"]},
        }
        # A revoked link admits nobody.
        refused = httpx.post(server.url + "/api/join", json={"token": revoked})
        assert refused.status_code == 403 and "revoked" in refused.json()["error"]["message"]
        yield Setup(server, d.dialogue_id, d.side_ids, r, planned, sa, sb, sx, headers)
    finally:
        stop_server(server)


Action = Callable[[Setup, dict[str, str]], httpx.Response]


def _post(path: str, body: object | None = None) -> Action:
    def run(s: Setup, h: dict[str, str]) -> httpx.Response:
        target = path.format(s=s)
        return httpx.post(s.server.url + target, json=body, headers=h, timeout=30)

    return run


def _get(path: str) -> Action:
    def run(s: Setup, h: dict[str, str]) -> httpx.Response:
        return httpx.get(s.server.url + path.format(s=s), headers=h, timeout=30)

    return run


ACTIONS: dict[str, Action] = {
    "vote on the other side's statement": _post(
        "/api/statements/{s.statement_b}/votes", {"value": 1}
    ),
    "vote in another dialogue": _post("/api/statements/{s.other_statement}/votes", {"value": 1}),
    "write in the open round": _post("/api/rounds/{s.round_id}/statements", {"text": "Hello"}),
    "write in a planned round": _post("/api/rounds/{s.planned_round}/statements", {"text": "Hi"}),
    "read unpublished results": _get("/api/rounds/{s.round_id}/results"),
    "see the round's live state": _get("/api/rounds/{s.round_id}"),
    "moderate a statement": _post("/api/statements/{s.statement_a}/moderation", {"accept": True}),
    "plan a round": _post("/api/dialogues/{s.dialogue}/rounds", {"topics": ["Why?"]}),
    "create a dialogue": _post("/api/dialogues", {"title": "New", "sides": ["P", "Q"]}),
    "replace an invite link": _post("/api/sides/{s.sides[0]}/invite"),
}

ROLES = ["anonymous", "side A", "side B", "observer", "other dialogue", "facilitator"]

# Expected status per role, in the order of ACTIONS.
TABLE: dict[str, list[int]] = {
    #                vote-B vote-X write plan  res  live  mod  round new  link
    "anonymous": [401, 401, 401, 401, 403, 401, 401, 401, 401, 401],
    "side A": [201, 403, 201, 409, 403, 401, 401, 401, 401, 401],
    "side B": [201, 403, 201, 409, 403, 401, 401, 401, 401, 401],
    "observer": [403, 403, 403, 403, 403, 401, 401, 401, 401, 401],
    "other dialogue": [403, 201, 403, 403, 403, 401, 401, 401, 401, 401],
    "facilitator": [401, 401, 401, 401, 200, 200, 204, 201, 201, 201],
}


@pytest.mark.parametrize("role", ROLES)
def test_roles_by_actions(setup: Setup, role: str) -> None:
    got = []
    for name, action in ACTIONS.items():
        response = action(setup, setup.headers[role])
        got.append(response.status_code)
        if response.status_code >= 400:
            body = response.json()
            assert set(body["error"]) == {"code", "message"}, (name, body)
            assert body["error"]["message"], name
    assert got == TABLE[role], dict(zip(ACTIONS, got, strict=True))


def test_a_cookie_session_needs_the_csrf_header(setup: Setup) -> None:
    server = setup.server
    from alteram.store.database import Store as _Store

    store = _Store(server.database_url)
    try:
        token = replace_invite(store, side_id=setup.sides[0])
    finally:
        store.dispose()
    client = httpx.Client(base_url=server.url)
    joined = client.post("/api/join", json={"token": token})
    assert joined.status_code == 201 and "alteram_session" in client.cookies
    no_header = client.post(f"/api/statements/{setup.statement_b}/votes", json={"value": 1})
    assert no_header.status_code == 403
    ok = client.post(
        f"/api/statements/{setup.statement_b}/votes",
        json={"value": 1},
        headers={"x-csrf-token": joined.json()["csrf_token"]},
    )
    assert ok.status_code == 201


def test_forged_or_missing_sessions_are_nobody(setup: Setup) -> None:
    for headers in ({"authorization": "Bearer forged"}, {"cookie": "alteram_session=forged"}):
        r = httpx.get(setup.server.url + "/api/me", headers=headers)
        assert r.status_code == 401 and r.json()["error"]["code"] == "not_signed_in"
