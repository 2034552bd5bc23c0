"""Timeline, round report and exports, checked against the stored analysis."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup

from alteram.service.analyses import StoredAnalysis, latest_analysis
from alteram.service.exports import as_csv, round_data
from alteram.store.database import Store
from alteram.web.i18n import translations
from tests.cli.helpers import alteram
from tests.web.conftest import LiveServer


def stored_analysis(server: LiveServer, *, round_id: int) -> StoredAnalysis:
    """The latest analysis the server's database holds for a round."""
    store = Store(server.database_url)
    try:
        stored = latest_analysis(store, round_id=round_id)
    finally:
        store.dispose()
    assert stored is not None
    return stored


def test_timeline_shows_rounds_suspensions_and_trends(demo_server: LiveServer) -> None:
    page = httpx.get(demo_server.url + "/dialogues/1/timeline", timeout=120)
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "html.parser")
    assert len(soup.select("ol.timeline > li")) == 3
    assert any("travel restrictions" in li.text for li in soup.select("li[data-kind=suspended]"))
    charts = soup.select("#trends svg.chart")
    titles = " ".join(c.title.text for c in charts)
    for wanted in (
        "Perception gap",
        "Common-ground",
        "Dialogue share",
        "fair",
        "Concerns",
        "Ritual index",
    ):
        assert wanted in titles
    gaps = [float(td.text) for td in soup.select("table.trends tbody tr td:nth-of-type(1)")]
    # round 3 is open and unpublished: its trends are the team's only (#11)
    assert len(gaps) == 2 and gaps[0] > gaps[1]  # the demo's gap narrows


def test_report_numbers_are_the_stored_analysis(demo_server: LiveServer) -> None:
    unpublished = httpx.get(demo_server.url + "/rounds/3/report", timeout=120)
    assert unpublished.status_code == 403  # round 3 is open and unpublished
    stored = stored_analysis(demo_server, round_id=2)
    published = httpx.get(demo_server.url + "/rounds/2/report", timeout=120)
    soup = BeautifulSoup(published.text, "html.parser")
    shown = {
        tr["data-pair"]: float(tr.select_one("td.now").text)
        for tr in soup.select("table.gaps tbody tr")
    }
    expected = [p["mae"]["value"] for p in stored.result["perception"]["pairs"]]
    assert sorted(round(v, 1) for v in shown.values()) == sorted(round(v, 1) for v in expected)
    assert soup.select("#restatements blockquote.restatement")
    assert soup.select("#concerns li")
    assert soup.select_one("#ritual .ritual-index")
    assert "repeat" in soup.select_one("#ritual").text


def test_cli_report_and_exports(demo_server: LiveServer, tmp_path: Path) -> None:
    env = {"ALTERAM_DATABASE_URL": demo_server.database_url}
    out = tmp_path / "report.html"
    done = alteram("report", "2", "--out", str(out), env=env)
    assert done.returncode == 0, done.stderr
    html = out.read_text()
    assert "<link" not in html and "<script" not in html  # standalone, no external assets
    assert "What both sides agree on" in html
    store = Store(demo_server.database_url)
    try:
        data = round_data(store, round_id=2)
        files = as_csv(data)
    finally:
        store.dispose()
    votes = list(csv.DictReader(io.StringIO(files["votes.csv"])))
    assert len(votes) == len(data["votes"]) > 3000
    assert list(votes[0])[:5] == ["timestamp", "datetime", "comment-id", "voter-id", "vote"]
    exported = alteram("export", "2", "--out", str(tmp_path / "x"), env=env)
    assert exported.returncode == 0, exported.stderr
    from alteram.interop.polis import read_polis_export

    back = read_polis_export(tmp_path / "x")
    assert len(back.votes) == len(votes)


def test_results_map_and_groups_speak_the_readers_language(demo_server: LiveServer) -> None:
    stored = stored_analysis(demo_server, round_id=2)
    sizes = [g["size"] for g in stored.result["groups"]]
    unclustered = sum(p["group"] is None for p in stored.result["participants"])
    for lang, group, outside in (("en", "Group ", "Not clustered"), ("zh", "群组 ", "未归入群组")):
        page = httpx.get(f"{demo_server.url}/rounds/2/results?lang={lang}", timeout=120)
        assert page.status_code == 200
        soup = BeautifulSoup(page.text, "html.parser")
        legend = [t.text for t in soup.select("figure.map svg text")]
        want = [f"{group}{chr(65 + g)}: {n}" for g, n in enumerate(sizes)]
        assert [t for t in legend if t.startswith(group)] == want
        assert f"{outside}: {unclustered}" in legend
        # one marker per participant, drawn from the stored positions, in its group's colour
        for g, n in enumerate(sizes):
            drawn = soup.select(f"figure.map svg g[id*='-group-{g}-side-'] use")
            assert len(drawn) == n
        assert len(soup.select("figure.map svg g[id*='-unclustered-side-'] use")) == unclustered
        names = [s.text for s in soup.select("ul.groups li strong")]
        assert names == [f"{group}{chr(65 + g)}" for g in range(len(sizes))]


CJK = re.compile(r"[\u4e00-\u9fff]")


def test_charts_speak_chinese_on_the_timeline_results_and_report(demo_server: LiveServer) -> None:
    zh = translations("zh").gettext
    page = httpx.get(demo_server.url + "/dialogues/1/timeline?lang=zh", timeout=120)
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "html.parser")
    charts = soup.select("#trends figure.chart svg.chart")
    titles = [c.title.text for c in charts]
    for msgid in (
        "Perception gap (points; lower is better)",
        "Participants who voted, per side",
        "Common-ground statements",
        "Dialogue share of moves (%)",
        "Restatements rated fair by the other side (%)",
        "Concerns",
        "Ritual index: statements repeating earlier rounds (%)",
    ):
        assert zh(msgid) in titles and CJK.search(zh(msgid)), msgid
    words = {t.text for c in charts for t in c.select("text")}
    for msgid in ("both sides agree", "still open", "understood by both", "repeats", "Round"):
        assert zh(msgid) in words and CJK.search(zh(msgid)), msgid
    # "%(a)s about %(b)s" in Chinese, for both directions, with the sides' shown names
    about = re.compile(
        re.escape(zh("%(a)s about %(b)s")).replace("%\\(a\\)s", "(.+)").replace("%\\(b\\)s", "(.+)")
    )
    pairs = {m.groups() for w in words if (m := about.fullmatch(w))}
    assert len(pairs) == 2 and {(b, a) for a, b in pairs} == pairs, words
    side_names = {a for a, _ in pairs}
    assert not words & {"Concerns", "both sides agree", "open", "Round", "repeats"}
    # each chart's numbers are also a table; the gap chart's agree with the trends table
    gap_table = soup.select("#trends figure.chart")[0].select("details.chart-data tbody tr")
    assert [tr.th.text for tr in gap_table] == ["第 1 轮", "第 2 轮"]  # round 3: the team's
    shown = [float(td.text) for td in soup.select("table.trends tbody tr td:nth-of-type(1)")]
    assert [float(tr.select("td")[0].text) for tr in gap_table] == pytest.approx(shown, abs=0.051)

    results = httpx.get(demo_server.url + "/rounds/2/results?lang=zh", timeout=120)
    soup = BeautifulSoup(results.text, "html.parser")
    (svg,) = soup.select("#map figure.map svg")
    assert svg.title.text == zh("Opinion map") == "观点分布图"
    legend = {t.text for t in svg.select("text")}
    assert {zh("Groups"), zh("Sides"), *side_names} <= legend

    report = httpx.get(demo_server.url + "/rounds/2/report?lang=zh", timeout=120)
    soup = BeautifulSoup(report.text, "html.parser")
    (gap,) = soup.select("#perception figure.chart svg")
    assert gap.title.text == zh("Perception gap over the rounds (points; lower is better)")
    found = [about.fullmatch(t.text) for t in gap.select("text")]
    assert {m.groups() for m in found if m} == pairs
    assert soup.select_one("#map figure.map svg title").text == "观点分布图"
