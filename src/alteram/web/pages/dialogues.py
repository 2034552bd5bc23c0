"""Pages of the dialogues: the list (home page) and one dialogue with its rounds."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from alteram.service.dialogues import dialogue_summary, list_dialogues
from alteram.web.access import actor_of
from alteram.web.deps import StoreDep
from alteram.web.i18n import choose_language
from alteram.web.params import IdPath
from alteram.web.render import page

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, store: StoreDep) -> HTMLResponse:
    return page(
        request,
        "dialogues.html",
        {
            "dialogues": list_dialogues(
                store, lang=choose_language(request), actor=actor_of(request)
            )
        },
    )


@router.get("/dialogues/{dialogue_id}", response_class=HTMLResponse)
def dialogue(dialogue_id: IdPath, request: Request, store: StoreDep) -> HTMLResponse:
    return page(
        request,
        "dialogue.html",
        {
            "d": dialogue_summary(
                store, dialogue_id, lang=choose_language(request), actor=actor_of(request)
            )
        },
    )
