"""Which function does each kind of job: the ``HANDLERS`` registry and ``@register``.

A handler is ``def handle(store: Store, payload: dict) -> None``. It registers when its
service module is imported; :mod:`alteram.service.job_kinds` imports every such module, so
that a worker knows all kinds. A job may run more than once (a worker that dies mid-job
leaves it to another after its lease), so a handler must be idempotent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from alteram.store.database import Store

Handler = Callable[[Store, dict[str, Any]], None]
HANDLERS: dict[str, Handler] = {}
KIND_MAX = 40


def register(kind: str) -> Callable[[Handler], Handler]:
    """Make the decorated function the handler of jobs of ``kind``.

    Examples
    --------
    >>> @register("example.noop")
    ... def noop(store, payload):
    ...     pass
    >>> HANDLERS["example.noop"] is noop
    True
    >>> del HANDLERS["example.noop"]
    """
    if not kind or len(kind) > KIND_MAX or kind != kind.strip():
        raise ValueError(f"a job kind is 1-{KIND_MAX} characters, no spaces around: {kind!r}")

    def decorate(handler: Handler) -> Handler:
        known = HANDLERS.get(kind)
        if known is not None and known is not handler:
            raise ValueError(
                f"job kind {kind!r} is already handled by {known.__module__}.{known.__qualname__}"
            )
        HANDLERS[kind] = handler
        return handler

    return decorate


def load_kinds() -> dict[str, Handler]:
    """Every registered handler, after importing the modules that register them."""
    import alteram.service.job_kinds  # noqa: F401  (registers at import)

    return HANDLERS
