"""Facilitators' pages: sign in, their dialogues, and one dialogue run by its team.

Every form that changes something answers with a redirect (post, redirect, get), so a reload
repeats nothing; what cannot be undone (revoking a link, deleting a dialogue) asks first.
New invite links are shown once, after the redirect, from a short-lived signed cookie.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from alteram.errors import N_, AlteramError
from alteram.service import dialogue_life, rounds, team
from alteram.service.accounts import sign_in
from alteram.service.dialogues import create_dialogue, dialogue_summary, list_dialogues
from alteram.service.editing import edit_text
from alteram.service.jobs import list_jobs
from alteram.service.machine_translation import set_machine_translation
from alteram.web import flash
from alteram.web.access import TeamDialogue, TeamSide, actor_of
from alteram.web.auth import FacilitatorDep
from alteram.web.deps import StoreDep
from alteram.web.forms import optional_int, read_form, text
from alteram.web.i18n import choose_language, translations
from alteram.web.invites import invite_url
from alteram.web.pages.participate import set_session_cookie
from alteram.web.params import IdPath
from alteram.web.render import localized, page

router = APIRouter(include_in_schema=False)


def confirm_page(
    request: Request,
    *,
    title: str,
    what: str,
    final: str,
    button: str,
    action: str,
    back: str,
    fields: dict[str, str] | None = None,
    reason: str | None = None,
) -> HTMLResponse:
    """Ask before doing what cannot be undone: the same form again, with ``confirm=yes``."""
    return page(
        request,
        "confirm.html",
        {
            "confirm": {
                "title": title,
                "what": what,
                "final": final,
                "button": button,
                "action": action,
                "back": back,
                "fields": fields or {},
                "reason": reason,
            }
        },
    )


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


def _dashboard(request: Request, store: StoreDep, error: str | None = None) -> dict[str, Any]:
    actor, lang = actor_of(request), choose_language(request)
    return {
        "dialogues": list_dialogues(store, lang=lang, actor=actor, team_only=True),
        "archived": list_dialogues(store, lang=lang, actor=actor, team_only=True, archived=True),
        "error": error,
    }


@router.get("/facilitate", response_class=HTMLResponse)
def dashboard(request: Request, store: StoreDep, who: FacilitatorDep) -> HTMLResponse:
    return page(request, "facilitate.html", _dashboard(request, store))


@router.post("/facilitate/dialogues")
async def new_dialogue(request: Request, store: StoreDep, who: FacilitatorDep) -> Response:
    form = await read_form(request)
    sides = [s for s in text(form, "sides").splitlines() if s.strip()]
    languages = [c for c in text(form, "languages", "en zh").replace(",", " ").split() if c]
    try:
        created = create_dialogue(
            store,
            title=text(form, "title"),
            charter=text(form, "charter"),
            sides=sides,
            languages=languages,
            owner_account_id=who.account_id,
            visibility=text(form, "visibility", "private"),
        )
    except AlteramError as exc:
        context = _dashboard(request, store, localized(request, exc))
        return page(request, "facilitate.html", context, status_code=exc.status)
    summary = dialogue_summary(store, created.dialogue_id, actor=actor_of(request))
    links = {str(s.name): invite_url(request, created.invite_tokens[s.id]) for s in summary.sides}
    response = RedirectResponse(f"/facilitate/dialogues/{created.dialogue_id}", status_code=303)
    flash.put(request, response, {"links": links})
    return response


def _manage(request: Request, store: StoreDep, dialogue_id: int, **extra: Any) -> dict[str, Any]:
    actor = actor_of(request)
    d = dialogue_summary(store, dialogue_id, lang=choose_language(request), actor=actor)
    context: dict[str, Any] = {
        "d": d,
        "links": {},
        "error": None,
        "jobs": list_jobs(store, dialogue_id=dialogue_id, limit=20),
        "team": team.team(store, actor=actor, dialogue_id=dialogue_id),
        "deletable": dialogue_life.is_empty(store, dialogue_id=dialogue_id) or d.archived,
    }
    context.update(extra)
    return context


@router.get("/facilitate/dialogues/{dialogue_id}", response_class=HTMLResponse)
def manage(
    dialogue_id: IdPath,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamDialogue,
) -> HTMLResponse:
    held = flash.read(request)
    response = page(request, "manage.html", _manage(request, store, dialogue_id, **held))
    if held:
        flash.forget(response)
    return response


def _done(dialogue_id: int, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/facilitate/dialogues/{dialogue_id}{anchor}", status_code=303)


def _failed(request: Request, store: StoreDep, dialogue_id: int, exc: AlteramError) -> Response:
    context = _manage(request, store, dialogue_id, error=localized(request, exc))
    return page(request, "manage.html", context, status_code=exc.status)


@router.post("/facilitate/dialogues/{dialogue_id}/{action}")
async def dialogue_action(
    dialogue_id: IdPath,
    action: str,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamDialogue,
) -> Response:
    form = await read_form(request)
    actor = actor_of(request)
    _ = translations(choose_language(request)).gettext
    try:
        if action == "rounds":
            rounds.create_round(
                store,
                dialogue_id=dialogue_id,
                title=text(form, "title"),
                topics=text(form, "topics").splitlines(),
                moderation=text(form, "moderation", "post"),
            )
            return _done(dialogue_id, "#rounds-h")
        if action == "machine-translation":
            set_machine_translation(
                store, dialogue_id=dialogue_id, enabled=text(form, "enabled") == "yes"
            )
            return _done(dialogue_id, "#translation")
        if action == "visibility":
            dialogue_life.set_visibility(
                store, actor=actor, dialogue_id=dialogue_id, visibility=text(form, "visibility")
            )
            return _done(dialogue_id, "#settings")
        if action == "max-groups":
            dialogue_life.set_max_groups(
                store,
                actor=actor,
                dialogue_id=dialogue_id,
                max_groups=optional_int(
                    form,
                    "max_groups",
                    low=1,
                    high=dialogue_life.MAX_GROUPS_ALLOWED,
                    label="most opinion groups",
                )
                or 5,
            )
            return _done(dialogue_id, "#settings")
        if action == "edit":
            for item in ("dialogue.title", "dialogue.charter"):
                field = item.removeprefix("dialogue.")
                if field in form:
                    edit_text(
                        store, actor=actor, item=item, item_id=dialogue_id, text=text(form, field)
                    )
            return _done(dialogue_id, "#settings")
        if action == "team":
            team.add_facilitator(
                store,
                actor=actor,
                dialogue_id=dialogue_id,
                email=text(form, "email"),
                role=text(form, "role", "cofacilitator"),
            )
            return _done(dialogue_id, "#team")
        if action == "team-remove":
            account = optional_int(form, "account_id", low=1, high=2**62, label="account") or 0
            team.remove_facilitator(store, actor=actor, dialogue_id=dialogue_id, account_id=account)
            return _done(dialogue_id, "#team")
        if action in ("archive", "unarchive"):
            dialogue_life.set_archived(
                store, actor=actor, dialogue_id=dialogue_id, archived=action == "archive"
            )
            return _done(dialogue_id)
        if action == "delete":
            if text(form, "confirm") != "yes":
                return confirm_page(
                    request,
                    title=_("Delete the dialogue"),
                    what=_("The dialogue, its rounds, statements and everything in it go."),
                    final=_("a deleted dialogue cannot be brought back."),
                    button=_("Delete it"),
                    action=f"/facilitate/dialogues/{dialogue_id}/delete",
                    back=f"/facilitate/dialogues/{dialogue_id}",
                )
            dialogue_life.delete_dialogue(store, actor=actor, dialogue_id=dialogue_id)
            return RedirectResponse("/facilitate", status_code=303)
        raise_unknown(action)
    except AlteramError as exc:
        return _failed(request, store, dialogue_id, exc)
    return _done(dialogue_id)


def raise_unknown(action: str) -> None:
    from alteram.errors import NotFound

    raise NotFound(
        N_("there is no action %(action)r here."),
        params={"action": action},
        hint=N_("Use the buttons of the page."),
    )


@router.post("/facilitate/sides/{side_id}/invite")
async def new_link(
    side_id: IdPath, request: Request, store: StoreDep, who: FacilitatorDep, access: TeamSide
) -> Response:
    form = await read_form(request)
    _ = translations(choose_language(request)).gettext
    dialogue_id = access.dialogue_id
    if text(form, "confirm") != "yes":
        return confirm_page(
            request,
            title=_("Revoke the link and make a new one"),
            what=_("The side's current invite link stops working; a new link is made."),
            final=_("people who have the old link can no longer join with it."),
            button=_("Revoke it"),
            action=f"/facilitate/sides/{side_id}/invite",
            back=f"/facilitate/dialogues/{dialogue_id}",
        )
    from alteram.service.dialogues import replace_invite

    try:
        token = replace_invite(store, side_id=side_id)
    except AlteramError as exc:
        return _failed(request, store, dialogue_id, exc)
    d = dialogue_summary(store, dialogue_id, lang=choose_language(request), actor=actor_of(request))
    name = next((str(s.name) for s in d.sides if s.id == side_id), str(side_id))
    response = _done(dialogue_id, "#links-h")
    flash.put(request, response, {"links": {name: invite_url(request, token)}})
    return response
