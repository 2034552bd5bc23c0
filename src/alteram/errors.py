"""The small exception hierarchy every layer raises and every front end renders.

Each error carries a machine-readable ``code``, the HTTP ``status`` the web layer answers
with, and a message that says what was wrong and what to do about it.
"""

from __future__ import annotations


class AlteramError(Exception):
    """Base class of every error alteram reports to a person."""

    code = "error"
    status = 400

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

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
    """The database cannot be opened or reached."""

    code = "store_unavailable"
    status = 503


__all__ = [
    "AlteramError",
    "Conflict",
    "Forbidden",
    "InvalidInput",
    "NotFound",
    "RateLimited",
    "StoreUnavailable",
]
