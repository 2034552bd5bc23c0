"""``/api`` for what the facilitation team does to its dialogue: the team itself, visibility,
edits that keep the earlier wording, archive and delete, seed statements, hidden texts."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from alteram.errors import N_, InvalidInput
from alteram.service import dialogue_life, team
from alteram.service.access import Actor
from alteram.service.editing import EDITABLE, edit_text
from alteram.service.hiding import HIDEABLE, set_hidden
from alteram.service.seeds import seed_statements
from alteram.web.access import OwnerDialogue, TeamDialogue, TeamRound, actor_of
from alteram.web.api.common import csrf_checked, errors
from alteram.web.auth import FacilitatorDep
from alteram.web.deps import StoreDep
from alteram.web.params import IdPath

router = APIRouter(prefix="/api", tags=["facilitation"])
WRITE = [Depends(csrf_checked)]


def _actor(request: Request) -> Actor:
    return actor_of(request)


class MemberIn(BaseModel):
    email: str = Field(max_length=254, description="The facilitator account's email.")
    role: Literal["owner", "cofacilitator"] = "cofacilitator"


class MemberOut(BaseModel):
    account_id: int
    email: str
    role: str


@router.get(
    "/dialogues/{dialogue_id}/team",
    response_model=list[MemberOut],
    responses=errors(401, 404),
    summary="The dialogue's facilitation team (its members only)",
)
def team_list(
    dialogue_id: IdPath,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamDialogue,
) -> list[MemberOut]:
    found = team.team(store, actor=_actor(request), dialogue_id=dialogue_id)
    return [MemberOut(account_id=m.account_id, email=m.email, role=m.role) for m in found]


@router.post(
    "/dialogues/{dialogue_id}/team",
    response_model=MemberOut,
    responses=errors(401, 403, 404, 409),
    status_code=201,
    dependencies=WRITE,
    summary="The owner adds a facilitator to the team by account",
)
def team_add(
    dialogue_id: IdPath,
    body: MemberIn,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: OwnerDialogue,
) -> MemberOut:
    account = team.add_facilitator(
        store, actor=_actor(request), dialogue_id=dialogue_id, email=body.email, role=body.role
    )
    return MemberOut(account_id=account, email=body.email.strip().lower(), role=body.role)


@router.post(
    "/dialogues/{dialogue_id}/team/{account_id}/remove",
    responses=errors(401, 403, 404, 409),
    status_code=204,
    dependencies=WRITE,
    summary="The owner takes a facilitator off the team",
)
def team_remove(
    dialogue_id: IdPath,
    account_id: IdPath,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: OwnerDialogue,
) -> Response:
    team.remove_facilitator(
        store, actor=_actor(request), dialogue_id=dialogue_id, account_id=account_id
    )
    return Response(status_code=204)


class VisibilityIn(BaseModel):
    visibility: Literal["private", "unlisted", "public"]


@router.post(
    "/dialogues/{dialogue_id}/visibility",
    responses=errors(401, 403, 404, 409),
    status_code=204,
    dependencies=WRITE,
    summary="Private, unlisted (readable by link) or public (listed)",
)
def visibility(
    dialogue_id: IdPath,
    body: VisibilityIn,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamDialogue,
) -> Response:
    dialogue_life.set_visibility(
        store, actor=_actor(request), dialogue_id=dialogue_id, visibility=body.visibility
    )
    return Response(status_code=204)


class MaxGroupsIn(BaseModel):
    max_groups: int = Field(
        ge=1,
        le=dialogue_life.MAX_GROUPS_ALLOWED,
        description="The most opinion groups an analysis may find (default 5).",
    )


@router.post(
    "/dialogues/{dialogue_id}/max-groups",
    responses=errors(401, 403, 404, 409),
    status_code=204,
    dependencies=WRITE,
    summary="Allow more (or fewer) opinion groups in the dialogue's analyses",
)
def max_groups(
    dialogue_id: IdPath,
    body: MaxGroupsIn,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamDialogue,
) -> Response:
    dialogue_life.set_max_groups(
        store, actor=_actor(request), dialogue_id=dialogue_id, max_groups=body.max_groups
    )
    return Response(status_code=204)


class ArchiveIn(BaseModel):
    archived: bool = Field(description="true: read-only and off every list; false: back.")


@router.post(
    "/dialogues/{dialogue_id}/archive",
    responses=errors(401, 403, 404, 409),
    status_code=204,
    dependencies=WRITE,
    summary="The owner archives the dialogue, or brings it back",
)
def archive(
    dialogue_id: IdPath,
    body: ArchiveIn,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: OwnerDialogue,
) -> Response:
    dialogue_life.set_archived(
        store, actor=_actor(request), dialogue_id=dialogue_id, archived=body.archived
    )
    return Response(status_code=204)


class DeleteIn(BaseModel):
    confirm: bool = Field(description="Must be true: a deleted dialogue cannot come back.")


@router.post(
    "/dialogues/{dialogue_id}/delete",
    responses=errors(401, 403, 404, 409),
    status_code=204,
    dependencies=WRITE,
    summary="The owner deletes an empty dialogue, or an archived one without votes",
)
def delete(
    dialogue_id: IdPath,
    body: DeleteIn,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: OwnerDialogue,
) -> Response:
    if not body.confirm:
        raise InvalidInput(
            N_("deleting a dialogue cannot be undone: send confirm=true to do it."),
        )
    dialogue_life.delete_dialogue(store, actor=_actor(request), dialogue_id=dialogue_id)
    return Response(status_code=204)


class EditIn(BaseModel):
    item: Literal["dialogue.title", "dialogue.charter", "side.name", "round.title", "topic.prompt"]
    item_id: int = Field(ge=1, le=2**63 - 1)
    text: str = Field(max_length=20_000)


class EditOut(BaseModel):
    changed: bool


@router.post(
    "/texts/edit",
    responses=errors(401, 403, 404, 409),
    response_model=EditOut,
    dependencies=WRITE,
    summary="Edit a text of the dialogue; the earlier wording is kept and shown as edited",
)
def edit(body: EditIn, request: Request, store: StoreDep, who: FacilitatorDep) -> EditOut:
    assert body.item in EDITABLE
    changed = edit_text(
        store, actor=_actor(request), item=body.item, item_id=body.item_id, text=body.text
    )
    return EditOut(changed=changed)


class SeedIn(BaseModel):
    text: str = Field(min_length=1, max_length=500)
    side_id: int | None = Field(
        default=None, ge=1, le=2**63 - 1, description="For a side; none: as the facilitation team."
    )


class SeedsIn(BaseModel):
    seeds: list[SeedIn] = Field(min_length=1, max_length=500)


class SeedsOut(BaseModel):
    statement_ids: list[int]


@router.post(
    "/rounds/{round_id}/seeds",
    responses=errors(401, 403, 404, 409, 429),
    response_model=SeedsOut,
    status_code=201,
    dependencies=WRITE,
    summary="Seed statements of the facilitation team, for a side or as the team",
)
def seeds(
    round_id: IdPath,
    body: SeedsIn,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamRound,
) -> SeedsOut:
    ids = seed_statements(
        store,
        actor=_actor(request),
        round_id=round_id,
        seeds=[(s.text, s.side_id) for s in body.seeds],
    )
    return SeedsOut(statement_ids=ids)


class HiddenIn(BaseModel):
    hidden: bool
    reason: str = Field(default="", max_length=1000, description="Needed to hide a text.")


@router.post(
    "/hidden/{kind}/{ident}",
    responses=errors(401, 403, 404, 409),
    status_code=204,
    dependencies=WRITE,
    summary="Hide a definition, restatement, concern or answer (with a reason), or show it again",
)
def hidden(
    kind: Literal["definition", "restatement", "concern", "answer"],
    ident: IdPath,
    body: HiddenIn,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
) -> Response:
    assert kind in HIDEABLE
    set_hidden(
        store, actor=_actor(request), kind=kind, ident=ident, hidden=body.hidden, reason=body.reason
    )
    return Response(status_code=204)
