"""The results page: for everyone once published, for facilitators always."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from alteram.moves import PROFILE_BARS
from alteram.service.feedback import feedback_effect
from alteram.service.results import round_results
from alteram.service.summaries import summary_view
from alteram.web.access import ReaderRound
from alteram.web.deps import StoreDep
from alteram.web.i18n import choose_language
from alteram.web.params import IdPath
from alteram.web.render import page

router = APIRouter(include_in_schema=False)


@router.get("/rounds/{round_id}/results", response_class=HTMLResponse)
def results(
    round_id: IdPath, request: Request, store: StoreDep, access: ReaderRound
) -> HTMLResponse:
    lang = choose_language(request)
    r = round_results(store, round_id=round_id, facilitator=access.is_team, lang=lang)
    effect = feedback_effect(store, round_id=round_id)
    summary = summary_view(store, round_id=round_id, facilitator=access.is_team, lang=lang)
    context = {"r": r, "move_names": PROFILE_BARS, "effect": effect, "summary": summary}
    return page(request, "results.html", context)
