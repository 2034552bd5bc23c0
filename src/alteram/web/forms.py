"""Reading HTML forms: one place that checks CSRF and turns fields into typed values."""

from __future__ import annotations

from fastapi import Request
from starlette.datastructures import FormData

from alteram.errors import InvalidInput
from alteram.web.auth import verify_csrf


async def read_form(request: Request) -> FormData:
    """The posted form, after checking its CSRF token."""
    form = await request.form()
    token = form.get("csrf_token")
    verify_csrf(request, token if isinstance(token, str) else None)
    return form


def text(form: FormData, name: str, default: str = "") -> str:
    value = form.get(name, default)
    return value if isinstance(value, str) else default


def optional_int(form: FormData, name: str, *, low: int, high: int, label: str) -> int | None:
    """An optional whole number in [low, high]; empty means None."""
    raw = text(form, name).strip().rstrip("%").strip()
    if raw == "":
        return None
    try:
        value = int(raw)
    except ValueError as exc:
        raise InvalidInput(
            f"{label} must be a whole number from {low} to {high}; got {raw!r}."
        ) from exc
    if not low <= value <= high:
        raise InvalidInput(f"{label} must be from {low} to {high}; got {value}.")
    return value
