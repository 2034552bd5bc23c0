"""Translation pages: the round's queue for translators, and the side's faithfulness checks."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from alteram.errors import N_, AlteramError, InvalidInput
from alteram.service import translations
from alteram.service.home import participant_home
from alteram.service.lookup import get
from alteram.service.translation_checks import texts_to_check
from alteram.service.translation_queue import translation_queue
from alteram.store.schema import Round
from alteram.web.api.translations import may_translate_round, team_of_text
from alteram.web.auth import ParticipantDep, principal
from alteram.web.deps import StoreDep
from alteram.web.forms import form_id, read_form, text
from alteram.web.i18n import choose_language
from alteram.web.params import IdPath
from alteram.web.render import localized, page

router = APIRouter(include_in_schema=False)

# What each kind of text is called on the queue page.
KINDS = {
    "dialogue.title": N_("the dialogue's title"),
    "dialogue.charter": N_("the charter"),
    "side.name": N_("a side's name"),
    "round.title": N_("the round's title"),
    "topic.prompt": N_("a topic"),
    "concept.name": N_("a concept"),
    "event.reason": N_("a reason for a suspension or resumption"),
    "statement.text": N_("a statement"),
    "definition.text": N_("a definition"),
    "restatement.text": N_("a restatement"),
    "concern.title": N_("a concern"),
    "concern.why": N_("why a concern matters"),
    "concern.understand": N_("what a side would like to understand"),
    "answer.text": N_("an answer to a concern"),
}


def _queue_page(
    request: Request, store: StoreDep, round_id: int, error: str | None = None, status: int = 200
) -> HTMLResponse:
    include_done = bool(request.query_params.get("all"))
    with store.read() as session:
        number = get(session, Round, round_id).number
    context: dict[str, Any] = {
        "queue": translation_queue(store, round_id=round_id, include_done=include_done),
        "round_id": round_id,
        "number": number,
        "include_done": include_done,
        "kinds": KINDS,
        "error": error,
    }
    return page(request, "translate.html", context, status_code=status)


@router.get("/rounds/{round_id}/translate", response_class=HTMLResponse)
def queue(round_id: IdPath, request: Request, store: StoreDep) -> HTMLResponse:
    may_translate_round(request, store, round_id)
    return _queue_page(request, store, round_id)


@router.post("/rounds/{round_id}/translate")
async def save(round_id: IdPath, request: Request, store: StoreDep) -> Response:
    may_translate_round(request, store, round_id)
    form = await read_form(request)
    who = principal(request)
    assert who is not None
    try:
        item_id = form_id(form, "item_id", "text")
    except AlteramError as exc:
        return _queue_page(request, store, round_id, localized(request, exc), exc.status)
    if who.is_facilitator:
        team_of_text(request, store, text(form, "item"), item_id)
    try:
        translations.translate(
            store,
            item=text(form, "item"),
            item_id=item_id,
            language=text(form, "language"),
            text=text(form, "text"),
            participant_id=None if who.is_facilitator else who.participant_id,
            account_id=who.account_id if who.is_facilitator else None,
        )
    except AlteramError as exc:
        return _queue_page(request, store, round_id, localized(request, exc), exc.status)
    return RedirectResponse(f"/rounds/{round_id}/translate?done=1", status_code=303)


def _check_page(
    request: Request, store: StoreDep, pid: int, error: str | None = None, status: int = 200
) -> HTMLResponse:
    home = participant_home(store, participant_id=pid, lang=choose_language(request))
    rnd = home.current or (home.rounds[-1] if home.rounds else None)
    checks = texts_to_check(store, participant_id=pid, round_id=rnd.id) if rnd else []
    return page(
        request, "check.html", {"home": home, "checks": checks, "error": error}, status_code=status
    )


@router.get("/translations/check", response_class=HTMLResponse)
def check(request: Request, store: StoreDep, who: ParticipantDep) -> HTMLResponse:
    assert who.participant_id is not None
    return _check_page(request, store, who.participant_id)


@router.post("/translations/{translation_id}/review")
async def review(
    translation_id: IdPath, request: Request, store: StoreDep, who: ParticipantDep
) -> Response:
    assert who.participant_id is not None
    form = await read_form(request)
    try:
        answer = text(form, "faithful")
        if answer not in ("yes", "no"):
            raise InvalidInput(N_("say whether the translation says what was meant: yes or no."))
        translations.review_translation(
            store,
            translation_id=translation_id,
            participant_id=who.participant_id,
            faithful=answer == "yes",
            better_wording=text(form, "better_wording") or None,
        )
    except AlteramError as exc:
        return _check_page(request, store, who.participant_id, localized(request, exc), exc.status)
    return RedirectResponse("/translations/check?done=1", status_code=303)
