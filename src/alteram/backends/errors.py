"""What can go wrong with an outside service, as :class:`alteram.errors.AlteramError` s.

Every message names the backend ("LibreTranslate", "language model"), its URL (a base URL
without secrets: the settings refuse user and password in URLs, and API keys never appear
in a message or a log line) and what to do. The lead's jobs decide what is worth retrying
later: :class:`BackendUnavailable` and :class:`BackendTimeout` are transient,
:class:`BackendRejected` needs a person (a wrong key, an unsupported language), and
:class:`BackendAnswerInvalid` is an answer that must not be stored (another attempt, from a
language model especially, may do better).
"""

from __future__ import annotations

from alteram.errors import AlteramError


class BackendError(AlteramError):
    """An outside service (machine translation, language model) did not do its job."""

    code = "backend_error"
    status = 502

    def __init__(self, message: str, *, backend: str, url: str, hint: str | None = None) -> None:
        self.backend = backend
        self.url = url
        super().__init__(message, hint=hint)


class BackendUnavailable(BackendError):
    """It cannot be reached, dropped the connection, or answered 5xx or 429 every time."""

    code = "backend_unavailable"
    status = 503


class BackendTimeout(BackendUnavailable):
    """It did not answer within the timeout, every time."""

    code = "backend_timeout"
    status = 504


class BackendRejected(BackendError):
    """It refused the request with a 4xx answer (bad key, unknown model or language)."""

    code = "backend_rejected"


class BackendAnswerInvalid(BackendError):
    """It answered, but not with something usable (not JSON, wrong shape, a bad translation)."""

    code = "backend_answer_invalid"


__all__ = [
    "BackendAnswerInvalid",
    "BackendError",
    "BackendRejected",
    "BackendTimeout",
    "BackendUnavailable",
]
