"""What API routes share: the CSRF check for writes made with a session cookie."""

from __future__ import annotations

from fastapi import Request

from alteram.web.auth import verify_csrf


def csrf_checked(request: Request) -> None:
    """Writes authenticated by cookie need the ``X-CSRF-Token`` header; bearer tokens do not."""
    verify_csrf(request, None)
