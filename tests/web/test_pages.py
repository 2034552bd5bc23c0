"""The first pages and the JSON API, over real HTTP against a running server."""

from __future__ import annotations

import httpx
from bs4 import BeautifulSoup

from alteram.service.dialogues import create_dialogue
from alteram.store.database import Store
from tests.web.conftest import LiveServer


def test_home_lists_the_demo_with_sides_rounds_and_simulated_badge(demo_server: LiveServer) -> None:
    response = httpx.get(demo_server.url + "/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    (item,) = soup.select("li.dialogue")
    assert "Human rights" in item.h2.get_text()
    assert item.select_one(".badge.simulated").get_text(strip=True) == "simulated"
    assert [s.get_text() for s in item.select(".side")] == ["China", "United States"]
    assert [s.get_text() for s in item.select(".rounds .state")] == ["closed", "closed", "open"]
    css = httpx.get(demo_server.url + "/static/style.css")
    assert css.status_code == 200 and "body" in css.text


def test_dialogue_page_shows_the_suspension_and_its_reason(demo_server: LiveServer) -> None:
    response = httpx.get(demo_server.url + "/dialogues/1")
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    events = [li.get_text(" ", strip=True) for li in soup.select("#round-2 .events li")]
    assert any("suspended" in e and "travel restrictions" in e for e in events)
    assert "simulated" in soup.h1.get_text()


def test_api_lists_dialogues(demo_server: LiveServer) -> None:
    body = httpx.get(demo_server.url + "/api/dialogues").json()
    (d,) = [x for x in body if x["simulated"]]
    assert [s["name"]["text"] for s in d["sides"]] == ["China", "United States"]
    assert [r["state"] for r in d["rounds"]] == ["closed", "closed", "open"]
    assert sum(r["votes"] for r in d["rounds"]) > 5000
    spec = httpx.get(demo_server.url + "/openapi.json").json()
    assert "/api/dialogues/{dialogue_id}" in spec["paths"]


def test_errors_are_json_under_api_and_pages_elsewhere(demo_server: LiveServer) -> None:
    response = httpx.get(demo_server.url + "/api/dialogues/999")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert "dialogue 999 does not exist" in response.json()["error"]["message"]
    bad = httpx.get(demo_server.url + "/api/dialogues/abc")
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_input"
    page = httpx.get(demo_server.url + "/dialogues/999")
    assert page.status_code == 404
    assert "does not exist" in BeautifulSoup(page.text, "html.parser").select_one(".error").text
    nowhere = httpx.get(demo_server.url + "/api/nothing-here")
    assert nowhere.status_code == 404 and nowhere.json()["error"]["code"] == "not_found"


def test_text_people_wrote_is_escaped(demo_server: LiveServer) -> None:
    store = Store(demo_server.database_url)
    try:
        created = create_dialogue(
            store, title="<script>alert('x')</script>", sides=["<b>A</b>", "B"], visibility="public"
        )
    finally:
        store.dispose()
    html = httpx.get(demo_server.url + "/").text
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "<b>A</b>" not in html
    page = httpx.get(f"{demo_server.url}/dialogues/{created.dialogue_id}").text
    assert "<script>alert" not in page
