"""The round report: one printable page per round (also written by ``alteram report``).

A published round's report is frozen (#12): at publication its body is rendered once in
every language of the interface and stored as a version (``report_versions``); the page
shows the latest version (``?version=N`` an earlier one) and later rounds change none of
them. Until publication the team sees a live draft.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import cache, partial
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from alteram.moves import PROFILE_BARS
from alteram.service.report import RoundReport, round_report
from alteram.service.report_versions import (
    FrozenReport,
    frozen_report,
    require_published,
    store_version,
)
from alteram.service.results import round_is_published
from alteram.service.summaries import SummaryView, summary_view
from alteram.store.database import Store
from alteram.web.access import ReaderRound
from alteram.web.charts import chart, opinion_map, pair_name
from alteram.web.deps import StoreDep
from alteram.web.i18n import LANGUAGES, choose_language, translations
from alteram.web.params import IdPath
from alteram.web.render import configure, page

router = APIRouter(include_in_schema=False)


def report_context(
    report: RoundReport, gettext: Callable[[str], str], summary: SummaryView | None = None
) -> dict[str, Any]:
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
    return {
        "rep": report,
        "r": report.results,
        "charts": charts,
        "move_names": PROFILE_BARS,
        "summary": summary,
    }


@cache
def _environment() -> Environment:
    from alteram.web.app import HERE

    env = Environment(
        loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(["html"])
    )
    configure(env)
    return env


def _context(lang: str) -> dict[str, Any]:
    tr = translations(lang)
    return {
        "lang": lang,
        "languages": LANGUAGES,
        "_": tr.gettext,
        "gettext": tr.gettext,
        "ngettext": tr.ngettext,
        "opinion_map": partial(opinion_map, gettext=tr.gettext),
        "who": None,
        "csrf": "",
        "request": None,
    }


def report_snapshot(store: Store, round_id: int) -> dict[str, Any]:
    """The report as readers see it now, rendered in every language of the interface."""
    pages: dict[str, Any] = {}
    analysis_version = None
    for lang in LANGUAGES:
        rep = round_report(store, round_id=round_id, facilitator=False, lang=lang)
        context = _context(lang)
        summary = summary_view(store, round_id=round_id, lang=lang)
        context.update(report_context(rep, translations(lang).gettext, summary))
        body = _environment().get_template("_report_body.html").render(context)
        pages[lang] = {"title": str(rep.results.title), "body": body}
        analysis_version = rep.results.analysis_version
    return {"analysis_version": analysis_version, "pages": pages}


def freeze_report(
    store: Store, round_id: int, *, account_id: int | None = None, only_if_none: bool = False
) -> int:
    """Store the round's report as it reads now as its next version; returns the number."""
    require_published(store, round_id=round_id)
    return store_version(
        store,
        round_id=round_id,
        snapshot=report_snapshot(store, round_id),
        account_id=account_id,
        only_if_none=only_if_none,
    )


def published_report(store: Store, round_id: int, version: int | None) -> FrozenReport | None:
    """The frozen report (version ``version`` or the latest); None for an unpublished round.

    A round published before versions were kept is frozen at its report's first view.
    """
    found = frozen_report(store, round_id=round_id, version=version)
    if found is None and round_is_published(store, round_id=round_id):
        freeze_report(store, round_id, only_if_none=True)
        found = frozen_report(store, round_id=round_id, version=version)
    return found


@router.get("/rounds/{round_id}/report", response_class=HTMLResponse)
def report(
    round_id: IdPath,
    request: Request,
    store: StoreDep,
    access: ReaderRound,
    version: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
) -> HTMLResponse:
    lang = choose_language(request)
    frozen = published_report(store, round_id, version)
    if frozen is not None:
        shown = frozen.page(lang)
        return page(
            request,
            "report.html",
            {
                "frozen": shown["body"],
                "title": shown["title"],
                "shown_version": next(v for v in frozen.versions if v.version == frozen.version),
                "versions": frozen.versions,
            },
        )
    rep = round_report(store, round_id=round_id, facilitator=access.is_team, lang=lang)
    summary = summary_view(store, round_id=round_id, facilitator=access.is_team, lang=lang)
    context = report_context(rep, translations(lang).gettext, summary)
    context.update({"title": str(rep.results.title), "shown_version": None, "versions": []})
    return page(request, "report.html", context)


def render_report(store: Store, round_id: int, *, lang: str = "en") -> str:
    """The report page as a standalone HTML document (styles inlined, no external assets).

    A published round's report is its latest frozen version; an unpublished one a draft.
    """
    from alteram.web.app import HERE

    css = (HERE / "static" / "style.css").read_text(encoding="utf-8")
    context = _context(lang)
    frozen = published_report(store, round_id, None)
    if frozen is not None:
        shown = frozen.page(lang)
        context.update(
            {
                "frozen": shown["body"],
                "title": shown["title"],
                "shown_version": next(v for v in frozen.versions if v.version == frozen.version),
                "versions": frozen.versions,
            }
        )
    else:
        rep = round_report(store, round_id=round_id, facilitator=True, lang=lang)
        summary = summary_view(store, round_id=round_id, facilitator=True, lang=lang)
        context.update(
            report_context(rep, translations(lang).gettext, replace(summary, review_url=None))
        )
        context.update({"title": str(rep.results.title), "shown_version": None, "versions": []})
    context.update({"inline_css": css, "standalone": True})
    return _environment().get_template("report.html").render(context)
