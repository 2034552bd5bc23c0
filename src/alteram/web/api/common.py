"""What API routes share: the CSRF check for cookie writes, limited text, declared errors,
and the shape of a text shown in the reader's language."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field

from alteram.service.textcheck import LIMITS
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


# Declared, not enforced here: the service layer refuses control characters with a message
# that names the field and the position (tab, line feed and carriage return are text).
NO_CONTROLS = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"


def text_field(name: str, **extra: Any) -> Any:
    """A pydantic ``Field`` with the length limits of ``name`` in the table of limits.

    The table is :data:`alteram.service.textcheck.LIMITS`, which the service layer enforces.
    """
    limit = LIMITS[name]
    return Field(
        min_length=limit.low,
        max_length=limit.high,
        json_schema_extra={"pattern": NO_CONTROLS},
        **extra,
    )


class ErrorDetail(BaseModel):
    code: str = Field(description="Machine-readable, e.g. not_found, invalid_input.")
    message: str = Field(description="What was wrong and what to do, in the reader's language.")


class ErrorOut(BaseModel):
    """Every error the API answers: ``{"error": {"code": ..., "message": ...}}``."""

    error: ErrorDetail


_MEANING = {
    401: "Not signed in: no valid session token or cookie.",
    403: "Signed in, but this person may not do this (or the form's CSRF token is wrong).",
    404: "No such thing: an unknown id (or one outside 1 to 2^63-1), token or name.",
    409: "Not possible in the current state (e.g. the round is closed).",
    413: "The request body is larger than the server accepts (ALTERAM_MAX_BODY_BYTES).",
    422: "Invalid input; the message names the field.",
    429: "Too many attempts or writes in a short time; the message says how long to wait.",
    503: "The database is unreachable, full or read-only; the message says which.",
}

ALWAYS = (413, 503)


def errors(*statuses: int, validated: bool = True) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the given error statuses.

    413 and 503 are always possible; 422 too unless the operation takes no parameters
    (``validated=False``). Declaring 422 here also replaces FastAPI's own description of
    it, whose shape is not alteram's.
    """
    wanted = {*statuses, *ALWAYS, *((422,) if validated else ())}
    return {
        status: {"model": ErrorOut, "description": _MEANING[status]} for status in sorted(wanted)
    }
