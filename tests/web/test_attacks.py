"""The attacks of issue #15, each by hand over real HTTP on both stores: never a 5xx.

Every answer is the error a person can act on (404 for ids no store can hold, 422 naming
the field for text that is not text, 413 for bodies over the limit), in the one JSON shape
under /api; an invite link never takes its host from the request.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import func, select

from alteram.service.accounts import create_facilitator
from alteram.service.concerns import raise_concern
from alteram.service.definitions import add_concept, propose_definition, restate
from alteram.service.dialogues import create_dialogue
from alteram.service.participation import add_statement, admit
from alteram.service.rounds import create_round, open_round
from alteram.store.database import Store
from alteram.store.schema import Concern, Dialogue, Participant
from tests.conftest import make_database
from tests.web.conftest import LiveServer, client_from, start_server, stop_server

PASSWORD = "a long enough passphrase"
PUBLIC = "http://dialogue.example.org"
HUGE = (2**63, 2**31, 99999999999999999999, 2**64 + 1, 0, -1)


@dataclass
class Target:
    server: LiveServer
    store: Store
    dialogue: int
    sides: list[int]
    round_id: int
    statement_b: int
    tokens: dict[int, str]
    participant: dict[str, str]  # bearer headers of a side-A participant
    facilitator: dict[str, str]
    client: httpx.Client  # from an address of its own


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def target(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Target]:
    workdir: Path = tmp_path_factory.mktemp(f"attacks-{request.param}")
    url = make_database(request.param, request, workdir)
    store = Store(url)
    d = create_dialogue(store, title="Attacks", sides=["A", "B"])
    r = create_round(store, dialogue_id=d.dialogue_id)
    open_round(store, round_id=r)
    b = admit(store, token=d.invite_tokens[d.side_ids[1]]).participant_id
    sb = add_statement(store, participant_id=b, round_id=r, text="From B", read_move=False)
    concept = add_concept(store, round_id=r, name="rights")
    propose_definition(store, participant_id=b, concept_id=concept, text="What B means.")
    create_facilitator(store, email="f@example.org", password=PASSWORD)
    server = start_server(url, workdir, env={"ALTERAM_PUBLIC_URL": PUBLIC})
    client = client_from("127.0.0.21", base_url=server.url)
    try:
        joined = client.post("/api/join", json={"token": d.invite_tokens[d.side_ids[0]]})
        assert joined.status_code == 201, joined.text
        a = joined.json()["participant_id"]
        restate(store, participant_id=a, concept_id=concept, side_id=d.side_ids[1], text="B: x")
        raise_concern(store, participant_id=b, title="Dams", why_it_matters="Floods.")
        login = client.post(
            "/api/auth/login", json={"email": "f@example.org", "password": PASSWORD}
        )
        assert login.status_code == 200, login.text
        yield Target(
            server,
            store,
            d.dialogue_id,
            d.side_ids,
            r,
            sb,
            dict(d.invite_tokens),
            {"authorization": "Bearer " + joined.json()["session_token"]},
            {"authorization": "Bearer " + login.json()["session_token"]},
            client,
        )
    finally:
        client.close()
        stop_server(server)
        store.dispose()


def _error(response: httpx.Response, status: int, code: str) -> str:
    """The message of a JSON error answer, after checking its status, code and shape."""
    assert response.status_code == status, (response.status_code, response.text[:300])
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    assert body["error"]["code"] == code, body
    return str(body["error"]["message"])


# (method, path template, who, body): every route that takes an id.
ID_ROUTES = [
    ("GET", "/api/dialogues/{id}", "anonymous", None),
    ("GET", "/api/rounds/{id}/results", "anonymous", None),
    ("GET", "/api/rounds/{id}/next", "participant", None),
    ("GET", "/api/rounds/{id}/feedback", "participant", None),
    ("POST", "/api/statements/{id}/votes", "participant", {"value": 1}),
    ("POST", "/api/rounds/{id}/statements", "participant", {"text": "Hello"}),
    ("POST", "/api/concepts/{id}/definitions", "participant", {"text": "Ours"}),
    ("POST", "/api/concepts/{id}/restatements", "participant", {"side_id": 1, "text": "x"}),
    ("POST", "/api/definitions/{id}/votes", "participant", {"value": 1}),
    ("POST", "/api/restatements/{id}/ratings", "participant", {"rating": "fair"}),
    ("POST", "/api/concerns/{id}/answers", "participant", {"text": "Our answer"}),
    ("POST", "/api/concerns/{id}/understood", "participant", {"understood": True}),
    ("POST", "/api/concerns/{id}/withdraw", "participant", None),
    ("GET", "/api/rounds/{id}", "facilitator", None),
    ("GET", "/api/rounds/{id}/concepts", "facilitator", None),
    ("GET", "/api/dialogues/{id}/concerns", "facilitator", None),
    ("POST", "/api/rounds/{id}/open", "facilitator", None),
    ("POST", "/api/rounds/{id}/suspend", "facilitator", {"reason": "why"}),
    ("POST", "/api/rounds/{id}/analyses", "facilitator", None),
    ("POST", "/api/sides/{id}/invite", "facilitator", None),
    ("POST", "/api/dialogues/{id}/rounds", "facilitator", {}),
    ("POST", "/api/statements/{id}/moderation", "facilitator", {"accept": True}),
    ("POST", "/api/statements/{id}/move", "facilitator", {"move": "explain"}),
    ("GET", "/api/rounds/{id}/export.json", "facilitator", None),
    ("GET", "/api/rounds/{id}/export/votes.csv", "facilitator", None),
]
PAGES = [
    "/dialogues/{id}",
    "/dialogues/{id}/timeline",
    "/rounds/{id}/results",
    "/rounds/{id}/report",
    "/facilitate/rounds/{id}",
    "/facilitate/dialogues/{id}",
]


def _who(t: Target, who: str) -> dict[str, str]:
    return {"anonymous": {}, "participant": t.participant, "facilitator": t.facilitator}[who]


@pytest.mark.parametrize("ident", HUGE, ids=str)
def test_ids_no_store_can_hold_are_unknown_ids(target: Target, ident: int) -> None:
    for method, template, who, body in ID_ROUTES:
        r = target.client.request(
            method, template.format(id=ident), json=body, headers=_who(target, who)
        )
        message = _error(r, 404, "not_found")
        assert f"{ident} does not exist" in message, (template, message)
    for template in PAGES:
        page = target.client.get(template.format(id=ident), headers=target.facilitator)
        assert page.status_code == 404, (template, page.status_code)
        assert f"{ident} does not exist" in page.text


def _page_session(t: Target, address: str) -> tuple[httpx.Client, str]:
    """A browser-like participant of side A: joined by the page form, with its CSRF token."""
    browser = client_from(address, base_url=t.server.url, follow_redirects=False)
    token = t.tokens[t.sides[0]]
    form = browser.get(f"/join/{token}")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert csrf, form.text[:300]
    joined = browser.post(f"/join/{token}", data={"csrf_token": csrf.group(1)})
    assert joined.status_code == 303, joined.text[:300]
    page = browser.get("/vote")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf, page.text[:300]
    return browser, csrf.group(1)


def test_form_fields_are_validated_predict_abc_and_huge_ids(target: Target) -> None:
    browser, csrf = _page_session(target, "127.0.0.22")
    try:
        base = {"csrf_token": csrf, "vote": "agree", "statement_id": str(target.statement_b)}
        bad_side = browser.post("/vote", data={**base, "predict_abc": "50"})
        assert bad_side.status_code == 422, bad_side.text[:300]
        assert "predict_abc" in bad_side.text
        for ident in (2**63, 99999999999999999999):
            far = browser.post("/vote", data={**base, "statement_id": str(ident)})
            assert far.status_code == 404 and f"{ident} does not exist" in far.text
            side = browser.post("/vote", data={**base, f"predict_{ident}": "50"})
            assert side.status_code == 404 and f"{ident} does not exist" in side.text
        for name in ("concept_id", "concern_id"):
            far = browser.post(
                "/understand/answer", data={"csrf_token": csrf, name: str(2**63), "text": "x"}
            )
            assert far.status_code in (404, 422) and far.status_code < 500
        ok = browser.post("/vote", data={**base, f"predict_{target.sides[1]}": "50"})
        assert ok.status_code == 303

    finally:
        browser.close()


NOT_TEXT = [
    ("a\x00b", "U+0000"),
    ("\ud800", "U+D800"),
    ("\u200b\u200e\u2060", "invisible"),
    ("\u202e\ufeff", "invisible"),
]


def _raw_post(t: Target, path: str, raw_json: str, headers: dict[str, str]) -> httpx.Response:
    """POST a JSON body exactly as written (lone surrogates stay ``\\ud800`` escapes)."""
    return t.client.post(
        path, content=raw_json.encode(), headers={**headers, "content-type": "application/json"}
    )


def _escaped(value: str) -> str:
    return json.dumps(value)  # ensure_ascii: a lone surrogate becomes "\ud800"


@pytest.mark.parametrize(("value", "named"), NOT_TEXT, ids=["nul", "surrogate", "zw", "bidi"])
def test_text_that_is_not_text_is_refused_naming_the_field(
    target: Target, value: str, named: str
) -> None:
    t = target
    v = _escaped(value)
    token = t.tokens[t.sides[0]]
    # (path, raw JSON body, headers, the field as the message names it: "label|json_name")
    cases = [
        (
            "/api/join",
            f'{{"token": "{token}", "display_name": {v}}}',
            {},
            "display name|display_name",
        ),
        (
            f"/api/rounds/{t.round_id}/statements",
            f'{{"text": {v}}}',
            t.participant,
            "statement|text",
        ),
        ("/api/moves/assess", f'{{"text": {v}}}', t.participant, "statement|text"),
        ("/api/concerns", f'{{"title": {v}, "why_it_matters": "x"}}', t.participant, "title"),
        (
            "/api/concerns",
            f'{{"title": "T", "why_it_matters": {v}}}',
            t.participant,
            "why it matters|why_it_matters",
        ),
        ("/api/dialogues", f'{{"title": {v}, "sides": ["P", "Q"]}}', t.facilitator, "title"),
        ("/api/dialogues", f'{{"title": "T", "sides": ["P", {v}]}}', t.facilitator, "side"),
        (
            "/api/dialogues",
            f'{{"title": "T", "charter": {v}, "sides": ["P", "Q"]}}',
            t.facilitator,
            "charter",
        ),
    ]
    if named != "invisible":  # secrets are not names: invisible characters are just wrong
        cases += [
            ("/api/join", f'{{"token": {v}}}', {}, "invite link|token"),
            (
                "/api/auth/login",
                f'{{"email": {_escaped("f" + value + "@example.org")}, "password": "x"}}',
                {},
                "email",
            ),
            ("/api/auth/login", f'{{"email": "f@example.org", "password": {v}}}', {}, "password"),
        ]
    for path, raw, headers, field in cases:
        message = _error(_raw_post(t, path, raw, headers), 422, "invalid_input")
        assert any(name in message for name in field.split("|")), (path, raw, message)
        if named == "invisible":
            assert "invisible" in message, (path, message)
        elif "valid string" not in message:  # pydantic refuses what is not UTF-8 itself
            assert named in message, (path, message)


def test_side_names_that_differ_only_by_invisible_characters_are_one_name(target: Target) -> None:
    r = target.client.post(
        "/api/dialogues",
        json={"title": "Twins", "sides": ["China", "China\u200b"]},
        headers=target.facilitator,
    )
    assert "must differ" in _error(r, 422, "invalid_input")


def _raw_http(t: Target, head: bytes, body: bytes, address: str) -> tuple[bytes, int]:
    """Send ``head`` then up to ``body`` until the server answers; (answer, bytes sent)."""
    host, port = urlsplit(t.server.url).hostname, urlsplit(t.server.url).port
    assert host and port
    sent = 0
    with socket.create_connection((host, port), timeout=30, source_address=(address, 0)) as s:
        s.sendall(head)
        s.settimeout(0.05)
        answer = b""
        for start in range(0, len(body), 64 * 1024):
            with contextlib.suppress(TimeoutError, BlockingIOError):
                answer += s.recv(65536)
            if answer:
                break
            try:
                s.sendall(body[start : start + 64 * 1024])
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += min(64 * 1024, len(body) - start)
        s.settimeout(30)
        while True:  # the server closes the connection after a 413
            try:
                chunk = s.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            answer += chunk
    return answer, sent


def test_a_150_mb_body_is_refused_before_it_is_read(target: Target) -> None:
    size = 150 * 1024 * 1024
    head = (
        f"POST /api/join HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Content-Length: {size}\r\n\r\n"
    ).encode()
    started = time.monotonic()
    answer, sent = _raw_http(target, head, b" " * (8 * 1024 * 1024), "127.0.0.23")
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b'"payload_too_large"' in answer
    assert sent < 4 * 1024 * 1024, f"the server read {sent} bytes before refusing"
    assert time.monotonic() - started < 10


def test_a_streamed_body_is_cut_at_the_limit(target: Target) -> None:
    head = (
        b"POST /api/join HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"x" * 60000
    body = (f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n") * 60  # 3.6 MB, never ended
    answer, sent = _raw_http(target, head, body, "127.0.0.24")
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < 3 * 1024 * 1024


def test_a_5_000_000_character_concern_and_a_3_mb_charter_are_not_stored(target: Target) -> None:
    t = target
    before = _count(t, Concern), _count(t, Dialogue)
    big = t.client.post(
        "/api/concerns",
        json={"title": "Flood", "why_it_matters": "w" * 5_000_000},
        headers=t.participant,
    )
    assert "larger than this server accepts" in _error(big, 413, "payload_too_large")
    charter = t.client.post(
        "/api/dialogues",
        json={"title": "T", "charter": "c" * (3 * 1024 * 1024), "sides": ["P", "Q"]},
        headers=t.facilitator,
    )
    _error(charter, 413, "payload_too_large")
    # Under the body limit, each field has its own limit (declared in the OpenAPI schema).
    long_why = t.client.post(
        "/api/concerns",
        json={"title": "Flood", "why_it_matters": "w" * 501},
        headers=t.participant,
    )
    assert "why_it_matters" in _error(long_why, 422, "invalid_input")
    long_charter = t.client.post(
        "/api/dialogues",
        json={"title": "T", "charter": "c" * 10_001, "sides": ["P", "Q"]},
        headers=t.facilitator,
    )
    assert "charter" in _error(long_charter, 422, "invalid_input")
    assert (_count(t, Concern), _count(t, Dialogue)) == before


def _count(t: Target, model: type[Concern] | type[Dialogue] | type[Participant]) -> int:
    with t.store.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_invite_links_never_take_the_host_header(target: Target) -> None:
    r = target.client.post(
        "/api/dialogues",
        json={"title": "Hosts", "sides": ["P", "Q"]},
        headers={**target.facilitator, "host": "evil.example"},
    )
    assert r.status_code == 201, r.text
    links = [i["invite_url"] for i in r.json()["invites"]]
    assert all(link.startswith(PUBLIC + "/join/") for link in links), links
    side = r.json()["invites"][0]["side_id"]
    again = target.client.post(
        f"/api/sides/{side}/invite",
        headers={**target.facilitator, "host": "evil.example", "x-forwarded-host": "evil.example"},
    )
    assert again.status_code == 201 and again.json()["invite_url"].startswith(PUBLIC + "/join/")
