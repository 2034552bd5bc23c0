"""Keeping secrets out of the logs: invite secrets in paths, secrets in query strings.

Session tokens travel in headers and cookies, passwords in bodies: neither is ever logged.
The one secret in a URL is an invite link's (``/join/<secret>``); the access log and
alteram's own messages show it as ``/join/[redacted]``.
"""

from __future__ import annotations

import logging
import re

_JOIN = re.compile(r"(/join/)[^/?#\s\"]+")
_SECRET_QUERY = re.compile(r"(?i)([?&](?:token|secret|password|key|session|csrf_token)=)[^&#\s\"]*")
REDACTED = "[redacted]"


def redact_path(path: str) -> str:
    """``path`` (with or without its query string) without the secrets it may carry."""
    return _SECRET_QUERY.sub(r"\1" + REDACTED, _JOIN.sub(r"\1" + REDACTED, path))


class RedactSecrets(logging.Filter):
    """A filter for uvicorn's access log, whose records carry the request path as an arg."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact_path(a) if isinstance(a, str) and "/" in a else a for a in record.args
            )
        elif isinstance(record.msg, str):
            record.msg = redact_path(record.msg)
        return True


def install() -> None:
    """Redact the access log of the server this process runs (idempotent)."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactSecrets) for f in access.filters):
        access.addFilter(RedactSecrets())
