"""``/docs`` renders Swagger UI's operation list in Chromium with no request to another host
and nothing blocked by the Content-Security-Policy (#12)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import make_database
from tests.web.conftest import LiveServer, start_server, stop_server

pytestmark = pytest.mark.browser

LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture(scope="module")
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    workdir = tmp_path_factory.mktemp("docs-browser")
    live = start_server(make_database("sqlite", request, workdir), workdir)
    try:
        yield live
    finally:
        stop_server(live)


def test_docs_render_the_operations_offline(browser: Any, server: LiveServer) -> None:
    context = browser.new_context()
    context.add_init_script(LISTEN)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    # anything for another host is refused, as it would be offline
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if urlsplit(route.request.url).netloc == urlsplit(server.url).netloc
            else route.abort()
        ),
    )
    try:
        page.goto(server.url + "/docs")
        page.wait_for_selector(".opblock-summary", timeout=30_000)
        operations = page.locator(".opblock-summary-path").all_inner_texts()
        assert any("/api/rounds/{round_id}/results" in op for op in operations)
        assert page.locator(".opblock-tag").count() >= 3  # the API's tags
        host = urlsplit(server.url).netloc
        assert requested and all(urlsplit(u).netloc == host for u in requested), requested
        assert page.evaluate("window.__violations") == []
    finally:
        context.close()
