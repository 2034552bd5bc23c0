"""Server-sent events: a round changed, so a live page may refresh its parts.

``GET /rounds/ID/events`` polls the round's change counter in the database
(:mod:`alteram.service.live`) every ``POLL_SECONDS`` and sends ``change`` when it moved, so
a change made through any server process reaches every open page. A stream ends after
``LIFETIME_SECONDS``; the browser's EventSource reconnects by itself. Pages work without it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from alteram.service import live
from alteram.web.access import actor_of
from alteram.web.deps import StoreDep
from alteram.web.params import IdPath

router = APIRouter(include_in_schema=False)

POLL_SECONDS = 2.0
LIFETIME_SECONDS = 60.0
KEEPALIVE_SECONDS = 15.0


@router.get("/rounds/{round_id}/events")
async def events(round_id: IdPath, request: Request, store: StoreDep) -> StreamingResponse:
    actor = actor_of(request)
    first = await run_in_threadpool(live.version, store, actor=actor, round_id=round_id)

    async def stream() -> AsyncIterator[str]:
        last, quiet = first, time.monotonic()
        ends = time.monotonic() + LIFETIME_SECONDS
        yield f"retry: 3000\nevent: version\ndata: {first}\n\n"
        while time.monotonic() < ends:
            await asyncio.sleep(POLL_SECONDS)
            if await request.is_disconnected():
                return
            now = await run_in_threadpool(live.version, store, actor=actor, round_id=round_id)
            if now != last:
                last, quiet = now, time.monotonic()
                yield f"event: change\ndata: {now}\n\n"
            elif time.monotonic() - quiet > KEEPALIVE_SECONDS:
                quiet = time.monotonic()
                yield ": still here\n\n"

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"cache-control": "no-store", "x-accel-buffering": "no"},
    )
