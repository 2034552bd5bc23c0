"""A participant's own view of a round: their predictions checked, their place, common ground."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from alteram.service.feedback import my_feedback
from alteram.web.auth import ParticipantDep
from alteram.web.deps import StoreDep
from alteram.web.i18n import choose_language
from alteram.web.params import IdPath
from alteram.web.render import page

router = APIRouter(include_in_schema=False)


@router.get("/rounds/{round_id}/me", response_class=HTMLResponse)
def my_view(
    round_id: IdPath, request: Request, store: StoreDep, who: ParticipantDep
) -> HTMLResponse:
    assert who.participant_id is not None
    mine = my_feedback(
        store, participant_id=who.participant_id, round_id=round_id, lang=choose_language(request)
    )
    return page(request, "feedback.html", {"f": mine})
