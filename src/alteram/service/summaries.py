"""A round's summary in words, read from its stored analysis (see :mod:`alteram.summaries`).

:func:`round_facts` gathers the plain facts of a round (the analysis's common ground,
differences, perception gaps, ritual index and move profile, the round's definitions,
restatements and concerns, and the previous round's figures), in the reader's language;
:func:`round_summary` writes the offline summary from them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select

from alteram.errors import N_, Forbidden
from alteram.service.analyses import latest_analysis
from alteram.service.lookup import get
from alteram.service.report import RoundReport, round_report
from alteram.service.results import RoundResults, StatementView, can_see_results
from alteram.store.database import Store
from alteram.store.schema import Round, RoundSummary
from alteram.summaries import (
    ConceptFacts,
    ConcernFacts,
    GapFacts,
    Misjudged,
    RoundFacts,
    SideFacts,
    StatementFacts,
    Summary,
    write_summary,
)
from alteram.summaries.words import language_for


def _statement(view: StatementView, ids: dict[str, int]) -> StatementFacts:
    return StatementFacts(
        view.id,
        str(view.text),
        ids.get(view.side) if view.side else None,
        {ids[s.side]: s.percent for s in view.shares if s.side in ids},
        view.ranking_score,
        {ids[s.side]: (s.agree, s.votes) for s in view.shares if s.side in ids},
    )


def _dialogue_share(r: RoundResults | None, ids: dict[str, int]) -> dict[int, float | None]:
    if r is None or not r.move_profile:
        return {}
    out: dict[int, float | None] = {}
    for name, prof in r.move_profile.items():
        v = prof.get("dialogue_share")
        if name in ids:
            out[ids[name]] = None if v is None else 100 * float(v)
    return out


def _ritual(r: RoundResults | None) -> float | None:
    if r is None or not r.ritual or r.ritual.get("index") is None:
        return None
    return 100 * float(r.ritual["index"])


def facts_of_report(rep: RoundReport, *, common_ground_count: int | None = None) -> RoundFacts:
    """The summary's facts from a round's report (sides are numbered by position)."""
    r = rep.results
    ids = {name: n for n, name in enumerate(r.sides)}
    sides = [SideFacts(n, name) for name, n in ids.items()]
    before = {(g.predicting, g.predicted): g.before for g in rep.gap_changes}
    gaps = []
    for p in r.perception:
        if p.predicting not in ids or p.predicted not in ids:
            continue
        m = p.largest[0] if p.largest else None
        gaps.append(
            GapFacts(
                ids[p.predicting],
                ids[p.predicted],
                p.enough_data,
                p.gap,
                before.get((p.predicting, p.predicted)) if rep.previous else None,
                Misjudged(_statement(m.statement, ids), m.predicted, m.actual) if m else None,
            )
        )
    concepts = ConceptFacts(
        len(rep.concepts),
        {
            n: sum(1 for c in rep.concepts for s in c.sides if s.side == name and s.definition)
            for name, n in ids.items()
        },
        {
            n: sum(
                1 for c in rep.concepts for s in c.sides for x in s.restatements if x.side == name
            )
            for name, n in ids.items()
        },
        {
            n: sum(
                x.ratings
                for c in rep.concepts
                for s in c.sides
                for x in s.restatements
                if x.side == name
            )
            for name, n in ids.items()
        },
        {
            n: sum(
                x.fair
                for c in rep.concepts
                for s in c.sides
                for x in s.restatements
                if x.side == name
            )
            for name, n in ids.items()
        },
    )
    live = [c for c in rep.concerns if c.state != "withdrawn" and c.hidden_reason is None]
    concerns = ConcernFacts(
        {n: sum(1 for c in live if c.side == name) for name, n in ids.items()},
        sum(1 for c in live if c.state == "understood"),
        sum(1 for c in live if c.state == "open"),
    )
    ritual = r.ritual or {}
    first = ritual.get("index") == 0.0 and not ritual.get("n_earlier") and rep.previous is None
    return RoundFacts(
        number=r.number,
        sides=sides,
        n_votes=r.n_votes,
        n_participants=r.n_participants,
        common_ground=[_statement(s, ids) for s in r.common_ground],
        divisive=[_statement(s, ids) for s in r.divisive],
        gaps=gaps,
        concepts=concepts,
        concerns=concerns,
        ritual=_ritual(r),
        ritual_first_round=first,
        dialogue_share=_dialogue_share(r, ids),
        previous_number=rep.previous.number if rep.previous else None,
        previous_ritual=_ritual(rep.previous),
        previous_dialogue_share=_dialogue_share(rep.previous, ids),
        common_ground_count=common_ground_count,
    )


def round_facts(
    store: Store, *, round_id: int, facilitator: bool = False, lang: str | None = None
) -> RoundFacts:
    """The facts a summary of the round is written from, in the reader's language."""
    rep = round_report(store, round_id=round_id, facilitator=facilitator, lang=lang)
    stored = latest_analysis(store, round_id=round_id)
    n = len(stored.result.get("common_ground", [])) if stored else None
    return facts_of_report(rep, common_ground_count=n)


def round_summary(
    store: Store, *, round_id: int, facilitator: bool = False, lang: str | None = None
) -> Summary:
    """The offline summary of a round in the reader's language (published rounds for all)."""
    facts = round_facts(store, round_id=round_id, facilitator=facilitator, lang=lang)
    return write_summary(facts, lang or "en")


@dataclass(frozen=True)
class SummaryView:
    """The summary a reader sees: the published one, else the offline one written now."""

    summary: Summary
    state: str  # published, or live (written from the analysis for this request)
    published_at: datetime | None = None
    edited: bool = False
    summary_id: int | None = None
    review_url: str | None = None  # for the team: where to review and publish

    def to_dict(self) -> dict[str, object]:
        out = self.summary.to_dict()
        out.update(
            {
                "state": self.state,
                "published_at": self.published_at.isoformat() if self.published_at else None,
                "edited": self.edited,
                "summary_id": self.summary_id,
            }
        )
        return out


def published_summary(store: Store, *, round_id: int, lang: str | None) -> SummaryView | None:
    """The summary published with the round in the reader's language, if there is one.

    Each language's summary is reviewed and published on its own; a reader whose language
    has none yet sees the offline summary in it.
    """
    wanted = language_for(lang)
    with store.read() as session:
        row = session.scalars(
            select(RoundSummary)
            .where(
                RoundSummary.round_id == round_id,
                RoundSummary.state == "published",
                RoundSummary.language == wanted,
            )
            .order_by(RoundSummary.id.desc())
            .limit(1)
        ).first()
        if row is None:
            return None
        return SummaryView(
            Summary.from_dict(row.sentences),
            "published",
            row.published_at,
            bool((row.edits or {}).get("by")),
            row.id,
        )


def summary_view(
    store: Store, *, round_id: int, facilitator: bool = False, lang: str | None = None
) -> SummaryView:
    """What the results page, the report and the API show of a round's summary.

    Whoever may see the round's results sees it: the published text once there is one,
    else the offline summary written from the latest analysis.
    """
    with store.read() as session:
        rnd = get(session, Round, round_id)
        if not can_see_results(rnd, facilitator=facilitator):
            raise Forbidden(
                N_("the results of round %(number)s are not published yet."),
                params={"number": rnd.number},
                hint=N_("They appear here once the facilitator publishes them."),
            )
    review = f"/rounds/{round_id}/summary" if facilitator else None
    published = published_summary(store, round_id=round_id, lang=lang)
    if published is not None:
        return replace(published, review_url=review)
    summary = round_summary(store, round_id=round_id, facilitator=facilitator, lang=lang)
    return SummaryView(summary, "live", review_url=review)
