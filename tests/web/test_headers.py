"""What a public service sends and refuses: security headers, HTTPS, secrets kept secret.

Real servers, real HTTP: the headers on pages, the API and /docs; HSTS and Secure cookies
once the server is reached over HTTPS (through a trusted proxy, or by its public URL); the
development secret key refused outside development; no secret in the server's log.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from alteram.service.accounts import create_facilitator
from alteram.service.dialogues import create_dialogue
from alteram.service.rounds import create_round, open_round
from alteram.store.database import Store
from tests.conftest import _free_port, make_database
from tests.web.conftest import LiveServer, client_from, start_server, stop_server

PASSWORD = "a long enough passphrase"


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[tuple[Path, str, dict[int, str]]]:
    """A SQLite database with a dialogue, an open round and a facilitator (servers vary)."""
    workdir = tmp_path_factory.mktemp("headers")
    url = make_database("sqlite", request, workdir)
    store = Store(url)
    d = create_dialogue(store, title="Headers", sides=["A", "B"])
    open_round(store, round_id=create_round(store, dialogue_id=d.dialogue_id))
    create_facilitator(store, email="f@example.org", password=PASSWORD)
    store.dispose()
    yield workdir, url, dict(d.invite_tokens)


@pytest.fixture(scope="module")
def plain(world: tuple[Path, str, dict[int, str]]) -> Iterator[LiveServer]:
    workdir, url, _ = world
    server = start_server(url, workdir)
    try:
        yield server
    finally:
        stop_server(server)


def _csp(response: httpx.Response) -> dict[str, str]:
    policy = response.headers["content-security-policy"]
    return {d.split()[0]: d.strip() for d in policy.split(";") if d.strip()}


def test_every_answer_carries_the_security_headers(plain: LiveServer) -> None:
    for path in ("/", "/login", "/api/dialogues", "/api/dialogues/999", "/static/style.css"):
        r = httpx.get(plain.url + path)
        assert r.headers["x-frame-options"] == "DENY", path
        assert r.headers["x-content-type-options"] == "nosniff", path
        assert r.headers["referrer-policy"] == "no-referrer", path
        csp = _csp(r)
        assert csp["frame-ancestors"] == "frame-ancestors 'none'", path
        assert csp["script-src"] == "script-src 'self'", path  # no inline script, no CDN
        assert "'unsafe-inline'" not in csp["style-src"], path
        assert "strict-transport-security" not in r.headers, path  # plain HTTP: no HSTS
    docs = _csp(httpx.get(plain.url + "/docs"))
    assert "'unsafe-inline'" not in docs["script-src"] and "http" not in docs["script-src"]
    assert docs["frame-ancestors"] == "frame-ancestors 'none'"


def test_pages_need_no_inline_script_or_style_attribute(plain: LiveServer) -> None:
    html = httpx.get(plain.url + "/login").text + httpx.get(plain.url + "/").text
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert not re.search(r"\son[a-z]+\s*=", html)
    assert not re.search(r"\sstyle\s*=", html)


def test_behind_a_trusted_proxy_https_brings_hsts_and_secure_cookies(
    world: tuple[Path, str, dict[int, str]], tmp_path: Path
) -> None:
    _, url, tokens = world
    proxied = start_server(url, tmp_path, env={"ALTERAM_TRUSTED_PROXIES": "127.0.0.1"})
    try:
        https = {"x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.9"}
        r = httpx.post(
            proxied.url + "/api/join", json={"token": tokens[min(tokens)]}, headers=https
        )
        assert r.status_code == 201, r.text
        assert r.headers["strict-transport-security"].startswith("max-age=")
        assert "secure" in r.headers["set-cookie"].lower()
        page = httpx.get(proxied.url + "/login", headers=https)
        assert all("secure" in c.lower() for c in page.headers.get_list("set-cookie"))
        # The same header from an address that is not a trusted proxy is not believed.
        with client_from("127.0.0.51", base_url=proxied.url) as c:
            spoofed = c.get("/login", headers=https)
        assert "strict-transport-security" not in spoofed.headers
    finally:
        stop_server(proxied)


def test_a_https_public_url_makes_cookies_secure(
    world: tuple[Path, str, dict[int, str]], tmp_path: Path
) -> None:
    _, url, tokens = world
    server = start_server(url, tmp_path, env={"ALTERAM_PUBLIC_URL": "https://dialogue.example"})
    try:
        r = httpx.post(server.url + "/api/join", json={"token": tokens[max(tokens)]})
        assert r.status_code == 201 and "secure" in r.headers["set-cookie"].lower()
    finally:
        stop_server(server)


def _command(env: dict[str, str], *args: str) -> tuple[list[str], dict[str, str], int]:
    port = _free_port()
    full = {k: v for k, v in os.environ.items() if not k.startswith("ALTERAM_")}
    full.update(env)
    return [sys.executable, "-m", "alteram", "serve", "--port", str(port), *args], full, port


def test_the_development_secret_key_is_refused_outside_development(tmp_path: Path) -> None:
    for env in ({}, {"ALTERAM_SECRET_KEY": "too short"}):
        command, full, _ = _command({"ALTERAM_DATA_DIR": str(tmp_path), **env})
        done = subprocess.run(command, env=full, capture_output=True, text=True, timeout=60)
        assert done.returncode == 1, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ALTERAM_SECRET_KEY"), lines
        assert "ALTERAM_DEV=1" in lines[0]


@pytest.mark.parametrize(
    "setting",
    [{"ALTERAM_SECRET_KEY": "k" * 40}, {"ALTERAM_DEV": "1"}, "--dev"],
    ids=["secret", "env", "flag"],
)
def test_a_real_key_or_the_development_flag_starts_the_server(
    tmp_path: Path, setting: dict[str, str] | str
) -> None:
    env = {"ALTERAM_DATA_DIR": str(tmp_path)}
    args = [setting] if isinstance(setting, str) else []
    if isinstance(setting, dict):
        env.update(setting)
    command, full, port = _command(env, *args)
    process = subprocess.Popen(command, env=full, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            pytest.fail("the server did not start")
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_no_secret_reaches_the_log(world: tuple[Path, str, dict[int, str]], tmp_path: Path) -> None:
    _, url, tokens = world
    server = start_server(url, tmp_path)
    secrets: list[str] = [PASSWORD]
    try:
        token = tokens[min(tokens)]
        secrets.append(token)
        with httpx.Client(base_url=server.url, follow_redirects=False) as browser:
            form = browser.get(f"/join/{token}")
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
            assert csrf
            secrets.append(csrf.group(1))
            assert (
                browser.post(f"/join/{token}", data={"csrf_token": csrf.group(1)}).status_code
                == 303
            )
            secrets.append(browser.cookies["alteram_session"])
            browser.get(f"/join/{token}?token={token}")
            browser.get("/join/not-a-real-secret-but-secret-looking")
        api = httpx.post(server.url + "/api/join", json={"token": token}).json()
        secrets += [api["session_token"], api["csrf_token"]]
        login = httpx.post(
            server.url + "/api/auth/login", json={"email": "f@example.org", "password": PASSWORD}
        )
        secrets.append(login.json()["session_token"])
        httpx.post(server.url + "/api/auth/login", json={"email": "f@example.org", "password": "x"})
    finally:
        stop_server(server)
    log = server.log.read_text()
    assert "/join/[redacted]" in log and "POST /api/join" in log  # the access log is there
    leaked = [s for s in [*secrets, "not-a-real-secret"] if s in log]
    assert not leaked, f"secrets in the server log: {leaked}"


@pytest.mark.parametrize("setting", ["on", "off"])
def test_the_access_log_follows_its_setting(
    setting: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = make_database("sqlite", request, tmp_path)
    server = start_server(url, tmp_path, env={"ALTERAM_ACCESS_LOG": setting})
    try:
        assert httpx.get(server.url + "/api/no-such-thing").status_code == 404
    finally:
        stop_server(server)
    log = server.log.read_text()
    assert "Application startup complete" in log  # the server's own messages stay
    logged = '"GET /api/no-such-thing HTTP/1.1" 404' in log
    assert logged == (setting == "on"), log[-2000:]
