"""Failing honestly: a full disk or a read-only database is a 503 that says so, reads go on.

A full disk is a real one (a 2 MiB tmpfs filled to the last byte, SQLite on it); a
read-only database is a PostgreSQL database switched to read-only transactions, as a
standby or a maintenance window makes it. Neither claims that nothing was lost when it
cannot know: only the 500 answer of a read says nothing was changed.
"""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import anyio
import httpx
import pytest
from fastapi import FastAPI

from alteram.config import Settings
from alteram.service.accounts import create_facilitator
from alteram.service.dialogues import create_dialogue
from alteram.service.rounds import create_round, open_round
from alteram.store.database import Store
from alteram.web.app import create_app
from tests.conftest import _admin, fill, make_database
from tests.web.conftest import start_server, stop_server

PASSWORD = "a long enough passphrase"


def _setup(url: str) -> dict[int, str]:
    store = Store(url)
    try:
        d = create_dialogue(store, title="Failing", sides=["A", "B"], visibility="public")
        open_round(store, round_id=create_round(store, dialogue_id=d.dialogue_id))
        create_facilitator(store, email="f@example.org", password=PASSWORD)
        return dict(d.invite_tokens)
    finally:
        store.dispose()


def _sessions(url: str, token: str) -> tuple[dict[str, str], dict[str, str]]:
    joined = httpx.post(url + "/api/join", json={"token": token})
    login = httpx.post(
        url + "/api/auth/login", json={"email": "f@example.org", "password": PASSWORD}
    )
    assert joined.status_code == 201 and login.status_code == 200, (joined.text, login.text)
    return (
        {"authorization": "Bearer " + joined.json()["session_token"]},
        {"authorization": "Bearer " + login.json()["session_token"]},
    )


def test_a_full_disk_answers_503_and_reads_go_on(
    small_disk: Path, sqlite_template: Path, tmp_path: Path
) -> None:
    shutil.copyfile(sqlite_template, small_disk / "alteram.db")
    url = f"sqlite+pysqlite:///{small_disk / 'alteram.db'}"
    tokens = _setup(url)
    server = start_server(url, tmp_path)  # the log lives elsewhere
    try:
        participant, facilitator = _sessions(server.url, tokens[min(tokens)])
        filler = fill(small_disk)
        new = {"title": "More", "charter": "c" * 10_000, "sides": ["P", "Q"]}
        answers = []
        for _ in range(40):  # SQLite may reuse space its journal already holds, then it fails
            answers.append(httpx.post(server.url + "/api/dialogues", json=new, headers=facilitator))
            if answers[-1].status_code != 201:
                break
        refused = answers[-1]
        assert refused.status_code == 503, [a.status_code for a in answers]
        error = refused.json()["error"]
        assert error["code"] == "store_unavailable"
        assert "disk" in error["message"] and "full" in error["message"]
        assert "not stored" in error["message"] and "Free space" in error["message"]
        listed = httpx.get(server.url + "/api/dialogues", headers=facilitator)
        assert listed.status_code == 200
        assert len(listed.json()) == len(answers)  # the public one + the facilitator's stored
        assert httpx.get(server.url + "/api/me", headers=participant).status_code == 200
        assert httpx.get(server.url + "/").status_code == 200
        page = httpx.get(server.url + "/vote", headers=participant)
        assert page.status_code == 200
        filler.unlink()
        again = httpx.post(server.url + "/api/dialogues", json=new, headers=facilitator)
        assert again.status_code == 201, again.text
    finally:
        stop_server(server)


@pytest.mark.postgres
def test_a_read_only_database_answers_503_and_reads_go_on(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = make_database("postgres", request, tmp_path)
    server_url, name = url.rsplit("/", 1)
    tokens = _setup(url)
    server = start_server(url, tmp_path)

    def read_only(on: bool) -> None:
        setting = "SET default_transaction_read_only = on" if on else "RESET ALL"
        _admin(server_url + "/", f"ALTER DATABASE {name} {setting}")
        _admin(
            server_url + "/",
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'",
        )

    try:
        participant, facilitator = _sessions(server.url, tokens[min(tokens)])
        read_only(True)
        r = httpx.post(
            server.url + "/api/dialogues",
            json={"title": "T", "sides": ["P", "Q"]},
            headers=facilitator,
        )
        assert r.status_code == 503, r.text
        assert "read-only" in r.json()["error"]["message"]
        assert "not stored" in r.json()["error"]["message"]
        assert httpx.get(server.url + "/api/dialogues").status_code == 200
        assert httpx.get(server.url + "/api/me", headers=participant).status_code == 200
        read_only(False)
        r = httpx.post(
            server.url + "/api/dialogues",
            json={"title": "T", "sides": ["P", "Q"]},
            headers=facilitator,
        )
        assert r.status_code == 201, r.text
    finally:
        stop_server(server)


def _failing_app(url: str) -> FastAPI:
    """The real application with one route that fails unexpectedly, for each method."""
    app = create_app(Settings(dev=True, database_url=url), store=Store(url))

    def boom() -> None:
        raise RuntimeError("an unexpected failure")

    app.add_api_route("/api/boom", boom, methods=["GET", "POST"])
    app.add_api_route("/boom", boom, methods=["GET", "POST"])
    return app


def test_an_unexpected_failure_claims_nothing_it_cannot_know(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    app = _failing_app(make_database("sqlite", request, tmp_path))

    async def ask() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://alteram.test") as c:
            return [await c.post("/api/boom"), await c.get("/api/boom"), await c.post("/boom")]

    # In a thread of its own: another test's event loop may be running in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        write, read, page = pool.submit(anyio.run, ask).result()
    for r in (write, read, page):
        assert r.status_code == 500
        assert "nothing you sent was lost" not in r.text
    assert write.json()["error"]["code"] == "internal"
    assert "may or may not have been stored" in write.json()["error"]["message"]
    assert "nothing was changed" in read.json()["error"]["message"]
    assert "may or may not have been stored" in page.text
