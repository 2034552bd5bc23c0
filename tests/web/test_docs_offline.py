"""``/docs`` works offline (#12): Swagger UI's files come from this server, no other host."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from bs4 import BeautifulSoup

from tests.conftest import make_database
from tests.web.conftest import LiveServer, start_server, stop_server


@pytest.fixture(scope="module")
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    workdir = tmp_path_factory.mktemp("docs")
    live = start_server(make_database("sqlite", request, workdir), workdir)
    try:
        yield live
    finally:
        stop_server(live)


def test_docs_and_its_assets_come_from_the_app(server: LiveServer) -> None:
    page = httpx.get(server.url + "/docs")
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "html.parser")
    urls = [el.get("src") or el.get("href") for el in soup.select("[src], [href]")]
    urls += re.findall(r"""url\s*:\s*['"]([^'"]+)['"]""", page.text)  # the spec's URL
    assert urls
    for url in urls:
        full = urljoin(server.url + "/docs", url)
        assert urlsplit(full).netloc == urlsplit(server.url).netloc, url  # no other host
    assets = [
        *(s["src"] for s in soup.select("script[src]")),
        *(link["href"] for link in soup.select("link[href]")),
    ]
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    for url in assets:
        answer = httpx.get(urljoin(server.url + "/docs", url))
        assert answer.status_code == 200, url
        assert len(answer.content) > 1000, url
    assert "openapi" in httpx.get(server.url + "/openapi.json").json()
    # nothing but Swagger UI's own files is served from there
    assert httpx.get(server.url + "/docs/assets/core.py").status_code == 404
    assert httpx.get(server.url + "/docs/assets/..%2F__init__.py").status_code == 404
