"""In a real browser: the restatement path and the concern path, and their refusals."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from alteram.service.definitions import add_concept
from alteram.service.dialogues import create_dialogue
from alteram.service.rounds import create_round, open_round
from alteram.store.database import Store
from tests.conftest import make_database
from tests.web.conftest import LiveServer, start_server, stop_server

pytestmark = pytest.mark.browser


@pytest.fixture
def world(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    url = make_database("sqlite", request, tmp_path)
    store = Store(url)
    d = create_dialogue(store, title="Values", sides=["East", "West"])
    r = create_round(store, dialogue_id=d.dialogue_id)
    open_round(store, round_id=r)
    add_concept(store, round_id=r, name="freedom")
    store.dispose()
    server = start_server(url, tmp_path)
    names = dict(zip(["East", "West"], d.side_ids, strict=True))
    try:
        yield server, {n: f"{server.url}/join/{d.invite_tokens[i]}" for n, i in names.items()}
    finally:
        stop_server(server)


def _join(browser: Any, link: str, name: str) -> Any:
    page = browser.new_context(locale="en-US").new_page()
    page.goto(link)
    page.get_by_label("Display name (optional)").fill(name)
    page.get_by_role("button", name=re.compile("join")).click()
    page.wait_for_url("**/me")
    page.get_by_role("link", name="Understand").click()
    return page


def test_restatement_and_concern_paths(
    browser: Any, world: tuple[LiveServer, dict[str, str]], artifacts: Path
) -> None:
    server, links = world
    east, west = _join(browser, links["East"], "e"), _join(browser, links["West"], "w")

    # East defines "freedom"; West restates it; East rates the restatement fair.
    east.get_by_label("What it means to your side, in your words").fill(
        "Freedom is being able to live without fear of want or disorder."
    )
    east.get_by_role("button", name="Propose").click()
    assert "without fear of want" in east.locator(".mine blockquote.definition").inner_text()
    west.reload()
    assert "without fear of want" in west.locator(".theirs blockquote.definition").inner_text()
    west.get_by_label(re.compile("^Restate it in your own words")).fill(
        "To you, freedom means security from poverty and chaos."
    )
    west.get_by_role("button", name="Restate").click()
    east.reload()
    restated = east.locator("ul.restatements li").first
    assert "security from poverty" in restated.inner_text()
    restated.get_by_role("button", name="Fair", exact=True).click()
    assert "fair 1" in east.locator("ul.restatements li").first.inner_text()
    east.screenshot(path=str(artifacts / "understand-restatement.png"), full_page=True)

    # West may not rate a restatement of East's definition written by its own side.
    import httpx

    refused = httpx.post(
        server.url + "/understand/rate",
        data={
            "restatement_id": "1",
            "rating": "fair",
            "csrf_token": west.locator("input[name=csrf_token]").first.get_attribute("value"),
        },
        cookies={c["name"]: c["value"] for c in west.context.cookies()},
    )
    assert refused.status_code == 403
    assert "only the side whose definition was restated" in refused.text

    # West raises a concern; East answers; both mark it understood.
    west.get_by_label("What is it?").fill("Water upstream")
    west.get_by_label("Why does it matter to your side?").fill("Our farms need the river.")
    west.get_by_label(re.compile("^What would you like to understand")).fill(
        "How do you decide on the dam?"
    )
    west.get_by_role("button", name="Raise the concern").click()
    assert west.locator("article.concern").count() == 1
    assert west.locator("article.concern").get_by_role("button", name="Answer").count() == 0
    east.reload()
    concern = east.locator("article.concern").first
    concern.get_by_label("Your side's answer, in your own words").fill(
        "We open the dam when the lake is full; we can warn you a day ahead."
    )
    concern.get_by_role("button", name="Answer").click()
    east.locator("article.concern").first.get_by_role(
        "button", name="Our view was understood"
    ).click()
    west.reload()
    assert "warn you a day ahead" in west.locator("article.concern blockquote.answer").inner_text()
    west.locator("article.concern").first.get_by_role(
        "button", name="Our view was understood"
    ).click()
    assert "understood" in west.locator("article.concern h3 .state").inner_text()
    west.screenshot(path=str(artifacts / "understand-concern.png"), full_page=True)

    # A withdrawn concern takes no more answers.
    west.get_by_label("What is it?").fill("Fishing rights")
    west.get_by_label("Why does it matter to your side?").fill("Our villages fish there.")
    west.get_by_role("button", name="Raise the concern").click()
    west.locator("article.concern").nth(1).get_by_role("button", name="Withdraw").click()
    east.reload()
    assert east.locator("article.concern").nth(1).get_by_role("button", name="Answer").count() == 0
    assert "withdrawn" in east.locator("article.concern").nth(1).inner_text()
