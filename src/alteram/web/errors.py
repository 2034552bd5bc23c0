"""One place that turns errors into answers: a JSON body under /api, a page elsewhere.

Every JSON error has the same shape, ``{"error": {"code": ..., "message": ...}}``; an
unexpected failure is logged and answered with ``internal`` and no details.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from alteram.errors import AlteramError

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


def install(app: FastAPI) -> None:
    """Register the error handlers on ``app``."""

    @app.exception_handler(AlteramError)
    async def _alteram(request: Request, exc: AlteramError) -> Response:
        from alteram.web.render import localized

        return _render(request, exc.status, exc.code, localized(request, exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        message = str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = (
                f"there is nothing at {request.url.path}. Start from the list of dialogues at /."
            )
        return _render(request, exc.status_code, code, message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for err in exc.errors():
            where = ".".join(
                str(x) for x in err.get("loc", ()) if x not in ("body", "query", "path")
            )
            parts.append(f"{where}: {err.get('msg', 'invalid')}")
        return _render(request, 422, "invalid_input", "invalid input -- " + "; ".join(parts))

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
