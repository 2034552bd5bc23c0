"""The strict Content-Security-Policy breaks nothing: no page trips it, the scripts still run.

Chromium reports every blocked script, style or image as a ``securitypolicyviolation``
event; a listener installed before any page script collects them on every page a
participant and a facilitator visit in the demo dialogue. The voting page's keyboard
shortcuts (``vote.js``, from this server) still work.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from alteram.service.access import ADMIN
from alteram.service.accounts import create_facilitator
from alteram.service.demo import create_demo
from alteram.service.team import add_facilitator
from alteram.store.database import Store
from tests.conftest import make_database
from tests.web.conftest import LiveServer, start_server, stop_server

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "facilitator@example.org", "a long enough passphrase"
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture(scope="module")
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, dict[str, str], int]]:
    workdir = tmp_path_factory.mktemp("csp")
    url = make_database("sqlite", request, workdir)
    store = Store(url)
    created = create_demo(store)
    create_facilitator(store, email=EMAIL, password=PASSWORD)
    # the facilitator runs the demo: its team sees every facilitation page
    add_facilitator(store, actor=ADMIN, dialogue_id=created.dialogue_id, email=EMAIL, role="owner")
    store.dispose()
    server = start_server(url, workdir)
    try:
        yield server, created.invite_tokens, created.dialogue_id
    finally:
        stop_server(server)


def _visit(page: Any, url: str, seen: dict[str, list[str]]) -> None:
    response = page.goto(url)
    assert response is not None and response.status < 400, (url, response and response.status)
    page.wait_for_load_state("load")
    seen[url] = page.evaluate("window.__violations")


def test_no_page_trips_the_policy(
    browser: Any, demo: tuple[LiveServer, dict[str, str], int]
) -> None:
    server, tokens, dialogue = demo
    seen: dict[str, list[str]] = {}
    errors: list[str] = []  # the console's errors: a missing icon or script says so there
    context = browser.new_context(locale="en-US")
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.on(
        "console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None
    )
    for path in ("/", f"/dialogues/{dialogue}", f"/dialogues/{dialogue}/timeline", "/login"):
        _visit(page, server.url + path, seen)
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/facilitate")
    _visit(page, server.url + "/facilitate", seen)
    _visit(page, server.url + f"/facilitate/dialogues/{dialogue}", seen)
    rounds = page.locator("a[href^='/facilitate/rounds/']")
    round_links = sorted({rounds.nth(i).get_attribute("href") for i in range(rounds.count())})
    for link in round_links:
        _visit(page, server.url + str(link), seen)
        number = str(link).rsplit("/", 1)[1]
        _visit(page, server.url + f"/rounds/{number}/results", seen)
        _visit(page, server.url + f"/rounds/{number}/report", seen)
    context.close()

    participant = browser.new_context(locale="zh-CN")
    participant.add_init_script(LISTEN)
    page = participant.new_page()
    page.on(
        "console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None
    )
    _visit(page, server.url + f"/join/{next(iter(tokens.values()))}", seen)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/me")
    for path in ("/me", "/vote", "/write", "/understand"):
        _visit(page, server.url + path, seen)
    _visit(page, server.url + "/vote", seen)
    page.keyboard.press("a")  # vote.js: A agrees
    page.wait_for_url("**/vote?voted=1")
    seen["after voting by keyboard"] = page.evaluate("window.__violations")
    assert not errors, errors
    # The policy is in force and the listener hears it: an injected inline script is blocked.
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.injected = 1'; document.body.appendChild(s); }"
    )
    page.wait_for_function("window.__violations.length > 0")
    assert page.evaluate("window.injected") is None
    assert page.evaluate("window.__violations")[0].startswith("script-src")
    participant.close()
    blocked = {url: v for url, v in seen.items() if v}
    assert len(seen) >= 12 and not blocked, blocked


def test_the_standalone_report_keeps_its_styles(
    demo: tuple[LiveServer, dict[str, str], int], tmp_path: Path
) -> None:
    """The printable report inlines the stylesheet; it must be CSS, not escaped HTML."""
    from alteram.web.pages.report import render_report

    server, _, _ = demo
    store = Store(server.database_url)
    try:
        html = render_report(store, 1)
    finally:
        store.dispose()
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert '"Segoe UI"' in style and "&#34;" not in style
