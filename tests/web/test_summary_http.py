"""The round in words over real HTTP: on the results page, in the report and as JSON."""

from __future__ import annotations

import httpx
from bs4 import BeautifulSoup

from tests.web.conftest import LiveServer


def test_results_page_opens_with_the_summary_and_its_sources(demo_server: LiveServer) -> None:
    page = httpx.get(demo_server.url + "/rounds/2/results?lang=en", timeout=120)
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "html.parser")
    summary = soup.select_one("#summary")
    assert summary is not None
    headings = [h.get("id") for h in soup.select("main h2, h2")]
    assert headings.index("summary-h") < headings.index("cg-h")  # at the top
    sentences = summary.select(".summary-sentence")
    assert len(sentences) > 10
    for s in sentences:
        assert s["tabindex"] == "0"
        source = soup.find(id=s["aria-describedby"])
        assert source is not None and source.get("role") == "tooltip"
        for sid in s["data-statements"].split():
            assert f"S{sid}" in source.text
    parts = [h.text for h in summary.select("h3")]
    assert parts[:3] == [
        "What both sides agree on",
        "Where they differ most",
        "How well each side knows the other",
    ]
    assert "participants from China" in summary.text
    assert "participants from United States" in summary.text


def test_report_and_api_carry_the_same_summary_in_chinese(demo_server: LiveServer) -> None:
    report = httpx.get(demo_server.url + "/rounds/2/report?lang=zh", timeout=120)
    soup = BeautifulSoup(report.text, "html.parser")
    shown = [s.contents[0].strip() for s in soup.select("#summary .summary-sentence")]
    data = httpx.get(demo_server.url + "/api/rounds/2/summary?lang=zh", timeout=120).json()
    assert data["language"] == "zh" and data["state"] == "live"
    said = [s["text"] for sec in data["sections"] for s in sec["sentences"]]
    assert shown == said and "中国参与者" in " ".join(said)
    results = httpx.get(demo_server.url + "/api/rounds/2/results?lang=zh", timeout=120).json()
    agree = data["sections"][0]
    assert agree["key"] == "agree"
    first = agree["sentences"][1]
    top = results["common_ground"][0]
    assert first["statements"] == [top["id"]] and first["quoted"] == [top["id"]]
    assert [f["value"] for f in first["figures"]] == [s["percent"] for s in top["shares"]]
    assert top["text"]["text"].rstrip("。") in first["text"]
    assert not data["balance"]["flagged"]


def test_unpublished_rounds_summary_is_the_teams_only(demo_server: LiveServer) -> None:
    assert httpx.get(demo_server.url + "/api/rounds/3/summary", timeout=60).status_code == 403
    page = httpx.get(demo_server.url + "/rounds/3/results", timeout=60)
    assert page.status_code == 403


def test_the_team_reviews_and_publishes_a_summary(demo_server: LiveServer) -> None:
    """Last in this module: it publishes round 2's English summary."""
    import re

    from alteram.service.accounts import create_facilitator
    from alteram.store.database import Store
    from tests.factories import own

    store = Store(demo_server.database_url)
    try:
        account = create_facilitator(store, email="team@example.org", password="long enough pw 1")
        own(store, 1, account)
    finally:
        store.dispose()
    client = httpx.Client(base_url=demo_server.url, timeout=120, follow_redirects=False)
    login = client.post(
        "/api/auth/login", json={"email": "team@example.org", "password": "long enough pw 1"}
    )
    assert login.status_code == 200
    assert httpx.get(demo_server.url + "/rounds/2/summary", timeout=60).status_code in (
        401,
        403,
        303,
    )
    page = client.get("/rounds/2/summary?lang=en")
    assert page.status_code == 200
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf
    made = client.post(
        "/rounds/2/summary/offline", data={"csrf_token": csrf.group(1), "language": "en"}
    )
    assert made.status_code == 303
    soup = BeautifulSoup(client.get("/rounds/2/summary?lang=en").text, "html.parser")
    draft = soup.select_one("article.draft[data-state=draft]")
    assert draft is not None
    sentences = [t.text for t in draft.select("textarea[name=sentence]")]
    assert any("[S" in s for s in sentences)
    summary_id = draft["id"].removeprefix("draft-")
    edited = [s.replace("The broadest agreement is on", "Most agree on") for s in sentences]
    saved = client.post(
        "/rounds/2/summary/edit",
        data={"csrf_token": csrf.group(1), "summary_id": summary_id, "sentence": edited},
    )
    assert saved.status_code == 303
    published = client.post(
        "/rounds/2/summary/publish", data={"csrf_token": csrf.group(1), "summary_id": summary_id}
    )
    assert published.status_code == 303
    data = httpx.get(demo_server.url + "/api/rounds/2/summary?lang=en", timeout=60).json()
    assert data["state"] == "published" and data["edited"] and data["summary_id"] == int(summary_id)
    assert data["sections"][0]["sentences"][1]["text"].startswith("Most agree on")
    zh = httpx.get(demo_server.url + "/api/rounds/2/summary?lang=zh", timeout=60).json()
    assert zh["state"] == "live"  # each language is reviewed on its own
    results = BeautifulSoup(
        httpx.get(demo_server.url + "/rounds/2/results?lang=en", timeout=60).text, "html.parser"
    )
    assert results.select_one("#summary")["data-state"] == "published"
