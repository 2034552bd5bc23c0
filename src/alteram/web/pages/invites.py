"""The team's page of a dialogue's invite links: open, observer and personal links.

Every form that changes something answers with a redirect. New links are shown once: their
secrets are derived from a seed (:mod:`alteram.service.invites`), and only the seed goes to
the facilitator's browser, in a signed cookie bound to their session that lasts
:data:`SHOWN_FOR` seconds and is sent only to this page. Reloading the page shows the same
links again (nothing is made twice); after that, or after "I have saved them", they are gone
for good: the store keeps hashes only.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import time
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from alteram.errors import N_, AlteramError, InvalidInput, NotFound
from alteram.service import invite_lists, invites
from alteram.service.access import Access
from alteram.service.dialogues import dialogue_summary
from alteram.service.invites import Issued
from alteram.web.access import TeamDialogue, actor_of, team
from alteram.web.api.invites import link_url
from alteram.web.api.people import csv_response
from alteram.web.auth import FacilitatorDep, session_token
from alteram.web.deps import StoreDep
from alteram.web.forms import optional_int, read_form, text
from alteram.web.i18n import choose_language, translations
from alteram.web.pages.facilitate import confirm_page
from alteram.web.render import localized, page

router = APIRouter(include_in_schema=False)
TeamInvite = Annotated[Access, team("invite")]
# What each kind of link is called, and the words of a link's state.
KINDS = {
    "open": N_("a side's open link"),
    "personal": N_("personal link"),
    "observer": N_("observer link"),
}
WORDS = (
    N_("active"),
    N_("paused"),
    N_("expired"),
    N_("full"),
    N_("used"),
    N_("revoked"),
)
COOKIE = "alteram_links"
SHOWN_FOR = 15 * 60


def _path(dialogue_id: int) -> str:
    return f"/facilitate/dialogues/{dialogue_id}/invites"


def _mac(request: Request, payload: str) -> str:
    key = request.app.state.settings.secret_key.encode()
    token, _ = session_token(request)
    message = f"links:{token or ''}:{payload}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _remember(request: Request, response: Response, dialogue_id: int, issued: Issued) -> None:
    payload = f"{dialogue_id}.{int(time.time()) + SHOWN_FOR}.{issued.seed}"
    response.set_cookie(
        COOKIE,
        f"{payload}.{_mac(request, payload)}",
        max_age=SHOWN_FOR,
        path=_path(dialogue_id),
        httponly=True,
        samesite="strict",
    )


def _seed(request: Request, dialogue_id: int) -> str | None:
    """The seed of the links made last on this page, while they may still be shown."""
    value = request.cookies.get(COOKIE, "")
    payload, _, mac = value.rpartition(".")
    parts = payload.split(".", 2)
    if len(parts) != 3 or not hmac.compare_digest(_mac(request, payload), mac):
        return None
    dialogue, until, seed = parts
    if dialogue != str(dialogue_id) or not until.isdigit() or int(until) < time.time():
        return None
    return seed


def _context(request: Request, store: StoreDep, dialogue_id: int, **extra: Any) -> dict[str, Any]:
    actor = actor_of(request)
    seed = _seed(request, dialogue_id)
    new = []
    if seed:
        new = invites.issued_links(store, actor=actor, dialogue_id=dialogue_id, seed=seed)
    context: dict[str, Any] = {
        "d": dialogue_summary(store, dialogue_id, lang=choose_language(request), actor=actor),
        "invites": invites.list_invites(store, actor=actor, dialogue_id=dialogue_id),
        "new_links": [(link, link_url(request, link.token)) for link in new],
        "error": None,
        "path": _path(dialogue_id),
        "kinds": KINDS,
    }
    context.update(extra)
    return context


@router.get("/facilitate/dialogues/{dialogue_id}/invites", response_class=HTMLResponse)
def invites_page(
    dialogue_id: int, request: Request, store: StoreDep, who: FacilitatorDep, access: TeamDialogue
) -> HTMLResponse:
    return page(request, "invites.html", _context(request, store, dialogue_id))


def _refused(request: Request, store: StoreDep, dialogue_id: int, exc: AlteramError) -> Response:
    context = _context(request, store, dialogue_id, error=localized(request, exc))
    return page(request, "invites.html", context, status_code=exc.status)


def _expiry(raw: str) -> datetime | None:
    """A form's expiry: ``YYYY-MM-DDTHH:MM`` (a datetime-local field), taken as UTC."""
    value = raw.strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            N_("the expiry %(value)r is not a date and time such as 2027-01-31T18:00."),
            params={"value": value},
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _side(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) < 19 else None


@router.post("/facilitate/dialogues/{dialogue_id}/invites")
async def new_link(
    dialogue_id: int, request: Request, store: StoreDep, who: FacilitatorDep, access: TeamDialogue
) -> Response:
    form = await read_form(request)
    try:
        issued = invites.create_link(
            store,
            actor=actor_of(request),
            dialogue_id=dialogue_id,
            kind=text(form, "kind", "open"),
            side_id=_side(text(form, "side_id")),
            cap=optional_int(form, "cap", low=1, high=invites.MAX_CAP, label="limit"),
            expires_at=_expiry(text(form, "expires_at")),
        )
    except AlteramError as exc:
        return _refused(request, store, dialogue_id, exc)
    response = RedirectResponse(_path(dialogue_id) + "#new-links", status_code=303)
    _remember(request, response, dialogue_id, issued)
    return response


@router.post("/facilitate/dialogues/{dialogue_id}/invites/personal")
async def upload_list(
    dialogue_id: int, request: Request, store: StoreDep, who: FacilitatorDep, access: TeamDialogue
) -> Response:
    form = await read_form(request)
    upload = form.get("list")
    try:
        if upload is None or isinstance(upload, str):
            raise InvalidInput(N_("choose the CSV file of the list to upload."))
        data = await upload.read()
        issued = invite_lists.import_personal_invites(
            store,
            actor=actor_of(request),
            dialogue_id=dialogue_id,
            data=data,
            default_side_id=_side(text(form, "side_id")),
        )
    except AlteramError as exc:
        return _refused(request, store, dialogue_id, exc)
    response = RedirectResponse(_path(dialogue_id) + "#new-links", status_code=303)
    _remember(request, response, dialogue_id, issued)
    return response


@router.get("/facilitate/dialogues/{dialogue_id}/invites/links.csv")
def new_links_csv(
    dialogue_id: int, request: Request, store: StoreDep, who: FacilitatorDep, access: TeamDialogue
) -> Response:
    seed = _seed(request, dialogue_id)
    links = (
        invites.issued_links(store, actor=actor_of(request), dialogue_id=dialogue_id, seed=seed)
        if seed
        else []
    )
    if not links:
        raise NotFound(
            N_("the new links are no longer shown: only their hashes are stored."),
            hint=N_("Revoke the links that were not handed out and make new ones."),
        )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["external_id", "link", "kind", "side_id"])
    for link in links:
        writer.writerow(
            [link.external_id or "", link_url(request, link.token), link.kind, link.side_id or ""]
        )
    return csv_response(out.getvalue(), f"links-{dialogue_id}.csv")


@router.post("/facilitate/dialogues/{dialogue_id}/invites/forget")
async def forget_links(
    dialogue_id: int, request: Request, who: FacilitatorDep, access: TeamDialogue
) -> Response:
    await read_form(request)
    response = RedirectResponse(_path(dialogue_id), status_code=303)
    response.delete_cookie(COOKIE, path=_path(dialogue_id))
    return response


@router.post("/facilitate/invites/{invite_id}/{action}")
async def change_link(
    invite_id: int,
    action: str,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamInvite,
) -> Response:
    form = await read_form(request)
    actor = actor_of(request)
    try:
        if action in ("pause", "resume"):
            invites.pause(store, actor=actor, invite_id=invite_id, paused=action == "pause")
        elif action == "limits":
            invites.set_limits(
                store,
                actor=actor,
                invite_id=invite_id,
                cap=optional_int(form, "cap", low=1, high=invites.MAX_CAP, label="limit"),
                expires_at=_expiry(text(form, "expires_at")),
            )
        elif action == "revoke" and text(form, "confirm") == "yes":
            invites.revoke(store, actor=actor, invite_id=invite_id)
        elif action == "revoke":
            return RedirectResponse(f"/facilitate/invites/{invite_id}/revoke", status_code=303)
        else:
            raise NotFound(N_("there is no such thing to do with a link."))
    except AlteramError as exc:
        return _refused(request, store, access.dialogue_id, exc)
    return RedirectResponse(f"{_path(access.dialogue_id)}#invite-{invite_id}", status_code=303)


@router.get("/facilitate/invites/{invite_id}/revoke", response_class=HTMLResponse)
def confirm_revoke(
    invite_id: int, request: Request, store: StoreDep, who: FacilitatorDep, access: TeamInvite
) -> HTMLResponse:
    found = invites.list_invites(store, actor=actor_of(request), dialogue_id=access.dialogue_id)
    invite = next(v for v in found if v.id == invite_id)
    _ = translations(choose_language(request)).gettext
    if invite.kind == "personal":
        what = _("Revoke the personal link of %(who)s.") % {"who": invite.external_id}
    else:
        what = _("Revoke this link: %(kind)s, %(side)s, %(joined)d joined.") % {
            "kind": _(KINDS[invite.kind]),
            "side": invite.side_name or _("no side"),
            "joined": invite.joined,
        }
    return confirm_page(
        request,
        title=_("Revoke the link?"),
        what=what,
        final=_(
            "the link stops working for good, for everyone who has it. The people who already "
            "joined by it stay members (remove them on the people page if you must)."
        ),
        button=_("Yes, revoke the link"),
        action=f"/facilitate/invites/{invite_id}/revoke",
        back=f"{_path(access.dialogue_id)}#invite-{invite_id}",
    )
