"""The dialogue's timeline: every round over the years and the trends across rounds."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from alteram.service.timeline import Timeline, dialogue_timeline
from alteram.web.access import actor_of
from alteram.web.charts import line_chart
from alteram.web.deps import StoreDep
from alteram.web.i18n import choose_language
from alteram.web.render import page

router = APIRouter(include_in_schema=False)


def timeline_charts(t: Timeline) -> list[str]:
    """The trend charts of a timeline, as SVG strings."""
    labels = [
        f"{r.round.number}" + (f" ({r.round.starts_on:%Y})" if r.round.starts_on else "")
        for r in t.rounds
    ]
    sides = [str(s.name) for s in t.dialogue.sides]

    def pct(v: float | None) -> float | None:
        return None if v is None else 100 * v

    charts = [
        line_chart(
            "Perception gap (points; lower is better)",
            labels,
            {p: [r.gaps.get(p) for r in t.rounds] for p in t.pairs},
        ),
        line_chart(
            "Participants who voted, per side",
            labels,
            {s: [float(r.voters.get(s, 0)) for r in t.rounds] for s in sides},
        ),
        line_chart(
            "Common-ground statements",
            labels,
            {"both sides agree": [float(r.common_ground) for r in t.rounds]},
        ),
        line_chart(
            "Dialogue share of moves (%)",
            labels,
            {s: [pct(r.dialogue_share.get(s)) for r in t.rounds] for s in sides},
            unit="%",
            y_max=100,
        ),
    ]
    if any(r.fair_share for r in t.rounds):
        charts.append(
            line_chart(
                "Restatements rated fair by the other side (%)",
                labels,
                {s: [pct(r.fair_share.get(s)) for r in t.rounds] for s in sides},
                unit="%",
                y_max=100,
            )
        )
    charts.append(
        line_chart(
            "Concerns",
            labels,
            {
                "open": [float(r.concerns_open) for r in t.rounds],
                "understood by both": [float(r.concerns_understood) for r in t.rounds],
            },
        )
    )
    if any(r.ritual_index is not None for r in t.rounds):
        charts.append(
            line_chart(
                "Ritual index: statements repeating earlier rounds (%)",
                labels,
                {"repeats": [pct(r.ritual_index) for r in t.rounds]},
                unit="%",
                y_max=100,
            )
        )
    return charts


@router.get("/dialogues/{dialogue_id}/timeline", response_class=HTMLResponse)
def timeline(dialogue_id: int, request: Request, store: StoreDep) -> HTMLResponse:
    t = dialogue_timeline(
        store, dialogue_id=dialogue_id, lang=choose_language(request), actor=actor_of(request)
    )
    return page(request, "timeline.html", {"t": t, "charts": timeline_charts(t)})
