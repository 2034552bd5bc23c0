"""The round in words in Chromium: each sentence's sources show on keyboard focus and hover."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from alteram.service.demo import create_demo
from alteram.store.database import Store
from tests.conftest import make_database
from tests.web.conftest import LiveServer, start_server, stop_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    workdir = tmp_path_factory.mktemp("summary-browser")
    url = make_database("sqlite", request, workdir)
    store = Store(url)
    create_demo(store)
    store.dispose()
    server = start_server(url, workdir)
    try:
        yield server
    finally:
        stop_server(server)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_sources_show_on_focus_and_hover(
    browser: Any, demo: LiveServer, artifacts: Path, lang: str
) -> None:
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{demo.url}/rounds/2/results?lang={lang}")
        sentences = page.locator("#summary .summary-sentence")
        assert sentences.count() > 10
        first_quote = page.locator("#summary .summary-sentence[data-statements]").nth(1)
        tip = page.locator(f"#{first_quote.get_attribute('aria-describedby')}")
        assert not tip.is_visible()  # hidden until asked for
        # Keyboard: Tab from the page's start reaches the summary's sentences in order.
        page.locator("#summary-h").click()
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.className")
        assert "summary-sentence" in focused
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('aria-describedby')") == (
            first_quote.get_attribute("aria-describedby")
        )
        assert tip.is_visible()
        sid = first_quote.get_attribute("data-statements")
        assert sid and f"S{sid}" in tip.inner_text()
        assert "%" in tip.inner_text()
        box, view = tip.bounding_box(), page.viewport_size
        assert box and view and box["x"] >= 0 and box["x"] + box["width"] <= view["width"]
        page.screenshot(path=str(artifacts / f"summary-focus-{lang}.png"))
        # Focus elsewhere: hidden again; hover: shown.
        page.locator("#summary-h").click()
        assert not tip.is_visible()
        first_quote.hover()
        assert tip.is_visible()
        # The accessible description is the sources, for screen readers.
        described = page.evaluate(
            "id => document.getElementById(id).textContent",
            first_quote.get_attribute("aria-describedby"),
        )
        assert f"S{sid}" in described
    finally:
        context.close()
