"""A language model's draft of a round's summary, from a real chat-completions server.

The double answers as a model would, from the JSON it is sent: drafts with good
citations, bad citations, invented numbers, invented quotes, garbage, and no answer at all.
Nothing it writes is published before the checks pass and the team has fixed what they flag.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from alteram.backends.doubles import ChatDouble
from alteram.config import get_settings
from alteram.errors import Conflict
from alteram.service.access import Actor
from alteram.service.accounts import create_facilitator
from alteram.service.demo import create_demo
from alteram.service.summaries import summary_view
from alteram.service.summary_drafts import (
    draft_job,
    drafts_of_round,
    edit_summary,
    publish_summary,
    request_draft,
    start_review,
)
from alteram.store.database import Store
from alteram.store.schema import Job, Round
from tests.factories import own


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _sent(messages: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(messages[-1]["content"])
    return data


def good(messages: list[dict[str, Any]]) -> str:
    """A faithful draft: every sentence cites, quotes exactly and uses the given numbers."""
    data = _sent(messages)
    s = data["statements"]
    a, b = s[0], s[-1]
    share = next(f for f in data["figures"] if f["what"] == "agree_percent")
    return (
        f"Participants on both sides agree with “{a['text'].rstrip('.')}” [{a['id']}].\n\n"
        f"Of the readers of it, {share['value']} % on one side agree [{share['statement']}].\n\n"
        f"Each side misjudged the other on “{b['text'].rstrip('.')}”. [{b['id']}]"
    )


def bad(messages: list[dict[str, Any]]) -> str:
    data = _sent(messages)
    a = data["statements"][0]
    return (
        f"Both sides agree on the main point [{a['id']}]. "
        "Nobody disputes this. "  # no citation
        "The other side said it first [S999999]. "  # a statement it was not given
        f"Exactly 1234 participants changed their minds [{a['id']}]. "  # invented number
        f"They said “we will never talk to them again” [{a['id']}]."  # invented quote
    )


def test_model_draft_checked_edited_and_published(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    did = create_demo(store).dialogue_id
    account = create_facilitator(store, email="f@example.org", password="long enough pw 1")
    own(store, did, account)
    team = Actor(account_id=account)
    with store.read() as session:
        rid = session.scalars(
            select(Round.id).where(Round.dialogue_id == did, Round.number == 2)
        ).one()
    with pytest.raises(Conflict):  # no model configured: the offline summary still is
        request_draft(store, actor=team, round_id=rid, lang="en")
    with ChatDouble() as llm:
        monkeypatch.setenv("ALTERAM_LLM_URL", llm.url)
        monkeypatch.setenv("ALTERAM_LLM_MODEL", "test-model")
        monkeypatch.setenv("ALTERAM_BACKEND_TIMEOUT", "0.5")
        monkeypatch.setenv("ALTERAM_BACKEND_RETRIES", "0")
        get_settings.cache_clear()

        # A good draft: runs as a job (queued, never on the request path), nothing flagged.
        llm.set_responder(good)
        first = request_draft(store, actor=team, round_id=rid, lang="en")
        with store.read() as session:
            job = session.scalars(select(Job).where(Job.kind == "summary")).one()
            payload = dict(job.payload)
        assert payload == {"summary_id": first}
        assert not llm.main_requests()  # nothing sent before a worker runs it
        draft_job(store, payload)
        sent = llm.main_requests()[-1].json["messages"]
        assert "[S12]" in sent[0]["content"] and "neutral" in sent[0]["content"]
        view = next(d for d in drafts_of_round(store, actor=team, round_id=rid) if d.id == first)
        assert view.state == "draft" and view.model == "test-model"
        assert view.summary is not None and not view.summary.flags and view.publishable
        assert all(s.statements for s in view.summary.sentences)

        # A bad draft: every kind of fault is flagged, and it cannot be published.
        llm.set_responder(bad)
        second = request_draft(store, actor=team, round_id=rid, lang="en")
        draft_job(store, {"summary_id": second})
        view = next(d for d in drafts_of_round(store, actor=team, round_id=rid) if d.id == second)
        assert view.summary is not None
        flags = [s.flags for s in view.summary.sentences]
        assert flags[0] == ()
        assert flags[1] == ("no_citation",)
        assert flags[2] == ("unknown_citation:S999999",)
        assert flags[3] == ("invented_number:1234",)
        assert flags[4] == ("invented_quote",)
        with pytest.raises(Conflict):
            publish_summary(store, actor=team, round_id=rid, summary_id=second)

        # The team fixes it: drops two sentences, cites one, corrects the number.
        texts = [s.text for s in view.summary.sentences]
        cited = view.summary.sentences[0].statements[0]
        fixed = edit_summary(
            store,
            actor=team,
            round_id=rid,
            summary_id=second,
            texts=[f"{texts[0]} [S{cited}]", f"{texts[1]} [S{cited}]", "", "", ""],
        )
        assert not fixed.flags and len(fixed.sentences) == 2
        publish_summary(store, actor=team, round_id=rid, summary_id=second)
        with pytest.raises(Conflict):  # published: frozen
            edit_summary(store, actor=team, round_id=rid, summary_id=second, texts=["x", "y"])
        shown = summary_view(store, round_id=rid, facilitator=False, lang="en")
        assert shown.state == "published" and shown.edited and shown.summary_id == second
        assert [s.text for s in shown.summary.sentences] == [s.text for s in fixed.sentences]
        kept = next(d for d in drafts_of_round(store, actor=team, round_id=rid) if d.id == second)
        assert [who for who, _ in kept.edited_by] == ["f@example.org"]

        # Garbage and a model that never answers: the draft fails, nothing is shown.
        for mode, garbage in (("garbage", "html"), ("garbage", "empty"), ("hang", None)):
            llm.set_mode(mode, garbage=garbage)  # type: ignore[arg-type]
            broken = request_draft(store, actor=team, round_id=rid, lang="zh")
            draft_job(store, {"summary_id": broken})
            view = next(
                d for d in drafts_of_round(store, actor=team, round_id=rid) if d.id == broken
            )
            assert view.state == "failed" and view.summary is None and view.error
        # A refusal is words, but none cites anything: all flagged, not publishable.
        llm.set_mode("garbage", garbage="refusal")
        refused = request_draft(store, actor=team, round_id=rid, lang="en")
        draft_job(store, {"summary_id": refused})
        view = next(d for d in drafts_of_round(store, actor=team, round_id=rid) if d.id == refused)
        assert view.summary is not None and not view.publishable
        assert all("no_citation" in s.flags for s in view.summary.sentences)
        llm.set_mode("ok")

    # The offline summary can be reviewed and published in its turn; it supersedes the other.
    offline = start_review(store, actor=team, round_id=rid, lang="en")
    publish_summary(store, actor=team, round_id=rid, summary_id=offline)
    shown = summary_view(store, round_id=rid, facilitator=False, lang="en")
    assert shown.summary_id == offline and shown.summary.source == "offline"
    states = {d.id: d.state for d in drafts_of_round(store, actor=team, round_id=rid)}
    assert states[second] == "superseded" and states[offline] == "published"
