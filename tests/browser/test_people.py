"""In a real browser: a facilitator makes links, uploads a list, removes a participant after
confirming, and a participant flags a statement (English and Chinese)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from alteram.service.accounts import create_facilitator
from alteram.service.dialogues import create_dialogue
from alteram.service.participation import add_statement, admit
from alteram.service.rounds import create_round, open_round
from alteram.store.database import Store
from tests.conftest import make_database
from tests.web.conftest import LiveServer, start_server, stop_server

pytestmark = pytest.mark.browser
PASSWORD = "a long passphrase"


@pytest.fixture
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[LiveServer, int, str]]:
    url = make_database("sqlite", request, tmp_path)
    store = Store(url)
    owner = create_facilitator(store, email="f@example.org", password=PASSWORD)
    d = create_dialogue(
        store, title="River", sides=["Upstream", "Downstream"], owner_account_id=owner
    )
    r = create_round(store, dialogue_id=d.dialogue_id)
    open_round(store, round_id=r)
    author = admit(store, token=d.invite_tokens[d.side_ids[0]], display_name="Ann")
    add_statement(
        store,
        participant_id=author.participant_id,
        round_id=r,
        text="The factories upstream are liars.",
        move="accuse",
    )
    store.dispose()
    server = start_server(url, tmp_path)
    try:
        yield server, d.dialogue_id, d.invite_tokens[d.side_ids[1]]
    finally:
        stop_server(server)


def test_links_list_removal_and_a_flag(
    browser: Any, world: tuple[LiveServer, int, str], artifacts: Path, tmp_path: Path
) -> None:
    server, dialogue_id, downstream = world
    member = browser.new_context(locale="en-US").new_page()
    member.goto(f"{server.url}/join/{downstream}")
    member.get_by_label("Display name (optional)").fill("Bo")
    member.get_by_role("button", name=re.compile("join")).click()
    member.wait_for_url("**/me")
    member.goto(f"{server.url}/vote")
    member.get_by_text("Flag this statement for the facilitators").click()
    member.get_by_label("What is wrong with it?").fill("an accusation, not an explanation")
    member.get_by_role("button", name="Send the flag").click()
    member.wait_for_url("**/vote?flagged=1")
    assert member.get_by_role("status").first.inner_text().startswith("Thank you")

    page = browser.new_context(locale="en-US").new_page()
    page.goto(f"{server.url}/login")
    page.get_by_label("Email").fill("f@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    page.goto(f"{server.url}/facilitate/dialogues/{dialogue_id}")
    page.get_by_role("link", name="Invite links").first.click()
    page.get_by_label("Side", exact=True).select_option(label="Downstream")
    page.get_by_label(re.compile("^Limit: how many")).fill("30")
    page.get_by_role("button", name="Make the link", exact=True).click()
    assert page.locator("#new-links input.invite").count() == 1
    people = tmp_path / "people.csv"
    people.write_text("external_id,display_name,side\nu-1,Una,Upstream\nu-2,,Nowhere\n")
    page.get_by_label("The list (CSV, UTF-8)").set_input_files(str(people))
    page.get_by_role("button", name="Upload and make the links").click()
    assert "line 3, column 3 (side)" in page.locator("p.error").inner_text()
    people.write_text("external_id,display_name,side\nu-1,Una,Upstream\nu-2,,Downstream\n")
    page.get_by_label("The list (CSV, UTF-8)").set_input_files(str(people))
    page.get_by_role("button", name="Upload and make the links").click()
    assert page.locator("#new-links input.invite").count() == 2
    page.screenshot(path=str(artifacts / "people-invites.png"), full_page=True)

    page.get_by_role("link", name="People").first.click()
    bo = page.locator("tr", has_text="Bo")
    bo.get_by_role("link", name="Remove…").click()
    assert "Nothing is deleted" in page.locator("section.confirm").inner_text()
    page.screenshot(path=str(artifacts / "people-confirm-removal.png"), full_page=True)
    page.get_by_label("Why (kept in the moderation log)").fill("asked to leave")
    page.get_by_role("button", name="Yes, remove them").click()
    assert page.locator("tr", has_text="Bo").get_attribute("data-removed") == "yes"
    page.screenshot(path=str(artifacts / "people-members.png"), full_page=True)

    member.goto(f"{server.url}/vote")
    assert "removed you from this dialogue" in member.locator("p.error").inner_text()

    page.get_by_role("link", name="Flags and moderation log").first.click()
    assert page.locator("ul.flagged li").first.get_attribute("data-flags") == "1"
    page.goto(page.url + "?lang=zh")
    assert "审核日志" in page.locator("h2#log-h").inner_text()
    page.screenshot(path=str(artifacts / "people-moderation-zh.png"), full_page=True)
