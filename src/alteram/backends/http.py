"""One small JSON-over-HTTP helper on ``httpx`` that every backend client uses.

:class:`HttpBackend` sends a request and reads its JSON answer under three rules:

- one attempt takes at most ``timeout`` seconds (connect at most 5 s of it; the body is read
  against the same deadline, so a server that trickles bytes is cut off too) and reads at
  most ``max_bytes``;
- connection errors, timeouts, a dropped connection, HTTP 5xx and 429 are retried up to
  ``retries`` times, after ``backoff * 2**n`` seconds (n = 0, 1, ...; at most 10 s) scaled by
  a random factor in [0.5, 1] so that workers do not retry in step; a 429's ``Retry-After``
  is honoured up to ``timeout``. The worst case is therefore about
  ``(retries + 1) * timeout`` plus the backoff;
- any other 4xx is not retried (:class:`BackendRejected`), nor is an answer that is not
  JSON (:class:`BackendAnswerInvalid`).

Messages and log lines name the backend and its URL, never a secret: strings given as
``secrets`` (API keys) are replaced by ``***`` in anything quoted from the server.
"""

from __future__ import annotations

import json
import logging
import random
import ssl
import time
from collections.abc import Mapping, Sequence
from functools import cache
from types import TracebackType
from typing import Any

import httpx

from alteram.backends.errors import (
    BackendAnswerInvalid,
    BackendError,
    BackendRejected,
    BackendTimeout,
    BackendUnavailable,
)

log = logging.getLogger(__name__)

MAX_BACKOFF = 10.0


@cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every client, on the system's certificates (building one is slow)."""
    return ssl.create_default_context()


class _AttemptTimeout(Exception):
    """The attempt's deadline passed while the body was still arriving."""


class HttpBackend:
    """JSON requests to one outside service, with timeouts, retries and clear errors.

    Parameters
    ----------
    name : str
        How messages call the service, e.g. ``"LibreTranslate"``.
    base_url : str
        The service's base URL (no trailing slash needed); paths are appended to it.
    url_setting : str
        The setting that holds ``base_url``, named in the hints of errors.
    key_setting : str, optional
        The setting that holds the API key, named when the service refuses it (401, 403).
    timeout : float, default=20
        Seconds one attempt may take.
    retries : int, default=3
        Further attempts after a transient failure.
    backoff : float, default=0.5
        Seconds before the first retry; doubled for each further one.
    headers : mapping, optional
        Headers sent with every request (e.g. ``Authorization``).
    secrets : sequence of str, optional
        Strings that must never appear in a message (API keys).
    max_bytes : int, default=4_000_000
        Largest answer accepted.
    """

    def __init__(
        self,
        *,
        name: str,
        base_url: str,
        url_setting: str,
        key_setting: str | None = None,
        timeout: float = 20.0,
        retries: int = 3,
        backoff: float = 0.5,
        headers: Mapping[str, str] | None = None,
        secrets: Sequence[str] = (),
        max_bytes: int = 4_000_000,
    ) -> None:
        if timeout <= 0 or retries < 0 or backoff < 0:
            raise ValueError("timeout must be > 0, retries and backoff >= 0")
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.url_setting = url_setting
        self.key_setting = key_setting
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_bytes = max_bytes
        self._secrets = tuple(s for s in secrets if s)
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            headers=dict(headers or {}),
            follow_redirects=False,
            verify=_tls(),
        )

    def __enter__(self) -> HttpBackend:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the pooled connections."""
        self._client.close()

    def get_json(self, path: str) -> Any:
        """``GET base_url + path`` and its JSON answer."""
        return self._request("GET", path, None)

    def post_json(self, path: str, payload: Mapping[str, Any]) -> Any:
        """``POST base_url + path`` with a JSON body, and the JSON answer."""
        return self._request("POST", path, payload)

    # -- internals ----------------------------------------------------------------------

    def _request(self, method: str, path: str, payload: Mapping[str, Any] | None) -> Any:
        url = self.base_url + path
        attempts = self.retries + 1
        for attempt in range(attempts):
            retry_after = 0.0
            try:
                status, headers, body = self._once(method, url, payload)
            except (httpx.TimeoutException, _AttemptTimeout):
                failure: BackendError = BackendTimeout(
                    f"{self.name} at {url} did not answer within {self.timeout:g} s "
                    f"({_attempts(attempt + 1)}).",
                    backend=self.name,
                    url=url,
                    hint="The server may be overloaded or still loading its model; check it, "
                    "or raise ALTERAM_BACKEND_TIMEOUT.",
                )
            except httpx.TransportError as exc:
                failure = self._unreachable(url, exc, attempt + 1)
            else:
                if 200 <= status < 300:
                    return self._parse(url, headers, body)
                if status != 429 and status < 500:
                    raise self._rejected(url, status, headers, body)
                failure = self._server_error(url, status, body, attempt + 1)
                retry_after = _seconds(headers.get("retry-after"))
            if attempt + 1 == attempts:
                raise failure
            delay = min(MAX_BACKOFF, self.backoff * 2**attempt) * random.uniform(0.5, 1.0)
            delay = max(delay, min(retry_after, self.timeout))
            log.warning(
                "%s; retrying in %.2f s (attempt %d of %d)",
                failure.message.removesuffix("."),
                delay,
                attempt + 2,
                attempts,
            )
            time.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(
        self, method: str, url: str, payload: Mapping[str, Any] | None
    ) -> tuple[int, httpx.Headers, bytes]:
        deadline = time.monotonic() + self.timeout
        with self._client.stream(method, url, json=payload) as response:
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                if time.monotonic() > deadline:
                    raise _AttemptTimeout
                size += len(chunk)
                if size > self.max_bytes:
                    raise BackendAnswerInvalid(
                        f"{self.name} at {url} sent an answer larger than "
                        f"{self.max_bytes:,} bytes.",
                        backend=self.name,
                        url=url,
                        hint=f"Check that {self.url_setting} points to the right server.",
                    )
                chunks.append(chunk)
            return response.status_code, response.headers, b"".join(chunks)

    def _parse(self, url: str, headers: httpx.Headers, body: bytes) -> Any:
        text = body.decode("utf-8", errors="replace")
        looks_html = "html" in headers.get("content-type", "") or text.lstrip().startswith("<")
        try:
            if looks_html:
                raise ValueError
            return json.loads(text)
        except ValueError:
            what = "an HTML page" if looks_html else "something that is not JSON"
            raise BackendAnswerInvalid(
                f"{self.name} at {url} answered with {what}: {self._excerpt(text)!r}.",
                backend=self.name,
                url=url,
                hint=f"Check that {self.url_setting} points to the API itself, not a proxy "
                "or web page.",
            ) from None

    def _unreachable(self, url: str, exc: httpx.TransportError, attempts: int) -> BackendError:
        if isinstance(exc, httpx.ConnectError):
            what, hint = (
                f"cannot be reached ({exc})",
                f"Check that the server runs and that {self.url_setting} points to it.",
            )
        else:
            what, hint = (
                f"broke off the connection ({exc})",
                "The server may have crashed or restarted; see its log.",
            )
        return BackendUnavailable(
            f"{self.name} at {url} {self._excerpt(what)} ({_attempts(attempts)}).",
            backend=self.name,
            url=url,
            hint=hint,
        )

    def _server_error(self, url: str, status: int, body: bytes, attempts: int) -> BackendError:
        if status == 429:
            what = f"is rate-limiting alteram (HTTP 429, {_attempts(attempts)})"
            hint = "Lower the load or raise the server's limits."
        else:
            detail = self._detail(body)
            what = f"answered HTTP {status} ({_attempts(attempts)}){detail}"
            hint = "The server has a problem; see its log."
        return BackendUnavailable(
            f"{self.name} at {url} {what}.", backend=self.name, url=url, hint=hint
        )

    def _rejected(self, url: str, status: int, headers: httpx.Headers, body: bytes) -> BackendError:
        detail = self._detail(body)
        if status in (401, 403) and self.key_setting:
            hint = f"Check {self.key_setting}."
        elif 300 <= status < 400:
            detail = f": it points to {self._excerpt(headers.get('location', '?'))}"
            hint = f"Set {self.url_setting} to the address it points to."
        else:
            hint = f"Check {self.url_setting} and the request alteram sends."
        return BackendRejected(
            f"{self.name} at {url} refused the request with HTTP {status}{detail}.",
            backend=self.name,
            url=url,
            hint=hint,
        )

    def _detail(self, body: bytes) -> str:
        """``": <the server's error message>"`` when the body carries one, else ``""``."""
        text = body.decode("utf-8", errors="replace").strip()
        try:
            data = json.loads(text)
        except ValueError:
            return f": {self._excerpt(text)!r}" if text and not text.startswith("<") else ""
        error = data.get("error") if isinstance(data, dict) else None
        if isinstance(error, dict):
            error = error.get("message")
        if isinstance(data, dict) and error is None:
            error = data.get("detail") or data.get("message")
        return f": {self._excerpt(str(error))!r}" if error else ""

    def _excerpt(self, text: str, limit: int = 200) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        text = " ".join(text.split())
        return text if len(text) <= limit else text[: limit - 1] + "…"


def _attempts(count: int) -> str:
    return "1 attempt" if count == 1 else f"{count} attempts"


def _seconds(value: str | None) -> float:
    """A ``Retry-After`` given in seconds (dates and junk count as 0)."""
    try:
        return max(0.0, float(value)) if value else 0.0
    except ValueError:
        return 0.0


__all__ = ["HttpBackend"]
