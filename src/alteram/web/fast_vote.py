"""The vote route's short way through the web stack, for the common case.

``POST /api/statements/{id}/votes`` is most of a busy round's traffic. Routed through
FastAPI (a scan of every route, dependency solving, a thread from the pool per request), a
vote costs several times the CPU its own transaction does. This ASGI layer answers the
common case itself: a bearer token whose voter was looked up in the last minute
(:func:`alteram.web.auth.cached_voter`) and a small JSON body that :class:`VoteIn`
accepts. It validates with the route's own model, records the vote with the same group
commit (awaited on the event loop, no thread held), and answers what the route answers.

Everything else goes on to FastAPI untouched, the body replayed: cookies (CSRF), a first
vote of a token, a body the model refuses (the route's 422 says why), a missing length.
alteram's own errors (a closed round, a duplicate, a limit) are answered as the app's
handler answers them. The route stays the reference, and its OpenAPI entry is the same.
"""

from __future__ import annotations

import asyncio
import json
import re

from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from alteram.errors import AlteramError
from alteram.service import group_commit
from alteram.service.analyses import CHECK_EVERY, analyze_if_due
from alteram.service.lookup import MAX_ID
from alteram.store.database import Store
from alteram.web.api.participation import VoteIn, VoteOut
from alteram.web.auth import cached_voter
from alteram.web.errors import alteram_error

PATH = re.compile(r"/api/statements/([1-9][0-9]{0,18})/votes")
MAX_BODY = 2048  # a vote with predictions for a few sides is well under this
JSON_TYPES = (b"", b"application/json")


class FastVote:
    """Answer a common vote without the router; pass everything else to ``app``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = _fast_case(scope)
        if found is None:
            await self.app(scope, receive, send)
            return
        statement_id, token, length = found
        body = await _read(receive, length)
        if body is None:  # the client went away before sending its vote
            return
        store: Store = scope["app"].state.store
        voter = cached_voter(store, token)
        vote = _parse(body)
        if voter is None or voter.participant_id is None or vote is None:
            await self.app(scope, _replay(body, receive), send)
            return
        try:
            recorded = await group_commit.record_vote_async(
                store,
                participant_id=voter.participant_id,
                statement_id=statement_id,
                value=vote.value,
                predictions=vote.predictions,
                shown_translation_id=vote.shown_translation_id,
                web_session_id=voter.session_id,  # checked again in the vote's transaction
            )
        except AlteramError as exc:
            await alteram_error(Request(scope), exc)(scope, receive, send)
            return
        out = VoteOut(
            vote_id=recorded.vote_id, replaced_earlier_vote=recorded.replaced_earlier_vote
        )
        await JSONResponse(out.model_dump(), status_code=201)(scope, receive, send)
        if recorded.vote_id % CHECK_EVERY == 0:  # the only votes analyze_if_due looks at
            loop = asyncio.get_running_loop()
            loop.run_in_executor(None, _analyze_if_due, store, recorded.round_id, recorded.vote_id)


def _fast_case(scope: Scope) -> tuple[int, str, int] | None:
    """(statement id, bearer token, body length) of a request this layer may answer."""
    if scope["type"] != "http" or scope["method"] != "POST":
        return None
    match = PATH.fullmatch(scope["path"])
    if match is None or int(match[1]) > MAX_ID:
        return None
    token = length = None
    content_type = b""
    for name, value in scope["headers"]:
        if name == b"authorization" and value[:7].lower() == b"bearer ":
            token = value[7:].strip().decode("latin-1")
        elif name == b"content-length" and value.isdigit():
            length = int(value)
        elif name == b"content-type":
            content_type = value.split(b";")[0].strip().lower()
    if not token or length is None or length > MAX_BODY or content_type not in JSON_TYPES:
        return None
    return int(match[1]), token, length


async def _read(receive: Receive, length: int) -> bytes | None:
    body = b""
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        body += bytes(message.get("body", b""))
        if not message.get("more_body", False) or len(body) > length:
            return body


def _parse(body: bytes) -> VoteIn | None:
    try:
        return VoteIn.model_validate(json.loads(body))
    except (ValueError, RecursionError, ValidationError):  # the route answers it (422)
        return None


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives ``body`` first, then what the client sends next."""
    given = False

    async def replay() -> Message:
        nonlocal given
        if not given:
            given = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _analyze_if_due(store: Store, round_id: int, vote_id: int) -> None:
    analyze_if_due(store, round_id=round_id, vote_id=vote_id)
