"""Participants' pages: join by a side's link, vote and predict, write, see results."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from alteram.errors import AlteramError, Conflict, InvalidInput, NotFound, RateLimited
from alteram.service import group_commit, participation
from alteram.service.accounts import end_session, start_session
from alteram.service.analyses import analyze_if_due
from alteram.service.dialogues import invite_info
from alteram.service.feedback import feedback_open
from alteram.service.home import participant_home
from alteram.service.moves import check_text
from alteram.web.auth import COOKIE, ParticipantDep, session_token
from alteram.web.deps import StoreDep
from alteram.web.forms import form_id, optional_int, own_translations, parse_id, read_form, text
from alteram.web.i18n import choose_language
from alteram.web.render import localized, page

router = APIRouter(include_in_schema=False)


def set_session_cookie(response: Response, token: str) -> None:
    response.set_cookie(COOKIE, token, httponly=True, samesite="lax", max_age=30 * 86400)


@router.get("/join/{token}", response_class=HTMLResponse)
def join_form(token: str, request: Request, store: StoreDep) -> HTMLResponse:
    return page(
        request,
        "join.html",
        {
            "invite": invite_info(store, token, lang=choose_language(request)),
            "token": token,
            "external_id": request.query_params.get("external_id", "")[:200],
        },
    )


@router.post("/join/{token}")
async def join(token: str, request: Request, store: StoreDep) -> Response:
    form = await read_form(request)
    admitted = participation.admit(
        store,
        token=token,
        display_name=text(form, "display_name"),
        anonymous=text(form, "anonymous") == "on",
        external_id=text(form, "external_id") or None,
    )
    response = RedirectResponse("/me", status_code=303)
    set_session_cookie(response, start_session(store, participant_id=admitted.participant_id))
    return response


@router.get("/me", response_class=HTMLResponse)
def me(request: Request, store: StoreDep, who: ParticipantDep) -> HTMLResponse:
    assert who.participant_id is not None
    home = participant_home(store, participant_id=who.participant_id, lang=choose_language(request))
    feedback = {
        r.id
        for r in home.rounds
        if r.state != "planned"
        and feedback_open(store, participant_id=who.participant_id, round_id=r.id)
    }
    return page(request, "me.html", {"home": home, "feedback": feedback})


@router.post("/signout")
async def sign_out(request: Request, store: StoreDep) -> Response:
    await read_form(request)
    token, _ = session_token(request)
    if token:
        end_session(store, token)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE)
    return response


def _vote_page(
    request: Request, store: StoreDep, pid: int, error: str | None = None, status: int = 200
) -> HTMLResponse:
    lang = choose_language(request)
    home = participant_home(store, participant_id=pid, lang=lang)
    queue = []
    if home.current is not None and home.current.state == "open":
        queue = participation.statements_to_vote(
            store, participant_id=pid, round_id=home.current.id, lang=lang
        )
    feedback = home.current is not None and feedback_open(
        store, participant_id=pid, round_id=home.current.id
    )
    return page(
        request,
        "vote.html",
        {
            "home": home,
            "feedback": feedback,
            "statement": queue[0] if queue else None,
            "remaining": len(queue),
            "error": error,
            "voted": request.query_params.get("voted"),
        },
        status_code=status,
    )


@router.get("/vote", response_class=HTMLResponse)
def vote_form(request: Request, store: StoreDep, who: ParticipantDep) -> HTMLResponse:
    assert who.participant_id is not None
    return _vote_page(request, store, who.participant_id)


@router.post("/vote")
async def vote(
    request: Request, store: StoreDep, who: ParticipantDep, background: BackgroundTasks
) -> Response:
    assert who.participant_id is not None
    form = await read_form(request)
    try:
        value = {"agree": 1, "disagree": -1, "pass": 0}.get(text(form, "vote"))
        if value is None:
            raise InvalidInput("choose agree, disagree or pass.")
        statement_id = form_id(form, "statement_id", "statement")
        predictions = {}
        for key in form:
            if key.startswith("predict_"):
                share = optional_int(form, key, low=0, high=100, label="your estimate")
                if share is not None:
                    side = parse_id(key.removeprefix("predict_"), field=key, what="side")
                    predictions[side] = share
        shown = optional_int(
            form, "shown_translation_id", low=1, high=2**62, label="the version you read"
        )
        recorded = group_commit.record_vote(
            store,
            participant_id=who.participant_id,
            statement_id=statement_id,
            value=value,
            predictions=predictions or None,
            shown_translation_id=shown,
        )
    except (InvalidInput, Conflict, NotFound, RateLimited) as exc:
        return _vote_page(
            request, store, who.participant_id, error=localized(request, exc), status=exc.status
        )
    background.add_task(analyze_if_due, store, round_id=recorded.round_id, vote_id=recorded.vote_id)
    return RedirectResponse("/vote?voted=1", status_code=303)


@router.get("/write", response_class=HTMLResponse)
def write_form(request: Request, store: StoreDep, who: ParticipantDep) -> HTMLResponse:
    assert who.participant_id is not None
    home = participant_home(store, participant_id=who.participant_id, lang=choose_language(request))
    return page(
        request,
        "write.html",
        {"home": home, "text": "", "assessment": None, "limit": participation.MAX_STATEMENT_LENGTH},
    )


@router.post("/write", response_class=HTMLResponse)
async def write(request: Request, store: StoreDep, who: ParticipantDep) -> Response:
    assert who.participant_id is not None
    form = await read_form(request)
    home = participant_home(store, participant_id=who.participant_id, lang=choose_language(request))
    body = text(form, "text")
    context = {
        "home": home,
        "text": body,
        "assessment": None,
        "error": None,
        "limit": participation.MAX_STATEMENT_LENGTH,
    }
    if text(form, "action") == "check":
        try:
            context["assessment"] = (
                check_text(store, participant_id=who.participant_id, text=body)
                if body.strip()
                else None
            )
        except AlteramError as exc:
            context["error"] = localized(request, exc)
            return page(request, "write.html", context, status_code=exc.status)
        return page(request, "write.html", context)
    if home.current is None:
        context["error"] = "There is no open round to write in."
        return page(request, "write.html", context, status_code=409)
    try:
        participation.add_statement(
            store,
            participant_id=who.participant_id,
            round_id=home.current.id,
            text=body,
            translations=own_translations(form),
        )
    except AlteramError as exc:
        context["error"] = localized(request, exc)
        return page(request, "write.html", context, status_code=exc.status)
    return RedirectResponse("/me?written=1", status_code=303)
