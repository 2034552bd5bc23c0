"""One number per fact (#12): every percentage on the results page and the report of a
seeded round is the raw share of the stored votes, with its counts, over real HTTP."""

from __future__ import annotations

import math
import re
from collections import Counter

import httpx
import pytest
from bs4 import BeautifulSoup, NavigableString, Tag
from scipy.stats import binomtest
from sqlalchemy import select

from alteram.engine.result import group_letter
from alteram.service.analyses import latest_analysis
from alteram.store.database import Store
from alteram.store.schema import Participant, Side, Vote
from tests.web.conftest import LiveServer

PCT = re.compile(r"(\d+)\s?%")
MARKED = ("share", "group-share", "prediction", "move-share", "summary")
SUMMARY_SHARE = re.compile(r"(\d+) % of participants from [^.,:]+? agree \((\d+) of (\d+)\)")


def half_up(x: float) -> int:
    """Jinja's ``round`` (half away from zero), which the templates use."""
    return math.floor(x + 0.5)


def stored_votes(server: LiveServer, statement_ids: set[int]) -> dict[tuple[int, str], Counter]:
    """Per (statement, side name): the latest vote of each participant, counted by value."""
    store = Store(server.database_url)
    try:
        with store.read() as session:
            names = dict(session.execute(select(Side.id, Side.name)).all())
            side_of = dict(session.execute(select(Participant.id, Participant.side_id)).all())
            latest: dict[tuple[int, int], int] = {}
            for pid, sid, value in session.execute(
                select(Vote.participant_id, Vote.statement_id, Vote.value)
                .where(Vote.statement_id.in_(statement_ids))
                .order_by(Vote.id)
            ):
                latest[(pid, sid)] = value
    finally:
        store.dispose()
    out: dict[tuple[int, str], Counter] = {}
    for (pid, sid), value in latest.items():
        if side_of.get(pid) is not None:
            out.setdefault((sid, names[side_of[pid]]), Counter())[value] += 1
    return out


def check_shares(soup: BeautifulSoup, server: LiveServer) -> int:
    """Every ``.share`` is the raw share of the stored votes, its counts and its interval."""
    shares = soup.select("span.share")
    votes = stored_votes(server, {int(s["data-statement"]) for s in shares})
    for el in shares:
        counted = votes[(int(el["data-statement"]), el["data-side"])]
        agree, seen = counted[1], sum(counted.values())
        assert (int(el["data-agree"]), int(el["data-votes"])) == (agree, seen)
        text = el.get_text(" ", strip=True)
        pcts = [int(p) for p in PCT.findall(text)]
        assert pcts[0] == half_up(100 * agree / seen), text
        assert f"({agree} of {seen}" in text, text
        if seen < 100:  # a small sample: the Wilson 95 % interval beside it
            ci = binomtest(agree, seen).proportion_ci(confidence_level=0.95, method="wilson")
            assert pcts[1:] == [95, half_up(100 * ci.low), half_up(100 * ci.high)], text
        else:
            assert pcts == pcts[:1], text
    return len(shares)


def unmarked_percentages(soup: BeautifulSoup) -> list[str]:
    """Texts with a percentage that no checked element holds."""
    out = []
    for node in soup.select_one("main, body").descendants:
        if not isinstance(node, NavigableString) or not PCT.search(node):
            continue
        parent = node.parent
        if any(
            isinstance(p, Tag) and set(p.get("class") or []) & set(MARKED)
            for p in [parent, *parent.parents]
        ):
            continue
        if parent.name in ("style", "script") or parent.find_parent("svg"):
            continue  # chart axes are checked by the chart tests
        out.append(str(node).strip())
    return out


def check_other(texts: list[str]) -> None:
    """Percentages outside the vote shares carry the counts they come from."""
    for text in texts:
        rest = text.replace("95 % interval", "")
        if not PCT.search(rest):
            continue
        if m := re.search(r"(\d+) of (\d+) statements confirmed \((\d+) %\)", rest):
            k, n, p = map(int, m.groups())
            assert p == half_up(100 * k / n), text
        elif (m := re.search(r"rated fair: (\d+) % \((\d+) of (\d+) ratings\)", rest)) or (
            m := re.search(r"(\d+) % of this round's statements \((\d+) of (\d+)\)", rest)
        ):
            p, k, n = map(int, m.groups())
            assert p == half_up(100 * k / n), text
        elif re.fullmatch(r"\d+ % \(\d+ voters\)", rest):
            pass  # original/translation readers: checked against the stored analysis below
        else:
            raise AssertionError(f"a percentage without its counts: {text!r}")


def check_summary(soup: BeautifulSoup) -> None:
    """The summary in words states each side's share with its counts, and they agree.

    Its other figures (gaps, ritual index, dialogue shares) are checked against the
    analysis sentence by sentence in tests/service/test_summaries.py.
    """
    summary = soup.select_one("#summary")
    assert summary is not None
    shares = [m.groups() for m in SUMMARY_SHARE.finditer(summary.get_text(" ", strip=True))]
    assert shares, "the summary states no share"
    for p, k, n in shares:
        assert int(p) == half_up(100 * int(k) / int(n)), (p, k, n)


def check_predictions_and_moves(soup: BeautifulSoup, server: LiveServer, round_id: int) -> None:
    store = Store(server.database_url)
    try:
        stored = latest_analysis(store, round_id=round_id)
        with store.read() as session:
            names = dict(session.execute(select(Side.id, Side.name)).all())
    finally:
        store.dispose()
    assert stored is not None
    r = stored.result
    predicted = {
        (s["statement"], names[s["predicting_side"]], names[s["predicted_side"]]): s["predicted"]
        for s in r["perception"]["statements"]
    }
    group_votes = {
        (st["id"], g["group"]): (int(g["agree"]), int(g["seen"]))
        for st in r["statements"]
        for g in st["group_votes"]
    }
    letters = {group_letter(g["id"]): g["id"] for g in r["groups"]}
    for el in soup.select("span.group-share"):  # bridging, group-informed consensus
        agree, seen = group_votes[(int(el["data-statement"]), letters[el["data-group"]])]
        assert (int(el["data-agree"]), int(el["data-votes"])) == (agree, seen)
        assert f"{half_up(100 * agree / seen)} % of group {el['data-group']} agree" in el.text
        assert f"({agree} of {seen}" in el.text
    scores = {st["id"]: st for st in r["statements"]}
    for section, key in (("bridging", "bridging"), ("group-consensus", "group_informed_consensus")):
        items = soup.select(f"#{section} li[data-statement]")
        assert items, section  # the demo has two groups and statements that bridge them
        shown = [float(li.select_one(".score")["data-score"]) for li in items]
        expected = [scores[int(li["data-statement"])][key] for li in items]
        assert shown == pytest.approx(expected) and shown == sorted(shown, reverse=True)
    for el in soup.select("span.prediction"):
        key = (int(el["data-statement"]), el["data-predicting"], el["data-predicted"])
        assert [int(p) for p in PCT.findall(el.text)] == [half_up(predicted[key]["value"])]
    for row in soup.select("table.moves tbody tr"):
        prof = r["move_profile"][str(next(k for k, v in names.items() if v == row["data-side"]))]
        assert int(row.select_one("td.n").text) == prof["n"]
        for td in row.select("td.move-share"):
            value = prof[td["data-move"]]
            assert td.text.strip() == ("—" if value is None else f"{half_up(100 * value)} %")
    for tr in soup.select("table.versions tbody tr"):
        cells = [td.text for td in tr.select("td")]
        comps = [
            c for c in r["versions"]["comparisons"] if c["statement"] == int(tr["data-statement"])
        ]
        assert any(
            cells[2] == f"{half_up(100 * c['agree_original'])} % ({c['n_original']} voters)"
            and cells[3] == f"{half_up(100 * c['agree_translated'])} % ({c['n_translated']} voters)"
            for c in comps
        ), cells


@pytest.mark.parametrize("page", ["results", "report"])
def test_every_percentage_is_the_raw_share_with_its_counts(
    demo_server: LiveServer, page: str
) -> None:
    answer = httpx.get(f"{demo_server.url}/rounds/2/{page}", timeout=120)
    assert answer.status_code == 200
    soup = BeautifulSoup(answer.text, "html.parser")
    assert check_shares(soup, demo_server) >= 4  # common ground and differences, per side
    assert soup.select("span.prediction")  # the largest misperceptions are shown
    check_predictions_and_moves(soup, demo_server, 2)
    check_other(unmarked_percentages(soup))
    check_summary(soup)
    if page == "results":  # the ranking prior is named, and kept out of the shares
        assert "ranking score" in soup.select_one("#common-ground .ranking").text


def test_the_api_gives_raw_shares_counts_and_intervals(demo_server: LiveServer) -> None:
    data = httpx.get(f"{demo_server.url}/api/rounds/2/results", timeout=120).json()
    shares = [sh for s in data["common_ground"] + data["divisive"] for sh in s["shares"]]
    assert shares
    for sh in shares:
        assert sh["percent"] == pytest.approx(100 * sh["agree"] / sh["votes"])
        ci = binomtest(sh["agree"], sh["votes"]).proportion_ci(method="wilson")
        assert (sh["low"], sh["high"]) == pytest.approx((100 * ci.low, 100 * ci.high))
    assert all("ranking_score" in s for s in data["common_ground"])
