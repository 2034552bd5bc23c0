"""Invite links as people will open them: the configured public URL, never the Host header.

A request's Host header is the client's to choose (``Host: evil.example``); a link built
from it could send a side's secret to another server. The base is ``ALTERAM_PUBLIC_URL``,
or the address the server was told to listen on.
"""

from __future__ import annotations

from fastapi import Request

from alteram.config import Settings


def invite_url(request: Request, token: str) -> str:
    """The full link of an invite secret."""
    settings: Settings = request.app.state.settings
    return f"{settings.base_url()}/join/{token}"
