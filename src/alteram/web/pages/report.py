"""The round report: one printable page per round (also written by ``alteram report``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from alteram.moves import PROFILE_BARS
from alteram.service.report import RoundReport, round_report
from alteram.store.database import Store
from alteram.web.access import ReaderRound
from alteram.web.charts import chart, opinion_map, pair_name
from alteram.web.deps import StoreDep
from alteram.web.i18n import LANGUAGES, choose_language, translations
from alteram.web.params import IdPath
from alteram.web.render import configure, page

router = APIRouter(include_in_schema=False)


def report_context(report: RoundReport, gettext: Callable[[str], str]) -> dict[str, Any]:
    charts = []
    if report.history and len(report.history_labels) > 1:
        charts.append(
            chart(
                gettext("Perception gap over the rounds (points; lower is better)"),
                [(int(n), None) for n in report.history_labels],
                {pair_name(p, report.pair_sides, gettext): v for p, v in report.history.items()},
                kind="value",
                gettext=gettext,
                key="report-gap",
            )
        )
    return {"rep": report, "r": report.results, "charts": charts, "move_names": PROFILE_BARS}


@router.get("/rounds/{round_id}/report", response_class=HTMLResponse)
def report(
    round_id: IdPath, request: Request, store: StoreDep, access: ReaderRound
) -> HTMLResponse:
    lang = choose_language(request)
    rep = round_report(store, round_id=round_id, facilitator=access.is_team, lang=lang)
    return page(request, "report.html", report_context(rep, translations(lang).gettext))


def render_report(store: Store, round_id: int, *, lang: str = "en") -> str:
    """The report page as a standalone HTML document (styles inlined, no external assets)."""
    from alteram.web.app import HERE

    env = Environment(
        loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(["html"])
    )
    configure(env)
    tr = translations(lang)
    css = (HERE / "static" / "style.css").read_text(encoding="utf-8")
    rep = round_report(store, round_id=round_id, facilitator=True, lang=lang)
    context = report_context(rep, tr.gettext)
    context.update(
        {
            "lang": lang,
            "languages": LANGUAGES,
            "_": tr.gettext,
            "gettext": tr.gettext,
            "ngettext": tr.ngettext,
            "opinion_map": partial(opinion_map, gettext=tr.gettext),
            "who": None,
            "csrf": "",
            "inline_css": css,
            "standalone": True,
            "request": None,
        }
    )
    return env.get_template("report.html").render(context)
