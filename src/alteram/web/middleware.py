"""ASGI middleware around the whole application: body limit, security headers, client address.

- :class:`BodyLimit` answers 413 to a body larger than ``ALTERAM_MAX_BODY_BYTES``: at once
  when its ``Content-Length`` says so (the body is never read), and as soon as a streamed
  (chunked) body passes the limit.
- :class:`SecurityHeaders` adds a strict Content-Security-Policy (scripts and styles from
  this server only, no inline script; the one inline style, the report's printable CSS, is
  allowed by its hash), ``frame-ancestors 'none'``, nosniff and ``Referrer-Policy:
  no-referrer`` (an invite link must never leak in a Referer); over HTTPS also HSTS, and
  every cookie is made ``Secure``.
- :class:`ClientAddress` tells the rate limits who is asking (the peer, or the address a
  trusted proxy forwarded: see ``ALTERAM_TRUSTED_PROXIES``).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from alteram.service import ratelimit


def csp_hash(text: str) -> str:
    """The CSP source that allows an inline element whose content is exactly ``text``."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def policy(script: Iterable[str] = (), style: Iterable[str] = ()) -> str:
    """A Content-Security-Policy allowing this origin plus the given extra sources."""
    scripts = " ".join(["'self'", *script])
    styles = " ".join(["'self'", *style])
    return (
        f"default-src 'self'; script-src {scripts}; style-src {styles}; "
        "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    )


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413 (JSON under /api)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    def _message(self) -> str:
        return (
            f"the request body is larger than this server accepts ({self.limit} bytes); "
            "send less (statements and other texts are short)."
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            from alteram.web.errors import render_error

            response = render_error(Request(scope), 413, "payload_too_large", self._message())
            response.headers["connection"] = "close"
            await response(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    # An HTTPException passes through FastAPI's body parsing to the handler.
                    raise HTTPException(413, self._message(), headers={"connection": "close"})
            return message

        await self.app(scope, counted, send)


class SecurityHeaders:
    """Add the security headers to every HTTP response; Secure cookies over HTTPS."""

    def __init__(
        self, app: ASGIApp, *, page_policy: str, docs_policy: str, https: bool = False
    ) -> None:
        self.app = app
        self.page_policy = page_policy
        self.docs_policy = docs_policy
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = self.https or scope.get("scheme") == "https"
        docs = scope.get("path", "") in ("/docs", "/docs/oauth2-redirect")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault(
                    "content-security-policy", self.docs_policy if docs else self.page_policy
                )
                headers.setdefault("x-frame-options", "DENY")
                headers.setdefault("x-content-type-options", "nosniff")
                headers.setdefault("referrer-policy", "no-referrer")
                headers.setdefault("cross-origin-opener-policy", "same-origin")
                if https:
                    headers.setdefault(
                        "strict-transport-security", "max-age=31536000; includeSubDomains"
                    )
                    cookies = headers.getlist("set-cookie")
                    if cookies:
                        del headers["set-cookie"]
                        for cookie in cookies:
                            secure = "secure" in cookie.lower().replace(" ", "").split(";")
                            headers.append("set-cookie", cookie if secure else cookie + "; Secure")
            await send(message)

        await self.app(scope, receive, with_headers)


class ClientAddress:
    """Make the asking address known to :mod:`alteram.service.ratelimit` for this request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        with ratelimit.asking_from(client[0] if client else None):
            await self.app(scope, receive, send)
