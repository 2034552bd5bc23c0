"""The whole path in a real browser: a facilitator sets up, both sides join, vote, predict
and write, the facilitator moderates and publishes, and the results show common ground and
perception gaps.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from alteram.service.accounts import create_facilitator
from alteram.store.database import Store
from tests.conftest import make_database
from tests.web.conftest import LiveServer, start_server, stop_server

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "facilitator@example.org", "a long enough passphrase"
SIDES = ("North", "South")


@pytest.fixture
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LiveServer]:
    url = make_database("sqlite", request, tmp_path)
    store = Store(url)
    create_facilitator(store, email=EMAIL, password=PASSWORD)
    store.dispose()
    live = start_server(url, tmp_path)
    try:
        yield live
    finally:
        stop_server(live)


class Shots:
    def __init__(self, folder: Path) -> None:
        self.folder, self.n = folder, 0

    def __call__(self, page: Any, name: str) -> None:
        self.n += 1
        page.screenshot(path=str(self.folder / f"{self.n:02d}-{name}.png"), full_page=True)


def _join(browser: Any, link: str, name: str, shots: Shots) -> Any:
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.goto(link)
    shots(page, f"join-{name}")
    page.get_by_label("Display name (optional)").fill(name)
    page.get_by_role("button", name=re.compile("join")).click()
    page.wait_for_url("**/me")
    return page


def _vote_all(page: Any, agree: set[str], guess: int, shots: Shots, name: str) -> int:
    n = 0
    page.goto(page.url.split("/me")[0] + "/vote")
    while page.locator("#vote-form").count():
        text = page.locator("blockquote.statement").inner_text()
        page.locator("input[type=number]").first.fill(str(guess))
        if n == 0:
            shots(page, f"vote-{name}")
            page.locator("body").press("a") if text in agree else page.get_by_role(
                "button", name=re.compile("^Disagree")
            ).click()
        else:
            button = "^Agree" if text in agree else "^Disagree"
            page.get_by_role("button", name=re.compile(button)).click()
        page.wait_for_load_state()
        n += 1
        assert n < 50
    assert "voted on every statement" in page.content()
    return n


def test_the_whole_path(browser: Any, server: LiveServer, artifacts: Path) -> None:
    shots = Shots(artifacts)
    fac_context = browser.new_context(locale="en-US")
    fac = fac_context.new_page()

    # The facilitator signs in, creates the dialogue and a pre-moderated round, opens it.
    fac.goto(server.url + "/login")
    shots(fac, "login")
    fac.get_by_label("Email").fill(EMAIL)
    fac.get_by_label("Password").fill(PASSWORD)
    fac.get_by_role("button", name="Sign in").click()
    fac.wait_for_url("**/facilitate")
    fac.get_by_label("Title").fill("Water: what it means to us")
    fac.get_by_label(re.compile("^Charter")).fill("Explain, ask, listen. No side lectures.")
    fac.get_by_label(re.compile("^Sides")).fill("\n".join(SIDES))
    fac.get_by_label(re.compile("^Public")).check()
    shots(fac, "facilitate")
    fac.get_by_role("button", name="Create the dialogue").click()
    links = {
        i.get_attribute("data-side"): i.input_value() for i in fac.locator("input.invite").all()
    }
    assert set(links) == set(SIDES) and all("/join/" in v for v in links.values())
    shots(fac, "invite-links")
    fac.get_by_label("Topics, one prompt per line").fill("What does water mean to you?")
    fac.get_by_label(re.compile("^Pre-moderated")).check()
    fac.get_by_role("button", name="Plan the round").click()
    fac.get_by_role("link", name="Round 1").click()
    fac.get_by_role("button", name="Open").click()
    assert "open" in fac.locator("h1 .state").inner_text()
    round_url = fac.url

    # Two participants per side join by their side's link and write.
    people = {
        f"{side}-{i}": _join(browser, links[side], f"{side}-{i}", shots)
        for side in SIDES
        for i in (1, 2)
    }
    texts = {
        "North-1": "Clean water is a right of every family, upstream and downstream.",
        # a hint only for a confident pressure move (#14): this demand reads as one (0.93)
        "North-2": "We demand that you open the dam immediately.",
        "South-1": "We would like to understand how the north decides on water use.",
        "South-2": "Both sides could measure the river together and share the data.",
    }
    for name, page in people.items():
        page.get_by_role("link", name="Write a statement").click()
        page.get_by_label(re.compile("^Your statement")).fill(texts[name])
        page.get_by_role("button", name="Check how it reads").click()
        assert page.locator(".assessment .move").count() == 1
        if name == "North-2":
            assert page.locator(".assessment .hint").count() == 1  # a demand gets a hint
            shots(page, "composer-hint")
        page.get_by_role("button", name="Post").click()
        page.wait_for_url("**/me?written=1")
    shots(people["North-1"], "me-pending")

    # The facilitator moderates: accepts three, rejects the demand with a reason.
    fac.goto(round_url)
    shots(fac, "moderation-queue")
    for item in fac.locator("li.queued.mod-pending").all():
        if "demand" in item.inner_text() and "dam" in item.inner_text():
            item.get_by_label("Reason the author will see").fill("Say why it matters to you.")
            item.get_by_role("button", name="Reject").click()
            break
    while fac.locator("li.queued.mod-pending").count():
        fac.locator("li.queued.mod-pending").first.get_by_role("button", name="Accept").click()
    assert fac.locator("li.queued.mod-accepted").count() == 3

    # Everyone votes and predicts; the keyboard shortcut works.
    accepted = [texts["North-1"], texts["South-1"], texts["South-2"]]
    for name, page in people.items():
        side = name.split("-")[0]
        agree = set(accepted) if name != "North-2" else {texts["North-1"]}
        voted = _vote_all(page, agree, 40 if side == "North" else 90, shots, name)
        own = 1 if name != "North-2" else 0
        assert voted == len(accepted) - own
    people["North-2"].goto(server.url + "/me")
    assert "Say why it matters to you." in people["North-2"].content()

    # More voters through the JSON API, so that the perception gap has enough data.
    for side in SIDES:
        for k in range(4):
            j = httpx.post(server.url + "/api/join", json={"token": links[side].rsplit("/", 1)[1]})
            auth = {"authorization": "Bearer " + j.json()["session_token"]}
            me = httpx.get(server.url + "/api/me", headers=auth).json()
            other = me["other_sides"][0]
            nxt = httpx.get(
                f"{server.url}/api/rounds/{round_url.rsplit('/', 1)[1]}/next", headers=auth
            ).json()
            for st in nxt:
                r = httpx.post(
                    f"{server.url}/api/statements/{st['id']}/votes",
                    headers=auth,
                    json={
                        "value": 1 if k < 3 else -1,
                        "predictions": {str(other["id"]): 30 if side == "North" else 95},
                    },
                )
                assert r.status_code == 201, r.text

    # Not published yet: an observer is refused, with a clear message.
    observer = browser.new_context(locale="en-US").new_page()
    results_url = round_url.replace("/facilitate/rounds/", "/rounds/") + "/results"
    observer.goto(results_url)
    assert "not published yet" in observer.content()

    # The facilitator analyses and publishes.
    fac.goto(round_url)
    fac.get_by_role("button", name="Analyse now").click()
    fac.get_by_role("button", name="Publish the results").click()
    assert "Results published." in fac.content()
    shots(fac, "round-live")

    # The results page: common ground and perception gaps, in plain words.
    observer.goto(results_url)
    shots(observer, "results")
    common = observer.locator("#common-ground li").all_inner_texts()
    assert any("measure the river together" in c for c in common)
    gaps = observer.locator("#perception .gap-summary").all_inner_texts()
    assert len(gaps) == 2 and all("misjudged" in g for g in gaps)
    assert observer.locator("#map svg").count() == 1
    observer.locator("#perception details summary").first.click()
    assert "95 % interval" in observer.locator("#perception details").first.inner_text()

    # Phone width, and the Chinese interface.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
    phone.goto(results_url)
    shots(phone, "results-phone-zh")
    assert phone.locator("html").get_attribute("lang") == "zh-Hans"
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the page scrolls sideways at phone width ({width}px)"
