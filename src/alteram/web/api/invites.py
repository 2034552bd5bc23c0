"""``/api`` for a dialogue's invite links (its facilitation team only).

Open links of a side with a cap and an expiry, paused and resumed; observer links; personal
links from an uploaded CSV list. Secrets are in the answer that makes them, never again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from alteram.service import invite_lists, invites
from alteram.service.access import Access
from alteram.service.invites import InviteView, IssuedLink
from alteram.web.access import TeamDialogue, actor_of, team
from alteram.web.api.common import csrf_checked, errors
from alteram.web.auth import FacilitatorDep
from alteram.web.deps import StoreDep
from alteram.web.params import IdPath

router = APIRouter(prefix="/api", tags=["invites"])
WRITE = [Depends(csrf_checked)]
TeamInvite = Annotated[Access, team("invite")]


def link_url(request: Request, token: str) -> str:
    """The join address of a link's secret, on this server."""
    return str(request.base_url).rstrip("/") + f"/join/{token}"


class JoinerOut(BaseModel):
    participant_id: int
    display_name: str | None
    at: datetime
    removed: bool


class InviteOut(BaseModel):
    id: int
    kind: Literal["open", "personal", "observer"]
    role: str
    state: Literal["active", "paused", "expired", "full", "used", "revoked"]
    side_id: int | None = Field(description="None for observers of no side.")
    side: str | None
    cap: int | None = Field(description="How many people may join by it; None: no limit.")
    expires_at: datetime | None
    paused_at: datetime | None
    revoked_at: datetime | None
    used_at: datetime | None = Field(description="When a personal link was used.")
    created_at: datetime
    external_id: str | None = Field(description="A personal link's person, in your list.")
    display_name: str | None
    joined: int
    joiners: list[JoinerOut]


def invite_out(v: InviteView) -> InviteOut:
    return InviteOut(
        id=v.id,
        kind=v.kind,
        role=v.role,
        state=v.state,
        side_id=v.side_id,
        side=v.side_name,
        cap=v.cap,
        expires_at=v.expires_at,
        paused_at=v.paused_at,
        revoked_at=v.revoked_at,
        used_at=v.used_at,
        created_at=v.created_at,
        external_id=v.external_id,
        display_name=v.display_name,
        joined=v.joined,
        joiners=[
            JoinerOut(
                participant_id=j.participant_id,
                display_name=j.display_name,
                at=j.at,
                removed=j.removed,
            )
            for j in v.joiners
        ],
    )


class NewLinkOut(BaseModel):
    invite_id: int
    kind: str
    side_id: int | None
    external_id: str | None
    invite_url: str = Field(description="Shown once: only its hash is stored.")


def _new(request: Request, link: IssuedLink) -> NewLinkOut:
    return NewLinkOut(
        invite_id=link.invite_id,
        kind=link.kind,
        side_id=link.side_id,
        external_id=link.external_id,
        invite_url=link_url(request, link.token),
    )


def _view(request: Request, store: StoreDep, dialogue_id: int, invite_id: int) -> InviteOut:
    found = invites.list_invites(store, actor=actor_of(request), dialogue_id=dialogue_id)
    return invite_out(next(v for v in found if v.id == invite_id))


@router.get(
    "/dialogues/{dialogue_id}/invites",
    responses=errors(401, 403, 404, 409),
    response_model=list[InviteOut],
    summary="The dialogue's links, newest first, with who joined by each",
)
def list_links(
    dialogue_id: IdPath,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamDialogue,
) -> list[InviteOut]:
    found = invites.list_invites(store, actor=actor_of(request), dialogue_id=dialogue_id)
    return [invite_out(v) for v in found]


class LinkIn(BaseModel):
    kind: Literal["open", "observer"] = Field(
        default="open", description="open: a side's link; observer: read-only members."
    )
    side_id: int | None = Field(
        default=None, description="The side; an observer link may have none."
    )
    cap: int | None = Field(default=None, description="How many may join by it (none: no limit).")
    expires_at: datetime | None = Field(
        default=None, description="From then on nobody joins by it (ISO 8601 with time zone)."
    )


@router.post(
    "/dialogues/{dialogue_id}/invites",
    responses=errors(401, 403, 404, 409),
    response_model=NewLinkOut,
    status_code=201,
    dependencies=WRITE,
    summary="Make an open link of a side or an observer link (shown once)",
)
def make_link(
    dialogue_id: IdPath,
    body: LinkIn,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamDialogue,
) -> NewLinkOut:
    issued = invites.create_link(
        store,
        actor=actor_of(request),
        dialogue_id=dialogue_id,
        kind=body.kind,
        side_id=body.side_id,
        cap=body.cap,
        expires_at=body.expires_at,
    )
    return _new(request, issued.links[0])


class PersonalOut(BaseModel):
    links: list[NewLinkOut]


@router.post(
    "/dialogues/{dialogue_id}/invites/personal",
    responses=errors(401, 403, 404, 409),
    response_model=PersonalOut,
    status_code=201,
    dependencies=WRITE,
    summary="Personal links from a CSV list: external_id, display_name, side (shown once)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    },
)
async def import_list(
    dialogue_id: IdPath,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamDialogue,
    side_id: int | None = None,
) -> PersonalOut:
    """A bad row refuses the whole file, naming its line and column; nothing is imported.

    ``side_id`` is the side of the rows without a side.
    """
    data = await request.body()
    issued = invite_lists.import_personal_invites(
        store, actor=actor_of(request), dialogue_id=dialogue_id, data=data, default_side_id=side_id
    )
    return PersonalOut(links=[_new(request, link) for link in issued.links])


class LimitsIn(BaseModel):
    cap: int | None = Field(default=None, description="None lifts the limit.")
    expires_at: datetime | None = Field(default=None, description="None: it does not expire.")


@router.post(
    "/invites/{invite_id}/limits",
    responses=errors(401, 403, 404, 409),
    response_model=InviteOut,
    dependencies=WRITE,
    summary="Set or lift a link's cap and expiry",
)
def limits(
    invite_id: IdPath,
    body: LimitsIn,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamInvite,
) -> InviteOut:
    invites.set_limits(
        store,
        actor=actor_of(request),
        invite_id=invite_id,
        cap=body.cap,
        expires_at=body.expires_at,
    )
    return _view(request, store, access.dialogue_id, invite_id)


@router.post(
    "/invites/{invite_id}/{action}",
    responses=errors(401, 403, 404, 409),
    response_model=InviteOut,
    dependencies=WRITE,
    summary="pause, resume or revoke a link (revoking cannot be undone)",
)
def act(
    invite_id: IdPath,
    action: Literal["pause", "resume", "revoke"],
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamInvite,
) -> InviteOut:
    actor = actor_of(request)
    if action == "revoke":
        invites.revoke(store, actor=actor, invite_id=invite_id)
    else:
        invites.pause(store, actor=actor, invite_id=invite_id, paused=action == "pause")
    return _view(request, store, access.dialogue_id, invite_id)
