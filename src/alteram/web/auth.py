"""Who is asking: sessions from a cookie (pages) or a bearer token (API), CSRF, roles."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import Depends, Request

from alteram.errors import Forbidden
from alteram.service.accounts import Principal, check_csrf, csrf_token, resolve
from alteram.service.people_state import removed_error
from alteram.service.tokens import hash_token, new_token
from alteram.store.database import Store

COOKIE = "alteram_session"
PRE_COOKIE = "alteram_pre"
CSRF_HEADER = "x-csrf-token"


class NotSignedIn(Forbidden):
    """No valid session: the page sends people to sign in or to their invite link."""

    code = "not_signed_in"
    status = 401


def session_token(request: Request) -> tuple[str | None, bool]:
    """The session token and whether it came from a cookie (which needs CSRF checks)."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip(), False
    return request.cookies.get(COOKIE), True


def principal(request: Request) -> Principal | None:
    """The signed-in participant or facilitator, if any (cached on the request)."""
    if not hasattr(request.state, "principal"):
        store: Store = request.app.state.store
        token, _ = session_token(request)
        request.state.principal = resolve(store, token)
    result: Principal | None = request.state.principal
    return result


def _csrf_basis(request: Request) -> tuple[str | None, bool]:
    """What a CSRF token is derived from: the session, else the pre-session cookie."""
    token, from_cookie = session_token(request)
    if token and (principal(request) is not None or not from_cookie):
        return token, from_cookie
    pre = request.cookies.get(PRE_COOKIE) or getattr(request.state, "new_pre_token", None)
    if pre is None:
        pre = new_token()
        request.state.new_pre_token = pre  # set as a cookie by the page renderer
    return "pre:" + pre, True


def csrf_for(request: Request) -> str:
    """The CSRF token this request's forms carry."""
    basis, _ = _csrf_basis(request)
    return csrf_token(request.app.state.settings.secret_key, basis or "")


def verify_csrf(request: Request, presented: str | None) -> None:
    """Refuse a cookie-authenticated write without its CSRF token (bearer tokens need none)."""
    token, from_cookie = session_token(request)
    if token and not from_cookie:
        return
    if not token and not request.cookies.get(PRE_COOKIE):
        raise Forbidden(
            "this form has expired or did not come from alteram.",
            hint="Reload the page and send it again (cookies must be allowed).",
        )
    basis, _ = _csrf_basis(request)
    check_csrf(
        request.app.state.settings.secret_key,
        basis or "",
        presented or request.headers.get(CSRF_HEADER),
    )


def require_participant(request: Request) -> Principal:
    who = principal(request)
    if who is None or who.kind != "participant":
        raise NotSignedIn(
            "you are not signed in to a dialogue.",
            hint="Open your side's invite link to join; it keeps you signed in on this device.",
        )
    if who.removed_at is not None:  # removed by the team: told so on every page and call
        raise removed_error(who.removed_at.strftime("%Y-%m-%d %H:%M UTC"))
    return who


def require_facilitator(request: Request) -> Principal:
    who = principal(request)
    if who is None or not who.is_facilitator:
        raise NotSignedIn(
            "this needs a facilitator's session.", hint="Sign in at /login as a facilitator."
        )
    return who


VOTER_CACHE_SECONDS = 60.0
VOTER_CACHE_SIZE = 100_000
_voters: dict[tuple[int, str], tuple[Principal, float]] = {}


def require_voter(request: Request) -> Principal:
    """:func:`require_participant` for the vote route, remembered for a minute per token.

    The cache only saves the lookup: the vote's own transaction checks the session again
    (:func:`alteram.service.participation.check_session`) and the voter's row (removed,
    role), so a session ended or a participant removed on any worker is refused at once.
    """
    token, from_cookie = session_token(request)
    if not token or from_cookie:  # cookies: the page's own path (CSRF, pre-session)
        return require_participant(request)
    store: Store = request.app.state.store
    hit = cached_voter(store, token)
    if hit is not None:
        request.state.principal = hit
        return hit
    who = require_participant(request)
    if len(_voters) >= VOTER_CACHE_SIZE:
        _voters.clear()
    _voters[(id(store), hash_token(token))] = (who, time.monotonic() + VOTER_CACHE_SECONDS)
    return who


def cached_voter(store: Store, token: str) -> Principal | None:
    """The voter a bearer ``token`` was found to be in the last minute, if any."""
    hit = _voters.get((id(store), hash_token(token)))
    return hit[0] if hit is not None and hit[1] > time.monotonic() else None


ParticipantDep = Annotated[Principal, Depends(require_participant)]
VoterDep = Annotated[Principal, Depends(require_voter)]
FacilitatorDep = Annotated[Principal, Depends(require_facilitator)]
