"""A real alteram server in a subprocess, on SQLite and on PostgreSQL, for HTTP tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from alteram.service.demo import create_demo
from alteram.store.database import Store
from tests.conftest import _free_port, make_database


@dataclass
class LiveServer:
    url: str
    database_url: str
    process: subprocess.Popen[bytes]
    log: Path


def start_server(
    database_url: str, workdir: Path, *extra: str, env: dict[str, str] | None = None
) -> LiveServer:
    """Start ``alteram serve`` (with ``extra`` options) on a free port; wait until it answers.

    The server runs in development mode (``ALTERAM_DEV=1``: the development secret key is
    allowed); ``env`` adds or overrides settings, e.g. ``{"ALTERAM_RATE_LIMITS": "off"}``.
    """
    port = _free_port()
    full = {k: v for k, v in os.environ.items() if not k.startswith("ALTERAM_")}
    full.update(ALTERAM_DATABASE_URL=database_url, ALTERAM_DATA_DIR=str(workdir), ALTERAM_DEV="1")
    full.update(env or {})
    log = workdir / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "alteram", "serve"),
                *("--host", "127.0.0.1", "--port", str(port), *extra),
            ],
            env=full,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120  # a loaded machine imports slowly
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text()}")
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return LiveServer(url, database_url, process, log)
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"server did not start: {log.read_text()}")


def stop_server(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def demo_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """A running server whose database holds the demo dialogue."""
    workdir = tmp_path_factory.mktemp(f"server-{request.param}")
    url = make_database(request.param, request, workdir)
    store = Store(url)
    create_demo(store)
    store.dispose()
    server = start_server(url, workdir)
    try:
        yield server
    finally:
        stop_server(server)


def client_from(address: str, **kwargs: object) -> httpx.Client:
    """An HTTP client whose connections come from ``address`` (any of 127.0.0.0/8 on Linux).

    Rate limits count per network address; tests that are not about them use an address of
    their own so that they do not share a budget with other tests of the same server.
    """
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(transport=transport, timeout=60, **kwargs)  # type: ignore[arg-type]
