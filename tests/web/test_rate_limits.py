"""Rate limits over real HTTP: exact under concurrency, the same work for unknown accounts.

The concurrency test is the one that matters on PostgreSQL: with many requests in flight
for one participant, a count-then-insert check lets a few too many through; a conditional
upsert on one counter row lets exactly the limit through.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from alteram.service import ratelimit
from alteram.service.accounts import create_facilitator
from alteram.service.dialogues import create_dialogue
from alteram.service.participation import add_statement, admit, moderate_statement
from alteram.service.rounds import create_round, open_round
from alteram.store.database import Store
from alteram.store.schema import Statement, Vote
from tests.conftest import make_database
from tests.web.conftest import LiveServer, client_from, start_server, stop_server

PASSWORD = "a long enough passphrase"
VOTES = ratelimit.LIMITS["vote"]["participant"].limit
STATEMENTS = ratelimit.LIMITS["statement"]["participant"].limit


@dataclass
class Limited:
    server: LiveServer
    store: Store
    round_id: int
    statement_id: int
    tokens: list[str]


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def limited(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Limited]:
    workdir: Path = tmp_path_factory.mktemp(f"limits-{request.param}")
    url = make_database(request.param, request, workdir)
    store = Store(url)
    d = create_dialogue(store, title="Limits", sides=["A", "B"])
    r = create_round(store, dialogue_id=d.dialogue_id)
    open_round(store, round_id=r)
    author = admit(store, token=d.invite_tokens[d.side_ids[1]]).participant_id
    sid = add_statement(
        store, participant_id=author, round_id=r, text="Vote on me", read_move=False
    )
    moderate_statement(store, statement_id=sid, accept=True)
    create_facilitator(store, email="f@example.org", password=PASSWORD)
    server = start_server(url, workdir)
    try:
        yield Limited(server, store, r, sid, [d.invite_tokens[s] for s in d.side_ids])
    finally:
        stop_server(server)
        store.dispose()


def _join(t: Limited, address: str) -> dict[str, str]:
    with client_from(address, base_url=t.server.url) as c:
        r = c.post("/api/join", json={"token": t.tokens[0]})
    assert r.status_code == 201, r.text
    return {"authorization": "Bearer " + r.json()["session_token"]}


def _concurrently(calls: int, send: object) -> list[int]:
    with ThreadPoolExecutor(max_workers=32) as pool:
        return list(pool.map(send, range(calls)))  # type: ignore[call-overload]


def test_exactly_the_limit_passes_under_concurrency(limited: Limited) -> None:
    t = limited
    voter = _join(t, "127.0.0.41")
    client = client_from("127.0.0.41", base_url=t.server.url)

    def vote(i: int) -> int:
        url = f"/api/statements/{t.statement_id}/votes"
        return client.post(url, json={"value": (i % 3) - 1}, headers=voter).status_code

    def write(i: int) -> int:
        url = f"/api/rounds/{t.round_id}/statements"
        return client.post(url, json={"text": f"At once {i}"}, headers=voter).status_code

    with client:
        votes = _concurrently(VOTES + 40, vote)
        statements = _concurrently(STATEMENTS + 15, write)
    assert sorted(set(votes)) == [201, 429] and votes.count(201) == VOTES
    assert sorted(set(statements)) == [201, 429] and statements.count(201) == STATEMENTS
    with t.store.read() as s:
        assert s.scalar(select(func.count(Vote.id))) == VOTES
        written = s.scalar(select(func.count(Statement.id)).where(Statement.text.like("At once%")))
    assert written == STATEMENTS


def test_a_refusal_says_when_to_come_back(limited: Limited) -> None:
    t = limited
    writer = _join(t, "127.0.0.42")
    with client_from("127.0.0.42", base_url=t.server.url) as c:
        answers = [
            c.post(f"/api/rounds/{t.round_id}/statements", json={"text": f"N{i}"}, headers=writer)
            for i in range(STATEMENTS + 1)
        ]
    refused = answers[-1]
    assert [a.status_code for a in answers] == [201] * STATEMENTS + [429]
    assert refused.json()["error"]["code"] == "rate_limited"
    assert "in the last minute" in refused.json()["error"]["message"]
    assert 1 <= int(refused.headers["retry-after"]) <= 60


def test_forwarded_addresses_are_not_believed_without_a_trusted_proxy(limited: Limited) -> None:
    """Without ALTERAM_TRUSTED_PROXIES, X-Forwarded-For cannot buy a fresh budget."""
    limit = ratelimit.LIMITS["guess"]["address"].limit
    with client_from("127.0.0.43", base_url=limited.server.url) as c:
        codes = [
            c.post(
                "/api/join",
                json={"token": f"guess-{n}"},
                headers={"x-forwarded-for": f"10.1.{n}.1"},
            ).status_code
            for n in range(limit + 1)
        ]
    assert codes == [404] * limit + [429]


def test_unknown_and_known_accounts_take_the_same_time(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """A wrong password for a known email and any password for an unknown one: same work.

    Before, only known accounts ran argon2 (about 50 times slower), which told an attacker
    who has an account. The two distributions of answer times must overlap. (Rate limits
    are off here: the test makes many attempts from one address.)
    """
    url = make_database("sqlite", request, tmp_path)
    store = Store(url)
    for n in range(3):
        create_facilitator(store, email=f"known{n}@example.org", password=PASSWORD)
    store.dispose()
    server = start_server(url, tmp_path, env={"ALTERAM_RATE_LIMITS": "off"})
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    try:
        with httpx.Client(base_url=server.url, timeout=60) as c:
            c.post("/api/auth/login", json={"email": "warm@example.org", "password": "x"})
            for n in range(24):
                kind = ("known", "unknown")[n % 2]
                email = f"known{n % 3}@example.org" if kind == "known" else f"u{n}@example.org"
                started = time.perf_counter()
                r = c.post("/api/auth/login", json={"email": email, "password": "wrong pass"})
                times[kind].append(time.perf_counter() - started)
                assert r.status_code == 403 and "email or the password" in r.text
    finally:
        stop_server(server)
    known, unknown = times["known"], times["unknown"]
    assert min(known) < max(unknown) and min(unknown) < max(known), times
    ratio = statistics.median(known) / statistics.median(unknown)
    assert 0.5 < ratio < 2.0, times
