"""The offline summary of the demo's rounds, sentence by sentence against the stored analysis."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from alteram.service.analyses import latest_analysis
from alteram.service.demo import create_demo
from alteram.service.results import MIN_DIFFERENCE
from alteram.service.summaries import round_summary, summary_view
from alteram.store.database import Store
from alteram.store.schema import Round, Side, Statement, Translation
from alteram.summaries import Summary
from alteram.summaries.words import whole


def _words(store: Store, round_id: int, lang: str) -> dict[int, str]:
    """Each statement of the round in ``lang``: as written, or its newest translation."""
    with store.read() as s:
        out = {}
        for st in s.scalars(select(Statement).where(Statement.round_id == round_id)):
            out[st.id] = st.text
            if st.language != lang:
                tr = s.scalars(
                    select(Translation.text)
                    .where(
                        Translation.item == "statement.text",
                        Translation.item_id == st.id,
                        Translation.language == lang,
                    )
                    .order_by(Translation.id.desc())
                ).first()
                out[st.id] = tr or st.text
        return out


def _agree(result: dict[str, Any], statement: int) -> dict[int, float]:
    return {
        r["side"]: 100 * r["agree_share"]
        for r in result["sides"]
        if r["statement"] == statement and r["agree_share"] is not None
    }


def _check_quote(sentence: Any, sid: int, words: dict[int, str]) -> None:
    assert sentence.quoted == (sid,) and sid in sentence.statements
    assert f"“{words[sid].rstrip('.。')}”" in sentence.text


def _check_round(store: Store, round_id: int, s: Summary, lang: str, names: dict[int, str]) -> None:
    stored = latest_analysis(store, round_id=round_id)
    assert stored is not None
    r = stored.result
    words = _words(store, round_id, lang)
    pct = "%" if lang == "zh" else " %"

    # What both sides agree on: the count, then the analysis's top statement and its shares.
    agree = s.section("agree")
    cg = r["common_ground"]
    assert agree[0].figures[0].value == len(cg) and str(len(cg)) in agree[0].text
    top = cg[0]["statement"]
    _check_quote(agree[1], top, words)
    expected = _agree(r, top)
    assert {f.side: f.value for f in agree[1].figures} == {names[k]: v for k, v in expected.items()}
    for v in expected.values():
        assert f"{whole(v)}{pct}" in agree[1].text
    listed = [c["statement"] for c in cg[:8]]
    assert all(x.quoted[0] in listed for x in agree[1:])

    # Where they differ most: the first difference the results page lists.
    common = {c["statement"] for c in cg}
    divisive = [
        d["statement"]
        for d in r["divisive"]
        if d["score"] >= MIN_DIFFERENCE and d["statement"] not in common
    ]
    differ = s.section("differ")
    _check_quote(differ[0], divisive[0], words)
    assert {f.side: f.value for f in differ[0].figures} == {
        names[k]: v for k, v in _agree(r, divisive[0]).items()
    }

    # How well each side knows the other: each pair's gap and its largest misperception.
    perception = s.section("perception")
    gaps = [x for x in perception if x.figures and x.figures[0].key == "gap_points"]
    pairs = [p for p in r["perception"]["pairs"] if p["enough_data"]]
    assert len(gaps) == len(pairs) == 2
    for x, p in zip(gaps, pairs, strict=True):
        f = x.figures[0]
        assert (f.side, f.about) == (names[p["predicting_side"]], names[p["predicted_side"]])
        assert f.value == p["mae"]["value"]
        assert str(whole(f.value)) in x.text
        items = [
            m
            for m in r["perception"]["statements"]
            if m["predicting_side"] == p["predicting_side"]
            and m["predicted_side"] == p["predicted_side"]
            and m["enough_data"]
            and m["signed"]["value"] is not None
        ]
        worst = max(items, key=lambda m: abs(m["signed"]["value"]))
        largest = next(y for y in perception[perception.index(x) :] if y.quoted)
        _check_quote(largest, worst["statement"], words)
        assert [fig.value for fig in largest.figures] == [
            worst["predicted"]["value"],
            worst["actual"]["value"],
        ]

    # Compared with earlier rounds: the ritual index and each side's dialogue share.
    history = s.section("history")
    if r["ritual"].get("n_earlier"):
        assert history[0].figures[0].value == pytest.approx(100 * r["ritual"]["index"])
        assert f"{whole(100 * r['ritual']['index'])}{pct}" in history[0].text
    shares = {x.figures[0].side: x.figures[0].value for x in history[1:]}
    assert shares == {
        names[int(k)]: pytest.approx(100 * v["dialogue_share"])
        for k, v in r["move_profile"].items()
    }
    # Every quote is a statement of the round, in the reader's language.
    assert {i for x in s.sentences for i in x.quoted} <= set(words)
    assert not s.balance.flagged


def test_offline_summaries_of_the_demo_rounds_state_the_analysis(store: Store) -> None:
    did = create_demo(store).dialogue_id
    with store.read() as session:
        rounds = session.scalars(
            select(Round).where(Round.dialogue_id == did).order_by(Round.number)
        ).all()
        ids = [(r.id, r.number) for r in rounds]
        sides = session.scalars(select(Side).where(Side.dialogue_id == did)).all()
        english = {s.id: s.name for s in sides}
    zh_names = {"China": "中国", "United States": "美国"}
    for round_id, number in ids:
        en = round_summary(store, round_id=round_id, facilitator=True, lang="en")
        zh = round_summary(store, round_id=round_id, facilitator=True, lang="zh")
        _check_round(store, round_id, en, "en", english)
        _check_round(store, round_id, zh, "zh", {k: zh_names[v] for k, v in english.items()})
        # The two languages say the same things, sentence by sentence.
        assert [(x.section, x.statements, [f.value for f in x.figures]) for x in en.sentences] == [
            (x.section, x.statements, [f.value for f in x.figures]) for x in zh.sentences
        ]
        assert "participants from China" in en.sentences[1].text or (
            "participants from United States" in en.sentences[1].text
        )
        assert "参与者" in zh.sentences[1].text
        if number > 1:
            assert any(f"round {number - 1}" in x.text for x in en.section("perception"))
        else:
            assert en.section("history")[0].text.startswith("This is the first round")


def test_summary_of_an_unpublished_round_is_the_teams(store: Store) -> None:
    from alteram.errors import Forbidden

    did = create_demo(store).dialogue_id
    with store.read() as session:
        rnd = session.scalars(
            select(Round).where(Round.dialogue_id == did, Round.published_at.is_(None))
        ).first()
        assert rnd is not None
        rid = rnd.id
    with pytest.raises(Forbidden):
        summary_view(store, round_id=rid, facilitator=False, lang="en")
    view = summary_view(store, round_id=rid, facilitator=True, lang="en")
    assert view.state == "live" and view.summary.sentences


def test_a_round_without_votes_says_so_in_both_languages(store: Store) -> None:
    from tests.factories import make_world, statement

    w = make_world(store)
    statement(store, w, "a1", "We would like to know how you see this.")
    en = round_summary(store, round_id=w.round_id, facilitator=True, lang="en")
    zh = round_summary(store, round_id=w.round_id, facilitator=True, lang="zh")
    assert [s.text for s in en.section("agree")] == [
        "No statement is agreed by most participants on every side yet."
    ]
    assert [s.text for s in en.section("perception")] == [
        "Nobody has predicted the other side's votes yet."
    ]
    assert len(zh.sentences) == len(en.sentences)
    assert not any(s.quoted for s in en.sentences) and en.balance.balanced
