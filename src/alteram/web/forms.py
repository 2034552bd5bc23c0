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


def own_translations(form: FormData, suffix: str = "") -> dict[str, str]:
    """The author's own translations in a form: fields ``translation_<lang><suffix>``."""
    out: dict[str, str] = {}
    for key in form:
        if key.startswith("translation_") and key.endswith(suffix):
            code = key.removeprefix("translation_")
            code = code[: len(code) - len(suffix)] if suffix else code
            value = text(form, key).strip()
            if value and code and "_" not in code:
                out[code] = value
    return out


def own_concern_translations(form: FormData) -> dict[str, dict[str, str]]:
    """A concern's own translations: by language, its title, why and understand fields."""
    out: dict[str, dict[str, str]] = {}
    for field in ("title", "why", "understand"):
        for code, value in own_translations(form, f"_{field}").items():
            out.setdefault(code, {})[field] = value
    return out
