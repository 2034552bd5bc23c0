"""Facilitators' pages: sign in, create dialogues, links, rounds, moderation, publishing."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from alteram.errors import AlteramError, InvalidInput
from alteram.service import definitions, facilitation, rounds
from alteram.service.accounts import sign_in
from alteram.service.analyses import analyze_round
from alteram.service.dialogues import (
    create_dialogue,
    dialogue_summary,
    list_dialogues,
    replace_invite,
)
from alteram.service.jobs import list_jobs
from alteram.service.machine_translation import set_machine_translation
from alteram.service.participation import moderate_statement
from alteram.web.auth import FacilitatorDep
from alteram.web.deps import StoreDep
from alteram.web.forms import optional_int, read_form, text
from alteram.web.i18n import choose_language
from alteram.web.pages.participate import set_session_cookie
from alteram.web.render import localized, page

router = APIRouter(include_in_schema=False)


def invite_url(request: Request, token: str) -> str:
    return str(request.base_url).rstrip("/") + f"/join/{token}"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    return page(request, "login.html", {"error": None, "email": ""})


@router.post("/login")
async def login(request: Request, store: StoreDep) -> Response:
    form = await read_form(request)
    email = text(form, "email")
    try:
        token = sign_in(store, email=email, password=text(form, "password"))
    except AlteramError as exc:
        return page(
            request,
            "login.html",
            {"error": localized(request, exc), "email": email},
            status_code=exc.status,
        )
    response = RedirectResponse("/facilitate", status_code=303)
    set_session_cookie(response, token)
    return response


@router.get("/facilitate", response_class=HTMLResponse)
def dashboard(request: Request, store: StoreDep, who: FacilitatorDep) -> HTMLResponse:
    return page(
        request,
        "facilitate.html",
        {"dialogues": list_dialogues(store, lang=choose_language(request)), "error": None},
    )


@router.post("/facilitate/dialogues", response_class=HTMLResponse)
async def new_dialogue(request: Request, store: StoreDep, who: FacilitatorDep) -> Response:
    form = await read_form(request)
    sides = [s for s in text(form, "sides").splitlines() if s.strip()]
    try:
        created = create_dialogue(
            store, title=text(form, "title"), charter=text(form, "charter"), sides=sides
        )
    except InvalidInput as exc:
        return page(
            request,
            "facilitate.html",
            {
                "dialogues": list_dialogues(store, lang=choose_language(request)),
                "error": localized(request, exc),
            },
            status_code=422,
        )
    summary = dialogue_summary(store, created.dialogue_id, lang=choose_language(request))
    links = {str(s.name): invite_url(request, created.invite_tokens[s.id]) for s in summary.sides}
    return page(request, "manage.html", _manage(request, store, created.dialogue_id, links=links))


def _manage(request: Request, store: StoreDep, dialogue_id: int, **extra: Any) -> dict[str, Any]:
    d = dialogue_summary(store, dialogue_id, lang=choose_language(request))
    jobs = list_jobs(store, dialogue_id=dialogue_id, limit=20)
    context: dict[str, Any] = {"d": d, "links": {}, "error": None, "jobs": jobs}
    context.update(extra)
    return context


@router.get("/facilitate/dialogues/{dialogue_id}", response_class=HTMLResponse)
def manage(
    dialogue_id: int, request: Request, store: StoreDep, who: FacilitatorDep
) -> HTMLResponse:
    return page(request, "manage.html", _manage(request, store, dialogue_id))


@router.post("/facilitate/dialogues/{dialogue_id}/machine-translation")
async def machine_translation(
    dialogue_id: int, request: Request, store: StoreDep, who: FacilitatorDep
) -> Response:
    form = await read_form(request)
    try:
        set_machine_translation(
            store, dialogue_id=dialogue_id, enabled=text(form, "enabled") == "yes"
        )
    except AlteramError as exc:
        return page(
            request,
            "manage.html",
            _manage(request, store, dialogue_id, error=localized(request, exc)),
            status_code=exc.status,
        )
    return RedirectResponse(f"/facilitate/dialogues/{dialogue_id}#translation", status_code=303)


@router.post("/facilitate/sides/{side_id}/invite", response_class=HTMLResponse)
async def new_link(
    side_id: int, request: Request, store: StoreDep, who: FacilitatorDep
) -> HTMLResponse:
    form = await read_form(request)
    dialogue_id = optional_int(form, "dialogue_id", low=1, high=2**62, label="dialogue") or 0
    token = replace_invite(store, side_id=side_id)
    d = dialogue_summary(store, dialogue_id, lang=choose_language(request))
    name = next((str(s.name) for s in d.sides if s.id == side_id), str(side_id))
    return page(
        request,
        "manage.html",
        _manage(request, store, dialogue_id, links={name: invite_url(request, token)}),
    )


@router.post("/facilitate/dialogues/{dialogue_id}/rounds")
async def plan_round(
    dialogue_id: int, request: Request, store: StoreDep, who: FacilitatorDep
) -> Response:
    form = await read_form(request)
    try:
        rounds.create_round(
            store,
            dialogue_id=dialogue_id,
            title=text(form, "title"),
            topics=text(form, "topics").splitlines(),
            moderation=text(form, "moderation", "post"),
        )
    except InvalidInput as exc:
        return page(
            request,
            "manage.html",
            _manage(request, store, dialogue_id, error=localized(request, exc)),
            status_code=422,
        )
    return RedirectResponse(f"/facilitate/dialogues/{dialogue_id}", status_code=303)


@router.get("/facilitate/rounds/{round_id}", response_class=HTMLResponse)
def round_page(
    round_id: int, request: Request, store: StoreDep, who: FacilitatorDep
) -> HTMLResponse:
    return page(request, "round.html", _round(request, store, round_id))


def _round(request: Request, store: StoreDep, round_id: int, **extra: Any) -> dict[str, Any]:
    from alteram.service.analyses import latest_analysis

    lang = choose_language(request)
    context: dict[str, Any] = {
        "live": facilitation.round_live(store, round_id=round_id, lang=lang),
        "queue": facilitation.moderation_queue(store, round_id=round_id, lang=lang),
        "analysis": latest_analysis(store, round_id=round_id),
        "error": None,
    }
    context.update(extra)
    return context


@router.post("/facilitate/rounds/{round_id}/{action}")
async def round_action(
    round_id: int, action: str, request: Request, store: StoreDep, who: FacilitatorDep
) -> Response:
    form = await read_form(request)
    try:
        if action == "open":
            rounds.open_round(store, round_id=round_id)
        elif action == "close":
            rounds.close_round(store, round_id=round_id)
        elif action == "suspend":
            rounds.suspend_round(store, round_id=round_id, reason=text(form, "reason"))
        elif action == "resume":
            rounds.resume_round(store, round_id=round_id, reason=text(form, "reason"))
        elif action == "publish":
            facilitation.publish_round(store, round_id=round_id)
        elif action == "analyze":
            analyze_round(store, round_id=round_id)
        elif action == "concept":
            definitions.add_concept(store, round_id=round_id, name=text(form, "name"))
        elif action == "interval":
            every = optional_int(form, "every", low=1, high=1_000_000, label="interval")
            facilitation.set_analysis_interval(store, round_id=round_id, every=every or 100)
        else:
            raise InvalidInput(f"unknown round action {action!r}.")
    except AlteramError as exc:
        return page(
            request,
            "round.html",
            _round(request, store, round_id, error=localized(request, exc)),
            status_code=exc.status,
        )
    return RedirectResponse(f"/facilitate/rounds/{round_id}", status_code=303)


@router.post("/facilitate/statements/{statement_id}/moderate")
async def moderate(
    statement_id: int, request: Request, store: StoreDep, who: FacilitatorDep
) -> Response:
    form = await read_form(request)
    round_id = optional_int(form, "round_id", low=1, high=2**62, label="round") or 0
    try:
        moderate_statement(
            store,
            statement_id=statement_id,
            accept=text(form, "decision") == "accept",
            reason=text(form, "reason"),
        )
    except AlteramError as exc:
        return page(
            request,
            "round.html",
            _round(request, store, round_id, error=localized(request, exc)),
            status_code=exc.status,
        )
    return RedirectResponse(f"/facilitate/rounds/{round_id}#queue", status_code=303)
