"""What API routes share: the CSRF check for writes made with a session cookie, and the
shape of a text shown in the reader's language."""

from __future__ import annotations

from typing import Literal

from fastapi import Request
from pydantic import BaseModel, ConfigDict

from alteram.web.auth import session_token, verify_csrf


def csrf_checked(request: Request) -> None:
    """Writes authenticated by cookie need the ``X-CSRF-Token`` header; bearer tokens do not.

    A request with no session at all is left to the route's own sign-in check (401).
    """
    token, from_cookie = session_token(request)
    if token and from_cookie:
        verify_csrf(request, None)


class ShownOut(BaseModel):
    """A text as shown to the reader: in their language where translated, the original beside.

    ``state`` is ``original`` (written in the reader's language), ``translated`` (``text`` is
    translation ``translation_id`` of kind ``kind``), ``untranslated`` or ``pending`` (a machine
    translation is on its way): then ``text`` is the original.
    """

    model_config = ConfigDict(from_attributes=True)

    text: str
    language: str
    state: Literal["original", "translated", "untranslated", "pending"]
    kind: Literal["author", "translator", "machine"] | None = None
    translation_id: int | None = None
    faithfulness: Literal["unreviewed", "confirmed", "disputed"] | None = None
    original: str
    original_language: str
