"""Show something once after a redirect (post, redirect, get): a signed, short-lived cookie.

New invite links are secrets shown once: the page that made them redirects, and the page it
redirects to reads them from this cookie and drops it, so a reload repeats nothing and shows
nothing twice.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "alteram_flash"
MAX_AGE = 600


def _serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.settings.secret_key, salt="flash")


def put(request: Request, response: Response, value: dict[str, Any]) -> None:
    """Keep ``value`` for the next page this browser opens under /facilitate."""
    secure = request.url.scheme == "https"
    response.set_cookie(
        COOKIE,
        _serializer(request).dumps(value),
        max_age=MAX_AGE,
        httponly=True,
        samesite="strict",
        secure=secure,
        path="/facilitate",
    )


def read(request: Request) -> dict[str, Any]:
    """What :func:`put` kept; ``{}`` when nothing, expired or tampered with."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return {}
    try:
        value = _serializer(request).loads(raw, max_age=MAX_AGE)
    except BadSignature:
        return {}
    return value if isinstance(value, dict) else {}


def forget(response: Response) -> None:
    """Drop what was kept, once shown."""
    response.delete_cookie(COOKIE, path="/facilitate")
