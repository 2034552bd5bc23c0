"""Reviewing and publishing a round's summary, and a language model's draft of one.

The team starts a review from the offline summary (:func:`start_review`) or asks the
configured language model for a draft (:func:`request_draft`): a ``summary`` job, run by a
worker, never on the request path. The model's answer is checked sentence by sentence
(:func:`alteram.summaries.draft.check_draft`) before anyone sees it. The team edits the
sentences (each edit checked again, and who made it kept) and publishes: a summary with
flagged sentences or an unexplained imbalance between the sides cannot be published, and a
published summary is frozen (a later one supersedes it, it is never changed).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from alteram.backends import BackendError
from alteram.backends.chat import chat_client_from_settings
from alteram.config import get_settings
from alteram.errors import N_, Conflict, InvalidInput, NotFound
from alteram.service.access import Actor, access_to, check_writable
from alteram.service.jobs import enqueue, register
from alteram.service.lookup import get
from alteram.service.summaries import round_facts
from alteram.store.database import Store
from alteram.store.schema import Account, RoundSummary, Statement, Translation, utcnow
from alteram.summaries import RoundFacts, Summary, write_summary
from alteram.summaries.draft import (
    NO_CITATION,
    Evidence,
    check_draft,
    check_sentence,
    draft_messages,
    evidence,
)
from alteram.summaries.model import Sentence
from alteram.summaries.words import language_for

KIND = "summary"
MAX_TOKENS = 1500
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DraftView:
    """One summary of a round as the team reviews it."""

    id: int
    language: str
    origin: str
    state: str
    summary: Summary | None
    model: str | None
    error: str | None
    created_at: datetime
    published_at: datetime | None
    edited_by: list[tuple[str, str]]  # (email, when)

    @property
    def publishable(self) -> bool:
        s = self.summary
        return self.state == "draft" and s is not None and not s.flags and not s.balance.flagged


def _evidence(store: Store, round_id: int, lang: str) -> tuple[RoundFacts, Summary, Evidence]:
    facts = round_facts(store, round_id=round_id, facilitator=True, lang=lang)
    offline = write_summary(facts, lang)
    ids = sorted(facts.statements())
    texts: dict[int, list[str]] = {i: [] for i in ids}
    with store.read() as session:
        for i, t in session.execute(
            select(Statement.id, Statement.text).where(Statement.id.in_(ids))
        ):
            texts[i].append(t)
        for i, t in session.execute(
            select(Translation.item_id, Translation.text).where(
                Translation.item == "statement.text", Translation.item_id.in_(ids)
            )
        ):
            texts[i].append(t)
    return facts, offline, evidence(facts, offline, texts)


def _team(store: Store, actor: Actor, round_id: int) -> int:
    with store.read() as session:
        access = access_to(session, actor, "round", round_id, need="team")
        check_writable(access)
        return access.dialogue_id


def start_review(store: Store, *, actor: Actor, round_id: int, lang: str) -> int:
    """A draft to review, written offline from the analysis; returns its id."""
    _team(store, actor, round_id)
    _, offline, _ = _evidence(store, round_id, language_for(lang))
    with store.write() as session:
        row = RoundSummary(
            round_id=round_id,
            language=offline.language,
            origin="offline",
            state="draft",
            sentences=offline.to_dict(),
            edits={"by": []},
            requested_by=actor.account_id,
        )
        session.add(row)
        session.flush()
        return row.id


def request_draft(store: Store, *, actor: Actor, round_id: int, lang: str) -> int:
    """Ask the language model for a draft (a background job); returns the draft's id."""
    if chat_client_from_settings(get_settings()) is None:
        raise Conflict(
            N_("this server has no language model configured."),
            hint=N_(
                "Set ALTERAM_LLM_URL and ALTERAM_LLM_MODEL and restart alteram; the summary "
                "written from the analysis needs no model."
            ),
        )
    dialogue_id = _team(store, actor, round_id)
    with store.write() as session:
        row = RoundSummary(
            round_id=round_id,
            language=language_for(lang),
            origin="model",
            state="pending",
            sentences={},
            edits={"by": []},
            requested_by=actor.account_id,
        )
        session.add(row)
        session.flush()
        enqueue(
            session,
            kind=KIND,
            payload={"summary_id": row.id},
            dialogue_id=dialogue_id,
            key=f"summary:{row.id}",
            max_attempts=1,
        )
        return row.id


def _failed(store: Store, summary_id: int, error: str) -> None:
    with store.write() as session:
        row = get(session, RoundSummary, summary_id)
        row.state, row.error = "failed", error[:2000]


@register(KIND)
def draft_job(store: Store, payload: dict[str, Any]) -> None:
    """Ask the model for the draft ``payload["summary_id"]`` and check it (idempotent).

    A model that is down, slow or answers nothing usable leaves the draft ``failed`` with
    the reason; nothing it wrote is shown before the checks ran.
    """
    summary_id = payload.get("summary_id")
    if not isinstance(summary_id, int) or isinstance(summary_id, bool):
        raise InvalidInput(f"a summary job names its summary as an integer, got {summary_id!r}.")
    with store.read() as session:
        row = get(session, RoundSummary, summary_id)
        if row.state != "pending":
            return
        round_id, lang = row.round_id, row.language
    client = chat_client_from_settings(get_settings())
    if client is None:
        _failed(store, summary_id, "no language model is configured")
        return
    facts, offline, ev = _evidence(store, round_id, lang)
    try:
        with client:
            reply = client.complete(draft_messages(facts, offline, lang), max_tokens=MAX_TOKENS)
    except BackendError as exc:
        log.warning("summary draft %s: %s", summary_id, exc)
        _failed(store, summary_id, str(exc))
        return
    draft = check_draft(reply.content, ev, lang)
    if not draft.sentences:
        _failed(store, summary_id, "the model's answer has no sentences")
        return
    with store.write() as session:
        row = get(session, RoundSummary, summary_id)
        if row.state != "pending":
            return
        row.state, row.sentences, row.model = "draft", draft.to_dict(), reply.model


def _row(session: Any, actor: Actor, round_id: int, summary_id: int) -> RoundSummary:
    access = access_to(session, actor, "round", round_id, need="team")
    check_writable(access)
    row = session.get(RoundSummary, summary_id)
    if row is None or row.round_id != round_id:
        raise NotFound(
            N_("summary %(id)s not found."),
            params={"id": summary_id},
            hint=N_("Open the round's summaries to see the drafts there are."),
        )
    assert isinstance(row, RoundSummary)
    return row


def _frozen() -> Conflict:
    return Conflict(
        N_("only a draft can be changed or published: this summary is not a draft."),
        hint=N_("Start a new review from the analysis to write another summary."),
    )


def edit_summary(
    store: Store, *, actor: Actor, round_id: int, summary_id: int, texts: Sequence[str]
) -> Summary:
    """Replace the draft's sentences with ``texts`` (one per sentence; empty: removed).

    A sentence cites statements as "[S12]"; each edited sentence is checked again. A
    model's sentence must still cite one; an offline sentence may rest on figures alone.
    """
    with store.read() as session:
        row = _row(session, actor, round_id, summary_id)
        if row.state != "draft":
            raise _frozen()
        old = Summary.from_dict(row.sentences)
        origin, lang = row.origin, row.language
    if len(texts) != len(old.sentences):
        raise InvalidInput(
            N_("the summary has %(n)s sentences; %(got)s were sent."),
            params={"n": len(old.sentences), "got": len(texts)},
            hint=N_("Reload the page and edit again."),
        )
    _, _, ev = _evidence(store, round_id, lang)
    out = []
    for s, t in zip(old.sentences, texts, strict=True):
        t = t.strip()
        if not t:
            continue
        checked = check_sentence(s.section, t, ev)
        flags = checked.flags
        if origin == "offline":
            flags = tuple(f for f in flags if f != NO_CITATION)
        out.append(
            Sentence(s.section, checked.text, checked.statements, checked.quoted, s.figures, flags)
        )
    from alteram.summaries.balance import check_balance

    summary = Summary(
        old.language,
        out,
        check_balance(out, ev.side_of, ev.sides, ev.available),
        "edited",
        old.titles,
    )
    with store.write() as session:
        row = _row(session, actor, round_id, summary_id)
        if row.state != "draft":
            raise _frozen()
        row.sentences = summary.to_dict()
        edits = list((row.edits or {}).get("by", []))
        edits.append({"account_id": actor.account_id, "at": utcnow().isoformat()})
        row.edits = {"by": edits}
    return summary


def publish_summary(store: Store, *, actor: Actor, round_id: int, summary_id: int) -> None:
    """Publish a checked draft with the round: frozen from now on, shown to every reader."""
    with store.write() as session:
        row = _row(session, actor, round_id, summary_id)
        if row.state != "draft":
            raise _frozen()
        summary = Summary.from_dict(row.sentences)
        if summary.flags:
            raise Conflict(
                N_("%(n)s flagged sentences must be fixed or removed before publishing."),
                params={"n": sum(1 for s in summary.sentences if s.flags)},
                hint=N_(
                    "Edit the flagged sentences: cite a statement, use the analysis's "
                    "numbers, quote statements word for word."
                ),
            )
        if summary.balance.flagged:
            raise Conflict(
                N_("this summary quotes one side much more often than the other."),
                hint=N_("Quote the other side's statements too, or start from the analysis."),
            )
        for old in session.scalars(
            select(RoundSummary).where(
                RoundSummary.round_id == round_id,
                RoundSummary.language == row.language,
                RoundSummary.state == "published",
            )
        ):
            old.state = "superseded"
        row.state, row.published_at, row.published_by = "published", utcnow(), actor.account_id


def drafts_of_round(store: Store, *, actor: Actor, round_id: int) -> list[DraftView]:
    """Every summary of the round, newest first, for the team."""
    with store.read() as session:
        access_to(session, actor, "round", round_id, need="team")
        emails = dict(session.execute(select(Account.id, Account.email)).all())
        rows = session.scalars(
            select(RoundSummary)
            .where(RoundSummary.round_id == round_id)
            .order_by(RoundSummary.id.desc())
        ).all()
        return [
            DraftView(
                r.id,
                r.language,
                r.origin,
                r.state,
                Summary.from_dict(r.sentences) if r.sentences else None,
                r.model,
                r.error,
                r.created_at,
                r.published_at,
                [
                    (emails.get(e.get("account_id"), "?"), str(e.get("at", "")))
                    for e in (r.edits or {}).get("by", [])
                ],
            )
            for r in rows
        ]
