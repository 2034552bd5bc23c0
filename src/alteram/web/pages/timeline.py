"""The dialogue's timeline: every round over the years and the trends across rounds."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from alteram.service.timeline import Timeline, dialogue_timeline
from alteram.web.access import actor_of
from alteram.web.charts import Chart, Gettext, chart, pair_name
from alteram.web.deps import StoreDep
from alteram.web.i18n import choose_language, translations
from alteram.web.params import IdPath
from alteram.web.render import page

router = APIRouter(include_in_schema=False)


def timeline_charts(t: Timeline, gettext: Gettext) -> list[Chart]:
    """The trend charts of a timeline, every word from ``gettext``."""
    _ = gettext
    rounds = [
        (r.round.number, r.round.starts_on.year if r.round.starts_on else None) for r in t.rounds
    ]
    sides = [str(s.name) for s in t.dialogue.sides]

    def pct(v: float | None) -> float | None:
        return None if v is None else 100 * v

    charts = [
        chart(
            _("Perception gap (points; lower is better)"),
            rounds,
            {pair_name(p, t.pair_sides, _): [r.gaps.get(p) for r in t.rounds] for p in t.pairs},
            kind="value",
            gettext=_,
            key="trend-gap",
        ),
        chart(
            _("Participants who voted, per side"),
            rounds,
            {s: [float(r.voters.get(s, 0)) for r in t.rounds] for s in sides},
            kind="count",
            gettext=_,
            key="trend-voters",
        ),
        chart(
            _("Common-ground statements"),
            rounds,
            {_("both sides agree"): [float(r.common_ground) for r in t.rounds]},
            kind="count",
            gettext=_,
            key="trend-common",
        ),
        chart(
            _("Dialogue share of moves (%)"),
            rounds,
            {s: [pct(r.dialogue_share.get(s)) for r in t.rounds] for s in sides},
            kind="percent",
            gettext=_,
            key="trend-moves",
        ),
    ]
    if any(r.fair_share for r in t.rounds):
        charts.append(
            chart(
                _("Restatements rated fair by the other side (%)"),
                rounds,
                {s: [pct(r.fair_share.get(s)) for r in t.rounds] for s in sides},
                kind="percent",
                gettext=_,
                key="trend-fair",
            )
        )
    charts.append(
        chart(
            _("Concerns"),
            rounds,
            {
                _("still open"): [float(r.concerns_open) for r in t.rounds],
                _("understood by both"): [float(r.concerns_understood) for r in t.rounds],
            },
            kind="count",
            gettext=_,
            key="trend-concerns",
        )
    )
    if any(r.ritual_index is not None for r in t.rounds):
        charts.append(
            chart(
                _("Ritual index: statements repeating earlier rounds (%)"),
                rounds,
                {_("repeats"): [pct(r.ritual_index) for r in t.rounds]},
                kind="percent",
                gettext=_,
                key="trend-ritual",
            )
        )
    return charts


@router.get("/dialogues/{dialogue_id}/timeline", response_class=HTMLResponse)
def timeline(dialogue_id: IdPath, request: Request, store: StoreDep) -> HTMLResponse:
    t = dialogue_timeline(
        store, dialogue_id=dialogue_id, lang=choose_language(request), actor=actor_of(request)
    )
    gettext = translations(choose_language(request)).gettext
    return page(request, "timeline.html", {"t": t, "charts": timeline_charts(t, gettext)})
