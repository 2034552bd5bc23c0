"""Rendering pages with what every page needs: language, who is signed in, CSRF token."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment

from alteram.errors import AlteramError
from alteram.service.languages import html_lang
from alteram.web.auth import PRE_COOKIE, csrf_for, principal
from alteram.web.charts import opinion_map
from alteram.web.i18n import COOKIE, LANGUAGES, choose_language, translations


def configure(env: Environment) -> None:
    """What every template environment needs beside the request's context."""
    env.filters["html_lang"] = html_lang


def localized(request: Request, error: AlteramError) -> str:
    """An error's message and hint in the request's language (English when unmarked)."""
    return error.localized(translations(choose_language(request)).gettext)


def page(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """Render ``template`` in the request's language."""
    lang = choose_language(request)
    tr = translations(lang)
    ctx: dict[str, Any] = {
        "lang": lang,
        "languages": LANGUAGES,
        "_": tr.gettext,
        "gettext": tr.gettext,
        "ngettext": tr.ngettext,
        "opinion_map": partial(opinion_map, gettext=tr.gettext),
        "who": principal(request),
        "csrf": csrf_for(request),
    }
    ctx.update(context or {})
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, template, ctx, status_code=status_code, headers=headers
    )
    new_pre = getattr(request.state, "new_pre_token", None)
    if new_pre:
        response.set_cookie(PRE_COOKIE, new_pre, httponly=True, samesite="lax")
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response
