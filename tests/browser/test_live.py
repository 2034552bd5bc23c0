"""In a real browser: the facilitator's round page updates by itself when a vote and a new
statement arrive (written by another process), and the participant's feedback page opens."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from alteram.service.accounts import create_facilitator
from alteram.service.dialogues import create_dialogue
from alteram.service.participation import add_statement, admit, record_vote
from alteram.service.rounds import create_round, open_round
from alteram.store.database import Store
from tests.conftest import make_database
from tests.web.conftest import start_server, stop_server

pytestmark = pytest.mark.browser
PASSWORD = "a long passphrase"


@pytest.fixture
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, Any]]:
    url = make_database("sqlite", request, tmp_path)
    store = Store(url)
    owner = create_facilitator(store, email="f@example.org", password=PASSWORD)
    d = create_dialogue(
        store, title="River", sides=["Upstream", "Downstream"], owner_account_id=owner
    )
    r = create_round(store, dialogue_id=d.dialogue_id)
    open_round(store, round_id=r)
    author = admit(store, token=d.invite_tokens[d.side_ids[0]], display_name="Ann")
    voter = admit(store, token=d.invite_tokens[d.side_ids[1]], display_name="Bo")
    sid = add_statement(
        store, participant_id=author.participant_id, round_id=r, text="Share the river."
    )
    server = start_server(url, tmp_path)
    try:
        yield {
            "server": server,
            "store": store,
            "round": r,
            "author": author.participant_id,
            "voter": voter.participant_id,
            "statement": sid,
        }
    finally:
        stop_server(server)
        store.dispose()


def test_the_live_table_and_the_queue_update_without_a_reload(
    browser: Any, world: dict[str, Any], artifacts: Path
) -> None:
    server, store, r = world["server"], world["store"], world["round"]
    page = browser.new_context(locale="en-US").new_page()
    page.goto(f"{server.url}/login")
    page.get_by_label("Email").fill("f@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    page.goto(f"{server.url}/facilitate/rounds/{r}")
    row = page.locator("#live tbody tr", has_text="Downstream")
    assert row.locator("td").nth(3).inner_text() == "0"  # votes of Downstream
    page.evaluate("window.__same_page = true")
    record_vote(store, participant_id=world["voter"], statement_id=world["statement"], value=1)
    expect(row.locator("td").nth(3)).to_have_text("1", timeout=20_000)
    add_statement(store, participant_id=world["author"], round_id=r, text="Dams need a say.")
    page.locator("#queue", has_text="Dams need a say.").wait_for(timeout=20_000)
    assert page.evaluate("window.__same_page") is True  # updated in place, not reloaded
    page.screenshot(path=str(artifacts / "live-round.png"), full_page=True)
