"""Both sides read every word: an English reader and a Chinese reader of the same demo round,
in a real Chromium, each see the other side's statements in their own language, marked as a
translation, with the original one click away."""

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
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    workdir = tmp_path_factory.mktemp("browser-translations")
    url = make_database("sqlite", request, workdir)
    store = Store(url)
    created = create_demo(store)
    store.dispose()
    server = start_server(url, workdir)
    try:
        yield server, created.invite_tokens
    finally:
        stop_server(server)


def _join(browser: Any, url: str, locale: str, button: str) -> Any:
    context = browser.new_context(locale=locale, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(url)
    page.get_by_role("button", name=re.compile(button)).click()
    page.wait_for_url("**/me")
    return page


@pytest.mark.parametrize(
    ("side", "locale", "button", "reads", "other_lang", "mark"),
    [
        ("United States", "en-US", "join", "en", "zh-Hans", "translated by"),
        ("China", "zh-CN", "加入", "zh-Hans", "en", "译"),
    ],
)
def test_each_reader_sees_the_other_side_in_their_own_language(
    browser: Any,
    demo: tuple[LiveServer, dict[str, str]],
    artifacts: Path,
    side: str,
    locale: str,
    button: str,
    reads: str,
    other_lang: str,
    mark: str,
) -> None:
    server, tokens = demo
    page = _join(browser, f"{server.url}/join/{tokens[side]}", locale, button)
    page.goto(server.url + "/vote")
    quote = page.locator("blockquote.statement")
    shown = quote.locator(".tr-text")
    # the first statement comes from the other side, shown in the reader's language
    assert shown.get_attribute("lang") == reads
    words = shown.inner_text()
    assert bool(CJK.search(words)) == (reads == "zh-Hans")
    assert mark in quote.locator(".tr-mark").inner_text()
    original = quote.locator("details.tr-original")
    assert not original.locator("span").is_visible()
    original.locator("summary").click()
    text = original.locator("span")
    assert text.is_visible() and text.get_attribute("lang") == other_lang
    assert bool(CJK.search(text.inner_text())) == (other_lang == "zh-Hans")
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(artifacts / f"translation-{locale}.png"), full_page=True)
    # the vote records the translation that was shown
    translation = quote.locator(".tr-mark").get_attribute("data-translation")
    assert page.locator("input[name=shown_translation_id]").get_attribute("value") == translation
    page.locator("button.agree").click()
    page.wait_for_url("**/vote?voted=1")
    # the results of a published round show the statements translated too
    page.goto(server.url + "/rounds/1/results")
    assert page.locator("#common-ground .tr-mark").count() >= 1
    page.context.close()
