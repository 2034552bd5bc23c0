"""One place that turns errors into answers: a JSON body under /api, a page elsewhere.

Every JSON error has the same shape, ``{"error": {"code": ..., "message": ...}}``; an
unexpected failure is logged and answered with ``internal`` and no details.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from alteram.errors import N_, AlteramError

log = logging.getLogger(__name__)


def error_body(code: str, message: str) -> dict[str, dict[str, str]]:
    return {"error": {"code": code, "message": message}}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or "application/json" in request.headers.get(
        "accept", ""
    )


def _render(request: Request, status: int, code: str, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse(error_body(code, message), status_code=status)
    from alteram.web.render import page

    try:
        return page(
            request,
            "error.html",
            {"status": status, "code": code, "message": message},
            status_code=status,
        )
    except Exception:  # the error page itself failed: answer in plain text
        log.exception("error page failed")
        return PlainTextResponse(f"{code}: {message}", status_code=status)


def _gettext(request: Request) -> Callable[[str], str]:
    from alteram.web.i18n import choose_language, translations

    return translations(choose_language(request)).gettext


# What a request-validation problem is called, by pydantic's error type.
PROBLEMS = {
    "missing": N_("this field is required"),
    "int_parsing": N_("must be a whole number"),
    "int_type": N_("must be a whole number"),
    "bool_parsing": N_("must be true or false"),
    "bool_type": N_("must be true or false"),
    "string_type": N_("must be text"),
    "string_too_long": N_("is too long"),
    "string_too_short": N_("is too short"),
    "too_short": N_("has too few items"),
    "too_long": N_("has too many items"),
    "json_invalid": N_("is not valid JSON"),
    "model_attributes_type": N_("must be a JSON object"),
    "dict_type": N_("must be a JSON object"),
    "list_type": N_("must be a list"),
    "greater_than_equal": N_("is too small"),
    "less_than_equal": N_("is too large"),
}


def _problem(err: Mapping[str, Any], gettext: Callable[[str], str]) -> str:
    known = PROBLEMS.get(str(err.get("type", "")))
    return gettext(known) if known else str(err.get("msg", "invalid"))


def install(app: FastAPI) -> None:
    """Register the error handlers on ``app``."""

    @app.exception_handler(AlteramError)
    async def _alteram(request: Request, exc: AlteramError) -> Response:
        from alteram.web.render import localized

        return _render(request, exc.status, exc.code, localized(request, exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        _ = _gettext(request)
        message = str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = _("there is nothing at %(path)s. Start from the list of dialogues at /.") % {
                "path": request.url.path
            }
        elif exc.status_code == 405:
            message = _("%(method)s is not allowed at %(path)s.") % {
                "method": request.method,
                "path": request.url.path,
            }
        return _render(request, exc.status_code, code, message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        _ = _gettext(request)
        parts = []
        for err in exc.errors():
            where = ".".join(
                str(x) for x in err.get("loc", ()) if x not in ("body", "query", "path")
            )
            parts.append(f"{where}: {_problem(err, _)}")
        return _render(request, 422, "invalid_input", _("invalid input -- ") + "; ".join(parts))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return _render(
            request,
            500,
            "internal",
            "something went wrong on our side; nothing you sent was lost. Try again, and tell "
            "the facilitator if it happens again.",
        )
