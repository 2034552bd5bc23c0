"""The small exception hierarchy every layer raises and every front end renders.

Each error carries a machine-readable ``code``, the HTTP ``status`` the web layer answers
with, and a message that says what was wrong and what to do about it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping


def N_(message: str) -> str:
    """Mark a message for translation (``pybabel extract -k N_``) without translating it."""
    return message


class AlteramError(Exception):
    """Base class of every error alteram reports to a person.

    A message may be a %-template with ``params`` (values put in as they are) and ``terms``
    (words put in translated, such as a round's state); marked with :func:`N_`, the
    template, the terms and the hint can then be given in the reader's language by
    :meth:`localized`. ``str(error)`` is always the English text.
    """

    code = "error"
    status = 400

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        params: Mapping[str, object] | None = None,
        terms: Mapping[str, str] | None = None,
    ) -> None:
        self.template = message
        self.params = dict(params or {})
        self.terms = dict(terms or {})
        self.message = self._fill(message, _same)
        self.hint = hint
        super().__init__(self.message)

    def _fill(self, template: str, gettext: Callable[[str], str]) -> str:
        if not self.params and not self.terms:
            return template
        return template % {**self.params, **{k: gettext(v) for k, v in self.terms.items()}}

    def localized(self, gettext: Callable[[str], str]) -> str:
        """The message and hint through ``gettext`` (unmarked messages stay as they are)."""
        message = self._fill(gettext(self.template), gettext)
        return f"{message} {gettext(self.hint)}" if self.hint else message

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message} {self.hint}"
        return self.message

    def to_dict(self) -> dict[str, str]:
        """The JSON error body: ``{"code": ..., "message": ...}``."""
        return {"code": self.code, "message": str(self)}


class NotFound(AlteramError):
    """Something named by id or token does not exist."""

    code = "not_found"
    status = 404


class Forbidden(AlteramError):
    """The person asking may not do this."""

    code = "forbidden"
    status = 403


class Conflict(AlteramError):
    """The request is valid but the state of things does not allow it now."""

    code = "conflict"
    status = 409


class InvalidInput(AlteramError, ValueError):
    """The input itself is malformed or out of range."""

    code = "invalid_input"
    status = 422


class RateLimited(AlteramError):
    """Too many writes in a short time from one participant."""

    code = "rate_limited"
    status = 429


class StoreUnavailable(AlteramError):
    """The database cannot be opened, reached or written (a full disk, a read-only file)."""

    code = "store_unavailable"
    status = 503


class PayloadTooLarge(AlteramError):
    """A request body larger than the server accepts."""

    code = "payload_too_large"
    status = 413


class ConfigurationError(AlteramError):
    """A setting (an ``ALTERAM_*`` variable) has a value alteram cannot run with."""

    code = "configuration_error"
    status = 503


def _same(text: str) -> str:
    return text


__all__ = [
    "N_",
    "AlteramError",
    "ConfigurationError",
    "Conflict",
    "Forbidden",
    "InvalidInput",
    "NotFound",
    "PayloadTooLarge",
    "RateLimited",
    "StoreUnavailable",
]
