"""The web side of :mod:`alteram.service.access`: who asks, and dependencies that check.

Routes declare what they need about the row their path names, e.g.::

    def close(round_id: int, access: Annotated[Access, team("round")]) -> ...

and the dependency resolves the path's id to its dialogue and asks the service whether the
signed-in actor may (``read``, ``team`` or ``owner``). The decision is the service's; routes
and templates only read the :class:`Access` it returns.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request

from alteram.service.access import (
    ANONYMOUS,
    Access,
    Actor,
    Need,
    access_to,
    check_writable,
    not_found,
)
from alteram.store.database import Store
from alteram.web.auth import principal

MAX_ID = 2**63 - 1


def actor_of(request: Request) -> Actor:
    """The actor behind this request's session (anonymous without one)."""
    if not hasattr(request.state, "actor"):
        who = principal(request)
        if who is None:
            request.state.actor = ANONYMOUS
        elif who.is_facilitator:
            request.state.actor = Actor(account_id=who.account_id)
        else:
            request.state.actor = Actor(participant_id=who.participant_id)
    actor: Actor = request.state.actor
    return actor


def check(request: Request, kind: str, ident: int, need: Need = "read") -> Access:
    """What the request's actor may do in the dialogue of row ``ident`` of ``kind``."""
    store: Store = request.app.state.store
    with store.read() as session:
        return access_to(session, actor_of(request), kind, ident, need=need)


def _dependency(kind: str, param: str | None, need: Need) -> Callable[[Request], Access]:
    name = param or f"{kind}_id"

    def dependency(request: Request) -> Access:
        raw = request.path_params.get(name)
        try:
            ident = int(raw) if raw is not None else -1
        except (TypeError, ValueError):
            ident = -1
        if not 1 <= ident <= MAX_ID:
            raise not_found(kind, ident)
        found = check(request, kind, ident, need)
        if request.method not in ("GET", "HEAD") and not request.url.path.endswith("/archive"):
            check_writable(found)
        return found

    dependency.__name__ = f"{need}_of_{kind}"
    return dependency


def reader(kind: str, param: str | None = None) -> Any:
    """A dependency: the actor may read the dialogue of the path's ``kind`` id."""
    return Depends(_dependency(kind, param, "read"))


def team(kind: str, param: str | None = None) -> Any:
    """A dependency: the actor is in the facilitation team of that dialogue."""
    return Depends(_dependency(kind, param, "team"))


def owner(kind: str, param: str | None = None) -> Any:
    """A dependency: the actor owns that dialogue."""
    return Depends(_dependency(kind, param, "owner"))


TeamDialogue = Annotated[Access, team("dialogue")]
TeamRound = Annotated[Access, team("round")]
TeamSide = Annotated[Access, team("side")]
TeamStatement = Annotated[Access, team("statement")]
TeamParticipant = Annotated[Access, team("participant")]
OwnerDialogue = Annotated[Access, owner("dialogue")]
ReaderDialogue = Annotated[Access, reader("dialogue")]
ReaderRound = Annotated[Access, reader("round")]
