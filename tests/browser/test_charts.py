"""Charts in Chromium at a phone's width and a laptop's: nothing overflows, nothing is cut
off, the latest round shows, the words are in the reader's language and large enough."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from alteram.service.demo import create_demo
from alteram.store.database import Store
from tests.conftest import make_database
from tests.web.conftest import LiveServer, start_server, stop_server

pytestmark = pytest.mark.browser

PAGES = ("/dialogues/1/timeline", "/rounds/2/results", "/rounds/2/report")
CJK = re.compile(r"[\u4e00-\u9fff]")

MEASURE = """() => {
  const view = innerWidth;
  const svgs = [...document.querySelectorAll('figure svg')].map(svg => {
    const box = svg.getBoundingClientRect();
    const texts = [...svg.querySelectorAll('text')].map(t => {
      const r = t.getBoundingClientRect();
      return {text: t.textContent, left: r.left, right: r.right, height: r.height};
    });
    return {left: box.left, right: box.right, width: box.width, height: box.height,
            title: svg.querySelector('title').textContent, texts};
  });
  return {view, scroll: document.scrollingElement.scrollWidth, svgs};
}"""


@pytest.fixture(scope="module")
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    workdir = tmp_path_factory.mktemp("charts-browser")
    url = make_database("sqlite", request, workdir)
    store = Store(url)
    create_demo(store)
    store.dispose()
    server = start_server(url, workdir)
    try:
        yield server
    finally:
        stop_server(server)


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_charts_fit_and_speak_the_readers_language(
    browser: Any, demo: LiveServer, artifacts: Path, width: int, lang: str
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        for path in PAGES:
            page.goto(f"{demo.url}{path}?lang={lang}")
            name = path.strip("/").replace("/", "-")
            page.screenshot(
                path=str(artifacts / f"charts-{name}-{lang}-{width}.png"), full_page=True
            )
            m = page.evaluate(MEASURE)
            assert m["scroll"] <= m["view"], f"{path} overflows at {width} px"
            assert m["svgs"], f"no chart on {path}"
            for svg in m["svgs"]:
                where = f"{path} at {width} px: {svg['title']}"
                assert svg["left"] >= 0 and svg["right"] <= m["view"] + 0.5, where
                assert svg["width"] > 0.8 * min(m["view"] - 40, 576), where  # fills the column
                texts = [t for t in svg["texts"] if t["text"].strip()]
                for t in texts:  # no word cut off at either edge
                    assert svg["left"] - 0.5 <= t["left"] and t["right"] <= svg["right"] + 0.5, (
                        where,
                        t["text"],
                    )
                    assert t["height"] >= 9, (where, t["text"], t["height"])  # legible
                if lang == "zh":
                    assert CJK.search(svg["title"]), where
                    assert any(CJK.search(t["text"]) for t in texts), where
            if path.endswith("timeline"):
                for svg in m["svgs"]:  # every trend chart names the latest round, on screen
                    # a visitor sees the published rounds: 1 and 2 (round 3 is open)
                    latest = [t for t in svg["texts"] if t["text"] == "2"]
                    assert latest and latest[-1]["right"] <= m["view"], svg["title"]
                last = page.locator("ol.timeline > li").last.bounding_box()
                assert last is not None and last["x"] + last["width"] <= width
    finally:
        context.close()


def test_the_numbers_behind_a_chart_open_without_scripts(browser: Any, demo: LiveServer) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{demo.url}/dialogues/1/timeline?lang=zh")
        first = page.locator("figure.chart").first
        first.locator("summary").click()
        table = first.locator("details.chart-data table")
        assert table.is_visible()
        assert table.locator("tbody tr").count() == 2  # the published rounds
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    finally:
        context.close()


def test_the_report_prints_with_its_charts_whole(browser: Any, demo: LiveServer) -> None:
    context = browser.new_context(viewport={"width": 794, "height": 1123})  # A4 at 96 dpi
    page = context.new_page()
    try:
        page.goto(f"{demo.url}/rounds/2/report?lang=zh")
        page.emulate_media(media="print")
        m = page.evaluate(MEASURE)
        assert m["scroll"] <= m["view"]
        assert len(m["svgs"]) == 2  # the gap over the rounds, the opinion map
        for svg in m["svgs"]:
            assert svg["left"] >= 0 and svg["right"] <= m["view"], svg["title"]
            assert svg["width"] <= 15 / 2.54 * 96 + 1  # at most 15 cm wide on paper
        assert not page.locator("details.chart-data").first.is_visible()
        assert page.pdf(format="A4")[:5] == b"%PDF-"
    finally:
        context.close()
