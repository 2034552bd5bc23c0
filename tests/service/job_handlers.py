"""Job kinds for tests, registered at import (workers load them with ``--import``).

Each handler leaves a trace a test can read: a line appended to the file named in the
payload (one ``write`` with O_APPEND, so lines from several processes never mix).
"""

from __future__ import annotations

import os
import time
from typing import Any

from alteram.errors import NotFound
from alteram.service.jobs import register
from alteram.store.database import Store

CALLS: list[tuple[str, float]] = []  # in-process handlers: (kind, monotonic time)


def _trace(payload: dict[str, Any], word: str) -> None:
    fd = os.open(payload["path"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, f"{word} {payload.get('n', 0)} {os.getpid()}\n".encode())
    finally:
        os.close(fd)


@register("test.record")
def record(store: Store, payload: dict[str, Any]) -> None:
    """Write one line per run, after a short sleep (so that workers overlap)."""
    time.sleep(float(payload.get("sleep", 0)))
    _trace(payload, "ran")


@register("test.sleep")
def sleep(store: Store, payload: dict[str, Any]) -> None:
    """Write 'start', sleep ``seconds``, write 'end'."""
    _trace(payload, "start")
    time.sleep(float(payload["seconds"]))
    _trace(payload, "end")


@register("test.fail")
def always_fail(store: Store, payload: dict[str, Any]) -> None:
    CALLS.append(("test.fail", time.monotonic()))
    raise RuntimeError(f"boom\non call {len(CALLS)}")


@register("test.missing")
def missing(store: Store, payload: dict[str, Any]) -> None:
    CALLS.append(("test.missing", time.monotonic()))
    raise NotFound("round 999 does not exist.")
