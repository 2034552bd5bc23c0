"""Reading HTML forms: one place that checks CSRF and turns fields into typed values."""

from __future__ import annotations

from fastapi import Request
from starlette.datastructures import FormData

from alteram.errors import N_, InvalidInput, NotFound
from alteram.service.lookup import MAX_ID
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
        if not raw.lstrip("-").isascii():
            raise ValueError(raw)
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


def parse_id(raw: str, *, field: str, what: str) -> int:
    """An id typed into ``field`` of a form: 422 when not a number, 404 when out of range."""
    text_ = raw.strip()
    if not text_.lstrip("-").isdigit() or not text_.isascii():
        raise InvalidInput(
            N_("the form field %(field)s must hold a %(what)s id (a whole number), not %(raw)r."),
            params={"field": field, "raw": text_[:40]},
            terms={"what": what},
            hint=N_("Reload the page and send the form again."),
        )
    value = int(text_)
    if not 1 <= value <= MAX_ID:
        raise NotFound(
            N_("%(what)s %(id)s does not exist."),
            params={"id": value},
            terms={"what": what},
            hint=N_("Check the id."),
        )
    return value


def form_id(form: FormData, name: str, what: str) -> int:
    """The id in form field ``name`` (required); see :func:`parse_id`."""
    raw = text(form, name)
    if not raw.strip():
        raise InvalidInput(
            N_("the form names no %(what)s; reload the page."),
            terms={"what": what},
        )
    return parse_id(raw, field=name, what=what)
