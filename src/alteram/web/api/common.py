"""What API routes share: the CSRF check for writes made with a session cookie."""

from __future__ import annotations

from fastapi import Request

from alteram.web.auth import session_token, verify_csrf


def csrf_checked(request: Request) -> None:
    """Writes authenticated by cookie need the ``X-CSRF-Token`` header; bearer tokens do not.

    A request with no session at all is left to the route's own sign-in check (401).
    """
    token, from_cookie = session_token(request)
    if token and from_cookie:
        verify_csrf(request, None)
