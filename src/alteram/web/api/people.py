"""``/api`` for a dialogue's members: the team's list, removal and restoration, delegates,
participants' flags, the flag queue and the moderation log (JSON and CSV)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from alteram.service import flags, moderation, people
from alteram.service.access import Access
from alteram.web.access import TeamDialogue, actor_of, team
from alteram.web.api.common import ShownOut, csrf_checked, errors, text_field
from alteram.web.auth import FacilitatorDep, ParticipantDep
from alteram.web.deps import StoreDep
from alteram.web.i18n import choose_language
from alteram.web.params import IdPath

router = APIRouter(prefix="/api", tags=["people"])
WRITE = [Depends(csrf_checked)]
TeamParticipant = Annotated[Access, team("participant")]


class MarkOut(BaseModel):
    round_id: int
    round_number: int
    reasons: list[str] = Field(description="same_answer and/or burst (see the README).")
    n_votes: int
    burst_seconds: float | None


class MemberOut(BaseModel):
    id: int
    display_name: str | None
    anonymous: bool
    side_id: int | None
    side: str | None
    role: str
    translator: bool
    joined_at: datetime
    invite_id: int | None = Field(description="The link they joined by.")
    invite_kind: str | None
    external_id: str | None = Field(description="Their id in your list; only the team sees it.")
    votes: int
    statements: int
    removed_at: datetime | None
    implausible: list[MarkOut] = Field(
        description="Voting patterns the latest analysis of a round marked for review."
    )


@router.get(
    "/dialogues/{dialogue_id}/participants",
    responses=errors(401, 403, 404, 409),
    response_model=list[MemberOut],
    summary="The members of each side (the team's view)",
)
def members(
    dialogue_id: IdPath,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamDialogue,
) -> list[MemberOut]:
    return [
        MemberOut(
            id=m.id,
            display_name=m.display_name,
            anonymous=m.anonymous,
            side_id=m.side_id,
            side=m.side_name,
            role=m.role,
            translator=m.translator,
            joined_at=m.joined_at,
            invite_id=m.invite_id,
            invite_kind=m.invite_kind,
            external_id=m.external_id,
            votes=m.votes,
            statements=m.statements,
            removed_at=m.removed_at,
            implausible=[MarkOut.model_validate(k, from_attributes=True) for k in m.marks],
        )
        for m in people.members(store, actor=actor_of(request), dialogue_id=dialogue_id)
    ]


class MemberReasonIn(BaseModel):
    reason: str = text_field("reason", description="Why; kept in the moderation log.")


@router.post(
    "/participants/{participant_id}/remove",
    responses=errors(401, 403, 404, 409),
    status_code=204,
    dependencies=WRITE,
    summary="Remove a member (kept in the store; left out of analyses from now on)",
)
def remove(
    participant_id: IdPath,
    body: MemberReasonIn,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamParticipant,
) -> Response:
    people.remove_participant(
        store, actor=actor_of(request), participant_id=participant_id, reason=body.reason
    )
    return Response(status_code=204)


@router.post(
    "/participants/{participant_id}/restore",
    responses=errors(401, 403, 404, 409),
    status_code=204,
    dependencies=WRITE,
    summary="Restore a removed member",
)
def restore(
    participant_id: IdPath,
    body: MemberReasonIn,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamParticipant,
) -> Response:
    people.restore_participant(
        store, actor=actor_of(request), participant_id=participant_id, reason=body.reason
    )
    return Response(status_code=204)


class DelegateIn(BaseModel):
    delegate: bool = Field(description="true: make a delegate of their side; false: take it.")
    reason: str | None = None


@router.post(
    "/participants/{participant_id}/delegate",
    responses=errors(401, 403, 404, 409),
    status_code=204,
    dependencies=WRITE,
    summary="Give or take the delegate role",
)
def delegate(
    participant_id: IdPath,
    body: DelegateIn,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamParticipant,
) -> Response:
    people.set_delegate(
        store,
        actor=actor_of(request),
        participant_id=participant_id,
        delegate=body.delegate,
        reason=body.reason,
    )
    return Response(status_code=204)


class FlagIn(BaseModel):
    reason: str = text_field("reason", description="What is wrong with the statement.")


class FlagOut(BaseModel):
    flag_id: int


@router.post(
    "/statements/{statement_id}/flags",
    responses=errors(401, 403, 404, 409, 429),
    response_model=FlagOut,
    status_code=201,
    dependencies=WRITE,
    summary="Flag a statement for the facilitators, with a reason",
)
def flag(statement_id: IdPath, body: FlagIn, store: StoreDep, who: ParticipantDep) -> FlagOut:
    assert who.participant_id is not None
    return FlagOut(
        flag_id=flags.flag_statement(
            store,
            participant_id=who.participant_id,
            statement_id=statement_id,
            reason=body.reason,
        )
    )


class FlagReasonOut(BaseModel):
    reason: str
    at: datetime


class FlaggedOut(BaseModel):
    id: int
    round_id: int
    round_number: int
    text: ShownOut
    side: str | None
    moderation: str
    flags: int
    reasons: list[FlagReasonOut]


@router.get(
    "/dialogues/{dialogue_id}/flags",
    response_model=list[FlaggedOut],
    responses=errors(401, 403, 404, 409),
    summary="Statements flagged since the team last decided on them, most flagged first",
)
def flag_queue(
    dialogue_id: IdPath,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamDialogue,
) -> list[FlaggedOut]:
    found = flags.flag_queue(
        store, actor=actor_of(request), dialogue_id=dialogue_id, lang=choose_language(request)
    )
    return [
        FlaggedOut(
            id=q.id,
            round_id=q.round_id,
            round_number=q.round_number,
            text=ShownOut.model_validate(q.text, from_attributes=True),
            side=q.side_name,
            moderation=q.moderation,
            flags=q.flags,
            reasons=[FlagReasonOut(reason=r.reason, at=r.at) for r in q.reasons],
        )
        for q in found
    ]


class LogEntryOut(BaseModel):
    id: int
    at: datetime
    kind: str
    by: str = Field(description="A facilitator's email, a participant (flags), the administrator.")
    by_kind: str
    participant_id: int | None
    participant_name: str | None
    item: str | None
    item_id: int | None
    reason: str | None


@router.get(
    "/dialogues/{dialogue_id}/moderation-log",
    responses=errors(401, 403, 404, 409),
    response_model=list[LogEntryOut],
    summary="Every moderation, removal, restoration, flag and duty change, newest first",
)
def log(
    dialogue_id: IdPath,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamDialogue,
) -> list[LogEntryOut]:
    found = moderation.moderation_log(store, actor=actor_of(request), dialogue_id=dialogue_id)
    return [LogEntryOut.model_validate(e, from_attributes=True) for e in found]


@router.get(
    "/dialogues/{dialogue_id}/moderation-log.csv",
    summary="The moderation log as CSV",
    response_class=Response,
    responses={**errors(401, 403, 404, 409), 200: {"content": {"text/csv": {}}}},
)
def log_csv(
    dialogue_id: IdPath,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamDialogue,
) -> Response:
    found = moderation.moderation_log(store, actor=actor_of(request), dialogue_id=dialogue_id)
    return csv_response(moderation.log_csv(found), f"moderation-log-{dialogue_id}.csv")


def csv_response(text: str, filename: str) -> Response:
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )
