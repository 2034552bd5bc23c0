"""The team's page for a round's summary: review, edit, ask the model, publish."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from alteram.backends.chat import chat_client_from_settings
from alteram.config import get_settings
from alteram.errors import AlteramError
from alteram.service import summary_drafts as drafts
from alteram.service.summaries import summary_view
from alteram.web.access import TeamRound, actor_of
from alteram.web.auth import FacilitatorDep
from alteram.web.deps import StoreDep
from alteram.web.forms import read_form, text
from alteram.web.i18n import choose_language
from alteram.web.pages.facilitate import raise_unknown
from alteram.web.params import IdPath
from alteram.web.render import localized, page

router = APIRouter(include_in_schema=False)


def _context(request: Request, store: StoreDep, round_id: int, **extra: Any) -> dict[str, Any]:
    lang = choose_language(request)
    context: dict[str, Any] = {
        "round_id": round_id,
        "summary": summary_view(store, round_id=round_id, facilitator=True, lang=lang),
        "drafts": drafts.drafts_of_round(store, actor=actor_of(request), round_id=round_id),
        "model": chat_client_from_settings(get_settings()) is not None,
        "error": None,
    }
    context.update(extra)
    return context


@router.get("/rounds/{round_id}/summary", response_class=HTMLResponse)
def review(
    round_id: IdPath, request: Request, store: StoreDep, who: FacilitatorDep, access: TeamRound
) -> HTMLResponse:
    return page(request, "summary_review.html", _context(request, store, round_id))


@router.post("/rounds/{round_id}/summary/{action}")
async def act(
    round_id: IdPath,
    action: str,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamRound,
) -> Response:
    form = await read_form(request)
    actor = actor_of(request)
    lang = text(form, "language") or choose_language(request)
    try:
        if action == "offline":
            drafts.start_review(store, actor=actor, round_id=round_id, lang=lang)
        elif action == "model":
            drafts.request_draft(store, actor=actor, round_id=round_id, lang=lang)
        elif action in ("edit", "publish"):
            raw = text(form, "summary_id")
            summary_id = int(raw) if raw.isdigit() and len(raw) < 19 else 0
            if action == "edit":
                n = len(form.getlist("sentence"))
                texts = [str(form.getlist("sentence")[i]) for i in range(n)]
                drafts.edit_summary(
                    store, actor=actor, round_id=round_id, summary_id=summary_id, texts=texts
                )
            else:
                drafts.publish_summary(store, actor=actor, round_id=round_id, summary_id=summary_id)
        else:
            raise_unknown(action)
    except AlteramError as exc:
        context = _context(request, store, round_id, error=localized(request, exc))
        return page(request, "summary_review.html", context, status_code=exc.status)
    return RedirectResponse(f"/rounds/{round_id}/summary", status_code=303)
