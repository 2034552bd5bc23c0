"""The results page: for everyone once published, for facilitators always."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from alteram.moves import PROFILE_BARS
from alteram.service.results import round_results
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
    r = round_results(
        store, round_id=round_id, facilitator=access.is_team, lang=choose_language(request)
    )
    return page(request, "results.html", {"r": r, "move_names": PROFILE_BARS})
