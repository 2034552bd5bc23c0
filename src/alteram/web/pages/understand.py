"""The participant's page for understanding beyond votes: definitions and concerns."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from alteram.errors import AlteramError
from alteram.service import concerns, definitions
from alteram.service.home import participant_home
from alteram.web.auth import ParticipantDep
from alteram.web.deps import StoreDep
from alteram.web.forms import (
    form_id,
    own_concern_translations,
    own_translations,
    read_form,
    text,
)
from alteram.web.i18n import choose_language
from alteram.web.render import localized, page

router = APIRouter(include_in_schema=False)


def _page(
    request: Request, store: StoreDep, pid: int, error: str | None = None, status: int = 200
) -> HTMLResponse:
    lang = choose_language(request)
    home = participant_home(store, participant_id=pid, lang=lang)
    concept_views = (
        definitions.concepts_of_round(store, round_id=home.current.id, lang=lang)
        if home.current
        else []
    )
    return page(
        request,
        "understand.html",
        {
            "home": home,
            "concepts": concept_views,
            "error": error,
            "concerns": concerns.concerns_of_dialogue(
                store, dialogue_id=home.dialogue_id, lang=lang
            ),
        },
        status_code=status,
    )


@router.get("/understand", response_class=HTMLResponse)
def understand(request: Request, store: StoreDep, who: ParticipantDep) -> HTMLResponse:
    assert who.participant_id is not None
    return _page(request, store, who.participant_id)


@router.post("/understand/{action}")
async def act(action: str, request: Request, store: StoreDep, who: ParticipantDep) -> Response:
    pid = who.participant_id
    assert pid is not None
    form = await read_form(request)

    def num(name: str) -> int:
        return form_id(form, name, name.removesuffix("_id"))

    actions: dict[str, Callable[[], object]] = {
        "define": lambda: definitions.propose_definition(
            store,
            participant_id=pid,
            concept_id=num("concept_id"),
            text=text(form, "text"),
            translations=own_translations(form),
        ),
        "vote": lambda: definitions.vote_definition(
            store,
            participant_id=pid,
            definition_id=num("definition_id"),
            value={"agree": 1, "disagree": -1}.get(text(form, "vote"), 0),
        ),
        "restate": lambda: definitions.restate(
            store,
            participant_id=pid,
            concept_id=num("concept_id"),
            side_id=num("side_id"),
            text=text(form, "text"),
            translations=own_translations(form),
        ),
        "rate": lambda: definitions.rate_restatement(
            store,
            participant_id=pid,
            restatement_id=num("restatement_id"),
            rating=text(form, "rating"),
        ),
        "concern": lambda: concerns.raise_concern(
            store,
            participant_id=pid,
            title=text(form, "title"),
            why_it_matters=text(form, "why"),
            what_to_understand=text(form, "understand"),
            translations=own_concern_translations(form),
        ),
        "answer": lambda: concerns.answer_concern(
            store,
            participant_id=pid,
            concern_id=num("concern_id"),
            text=text(form, "text"),
            translations=own_translations(form),
        ),
        "understood": lambda: concerns.mark_understood(
            store,
            participant_id=pid,
            concern_id=num("concern_id"),
            understood=text(form, "understood", "yes") == "yes",
        ),
        "withdraw": lambda: concerns.withdraw_concern(
            store, participant_id=pid, concern_id=num("concern_id")
        ),
    }
    if action not in actions:
        return _page(request, store, pid, error=f"unknown action {action!r}.", status=404)
    try:
        actions[action]()
    except AlteramError as exc:
        return _page(request, store, pid, error=localized(request, exc), status=exc.status)
    return RedirectResponse("/understand?done=" + action, status_code=303)
