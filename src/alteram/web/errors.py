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
from starlette.routing import Match

from alteram.errors import N_, AlteramError, NotFound
from alteram.web.logs import redact_path
from alteram.web.params import PATH_IDS

log = logging.getLogger(__name__)

_HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
}


def error_body(code: str, message: str) -> dict[str, dict[str, str]]:
    return {"error": {"code": code, "message": message}}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or "application/json" in request.headers.get(
        "accept", ""
    )


def render_error(
    request: Request,
    status: int,
    code: str,
    message: str,
    headers: Mapping[str, str] | None = None,
) -> Response:
    if _wants_json(request):
        return JSONResponse(error_body(code, message), status_code=status, headers=headers)
    from alteram.web.render import page

    try:
        return page(
            request,
            "error.html",
            {"status": status, "code": code, "message": message},
            status_code=status,
            headers=headers,
        )
    except Exception:  # the error page itself failed: answer in plain text
        log.exception("error page failed")
        return PlainTextResponse(f"{code}: {message}", status_code=status, headers=headers)


def alteram_error(request: Request, exc: AlteramError) -> Response:
    """The answer to one of alteram's own errors, in the request's language."""
    from alteram.web.render import localized

    retry = getattr(exc, "retry_after", None)
    headers = {"retry-after": str(retry)} if retry else None
    return render_error(request, exc.status, exc.code, localized(request, exc), headers=headers)


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


def _methods_at(request: Request) -> list[str]:
    """Every method some route answers at this request's path."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match is not Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


def install(app: FastAPI) -> None:
    """Register the error handlers on ``app``."""

    @app.exception_handler(AlteramError)
    async def _alteram(request: Request, exc: AlteramError) -> Response:
        return alteram_error(request, exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        status = exc.status_code
        code = _HTTP_CODES.get(status, "http_error")
        _ = _gettext(request)
        message = str(exc.detail)
        path = redact_path(request.url.path)
        if status == 404 and message == "Not Found":
            message = _("there is nothing at %(path)s. Start from the list of dialogues at /.") % {
                "path": path
            }
        elif status == 405:
            # Starlette names the methods of the first route that matched the path only.
            allowed = _methods_at(request)
            message = _("%(method)s is not allowed at %(path)s.") % {
                "method": request.method,
                "path": path,
            }
            return render_error(
                request, status, code, message, headers={"allow": ", ".join(allowed)}
            )
        elif status == 400 and "parsing the body" in message:
            # A body that is not JSON (or not a form) is invalid input like any other.
            status, code = 422, "invalid_input"
            message = _("the request body is neither JSON nor a form; check its syntax.")
        return render_error(request, status, code, message, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        _ = _gettext(request)
        for err in exc.errors():
            loc = err.get("loc", ())
            out_of_range = err.get("type") in ("greater_than_equal", "less_than_equal")
            if len(loc) == 2 and loc[0] == "path" and loc[1] in PATH_IDS and out_of_range:
                # An id that no store can hold names nothing: like any unknown id, 404.
                what = PATH_IDS[str(loc[1])]
                unknown = NotFound(
                    N_("%(what)s %(id)s does not exist."),
                    params={"id": request.path_params.get(str(loc[1]), err.get("input"))},
                    terms={"what": what},
                    hint=N_("Check the id."),
                )
                return await _alteram(request, unknown)
        parts = []
        for err in exc.errors():
            where = ".".join(
                str(x) for x in err.get("loc", ()) if x not in ("body", "query", "path")
            )
            parts.append(f"{where}: {_problem(err, _)}")
        message = _("invalid input -- ") + "; ".join(parts)
        return render_error(request, 422, "invalid_input", message)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, redact_path(request.url.path))
        if request.method in ("GET", "HEAD", "OPTIONS"):
            # A read changes nothing, so nothing can have been lost.
            message = (
                "something went wrong on our side while reading; nothing was changed. Try "
                "again, and tell the facilitator if it happens again."
            )
        else:
            # The write may have failed before or after it was committed: we cannot know.
            message = (
                "something went wrong on our side; what you sent may or may not have been "
                "stored. Reload the page to see whether it was before sending it again, and "
                "tell the facilitator if it happens again."
            )
        return render_error(request, 500, "internal", message)
