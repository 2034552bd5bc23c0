"""``/api`` for facilitators: sign in, dialogues, links, rounds, moderation, analyses."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from alteram.service import facilitation, rounds
from alteram.service.accounts import csrf_token, end_session, sign_in
from alteram.service.analyses import analyze_round
from alteram.service.dialogues import MAX_SIDES, create_dialogue, dialogue_summary, replace_invite
from alteram.service.participation import moderate_statement
from alteram.service.rounds import MAX_TOPICS
from alteram.web.access import TeamDialogue, TeamRound, TeamSide, TeamStatement, actor_of
from alteram.web.api.common import csrf_checked, errors, text_field
from alteram.web.auth import COOKIE, FacilitatorDep, session_token
from alteram.web.deps import StoreDep
from alteram.web.i18n import choose_language
from alteram.web.invites import invite_url
from alteram.web.pages.report import freeze_report
from alteram.web.params import IdPath

router = APIRouter(prefix="/api", tags=["facilitation"])
WRITE = [Depends(csrf_checked)]


class LoginIn(BaseModel):
    email: str = text_field("email")
    password: str = text_field("password")


class SessionOut(BaseModel):
    session_token: str
    csrf_token: str


@router.post(
    "/auth/login",
    response_model=SessionOut,
    responses=errors(403, 422, 429),
    summary="Facilitator sign-in",
)
def login(body: LoginIn, request: Request, response: Response, store: StoreDep) -> SessionOut:
    token = sign_in(store, email=body.email, password=body.password)
    response.set_cookie(COOKIE, token, httponly=True, samesite="lax", max_age=30 * 86400)
    return SessionOut(
        session_token=token, csrf_token=csrf_token(request.app.state.settings.secret_key, token)
    )


@router.post(
    "/auth/logout",
    status_code=204,
    dependencies=WRITE,
    responses=errors(403, validated=False),
    summary="End this session",
)
def logout(request: Request, response: Response, store: StoreDep) -> Response:
    token, _ = session_token(request)
    if token:
        end_session(store, token)
    response.delete_cookie(COOKIE)
    response.status_code = 204
    return response


class DialogueIn(BaseModel):
    title: str = text_field("dialogue_title")
    charter: str = text_field("charter", default="")
    sides: list[Annotated[str, text_field("side_name")]] = Field(min_length=2, max_length=MAX_SIDES)
    languages: list[Annotated[str, text_field("language")]] = Field(
        default=["en", "zh"],
        min_length=2,
        max_length=MAX_SIDES,
        description="The languages the dialogue is held in (codes such as en, zh).",
    )
    visibility: Literal["private", "unlisted", "public"] = Field(
        default="private",
        description="private (the team, participants and observers only), unlisted (anyone "
        "with the link) or public (listed on the home page).",
    )


class InviteOut(BaseModel):
    side_id: int
    side: str
    invite_url: str


class CreatedOut(BaseModel):
    dialogue_id: int
    invites: list[InviteOut]


@router.post(
    "/dialogues",
    response_model=CreatedOut,
    status_code=201,
    dependencies=WRITE,
    responses=errors(401, 403, 422),
    summary="Create a dialogue; returns one invite link per side (shown once)",
)
def create(body: DialogueIn, request: Request, store: StoreDep, who: FacilitatorDep) -> CreatedOut:
    created = create_dialogue(
        store,
        title=body.title,
        charter=body.charter,
        sides=body.sides,
        languages=body.languages,
        owner_account_id=who.account_id,
        visibility=body.visibility,
    )
    names = {s.id: str(s.name) for s in dialogue_summary(store, created.dialogue_id).sides}
    return CreatedOut(
        dialogue_id=created.dialogue_id,
        invites=[
            InviteOut(
                side_id=s, side=names[s], invite_url=invite_url(request, created.invite_tokens[s])
            )
            for s in created.side_ids
        ],
    )


@router.post(
    "/sides/{side_id}/invite",
    response_model=InviteOut,
    status_code=201,
    dependencies=WRITE,
    responses=errors(401, 403, 404),
    summary="Revoke a side's link and make a new one",
)
def new_invite(
    side_id: IdPath,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamSide,
) -> InviteOut:
    token = replace_invite(store, side_id=side_id)
    return InviteOut(side_id=side_id, side="", invite_url=invite_url(request, token))


class RoundIn(BaseModel):
    title: str = text_field("round_title", default="")
    topics: list[Annotated[str, text_field("topic")]] = Field(default=[], max_length=MAX_TOPICS)
    moderation: Literal["pre", "post"] = "post"


class RoundCreated(BaseModel):
    round_id: int


@router.post(
    "/dialogues/{dialogue_id}/rounds",
    response_model=RoundCreated,
    status_code=201,
    dependencies=WRITE,
    responses=errors(401, 403, 404, 422),
    summary="Plan a round",
)
def plan(
    dialogue_id: IdPath,
    body: RoundIn,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamDialogue,
) -> RoundCreated:
    return RoundCreated(
        round_id=rounds.create_round(
            store,
            dialogue_id=dialogue_id,
            title=body.title,
            topics=body.topics,
            moderation=body.moderation,
        )
    )


class ReasonIn(BaseModel):
    reason: str = text_field("reason", default="")


def _live(store: StoreDep, round_id: int, request: Request | None = None) -> dict[str, Any]:
    lang = choose_language(request) if request is not None else None
    return asdict(facilitation.round_live(store, round_id=round_id, lang=lang))


ROUND = errors(401, 403, 404, 409)


@router.get(
    "/rounds/{round_id}", responses=errors(401, 404), summary="A round's live state (facilitators)"
)
def live(
    round_id: IdPath,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamRound,
) -> dict[str, Any]:
    return _live(store, round_id, request)


@router.post(
    "/rounds/{round_id}/open", dependencies=WRITE, responses=ROUND, summary="Open a planned round"
)
def open_(
    round_id: IdPath, store: StoreDep, who: FacilitatorDep, access: TeamRound
) -> dict[str, Any]:
    rounds.open_round(store, round_id=round_id)
    return _live(store, round_id)


@router.post(
    "/rounds/{round_id}/suspend",
    dependencies=WRITE,
    responses=errors(401, 403, 404, 409, 422),
    summary="Suspend, with a reason",
)
def suspend(
    round_id: IdPath,
    body: ReasonIn,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamRound,
) -> dict[str, Any]:
    rounds.suspend_round(store, round_id=round_id, reason=body.reason)
    return _live(store, round_id)


@router.post(
    "/rounds/{round_id}/resume",
    dependencies=WRITE,
    responses=errors(401, 403, 404, 409, 422),
    summary="Resume a suspended round",
)
def resume(
    round_id: IdPath,
    body: ReasonIn,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamRound,
) -> dict[str, Any]:
    rounds.resume_round(store, round_id=round_id, reason=body.reason)
    return _live(store, round_id)


@router.post(
    "/rounds/{round_id}/close", dependencies=WRITE, responses=ROUND, summary="Close a round"
)
def close(
    round_id: IdPath, store: StoreDep, who: FacilitatorDep, access: TeamRound
) -> dict[str, Any]:
    rounds.close_round(store, round_id=round_id)
    return _live(store, round_id)


@router.post(
    "/rounds/{round_id}/publish",
    dependencies=WRITE,
    responses=ROUND,
    summary="Publish the results",
)
def publish(
    round_id: IdPath, store: StoreDep, who: FacilitatorDep, access: TeamRound
) -> dict[str, Any]:
    facilitation.publish_round(store, round_id=round_id)
    freeze_report(store, round_id, account_id=who.account_id)  # the report's version 1
    return _live(store, round_id)


class ReportVersionOut(BaseModel):
    round_id: int
    version: int = Field(description="The new version's number (1 is the publication's).")


@router.post(
    "/rounds/{round_id}/report/versions",
    response_model=ReportVersionOut,
    status_code=201,
    dependencies=WRITE,
    responses=ROUND,
    summary="Publish a new version of a published round's report (earlier ones stay)",
)
def publish_report_version(
    round_id: IdPath, store: StoreDep, who: FacilitatorDep, access: TeamRound
) -> ReportVersionOut:
    number = freeze_report(store, round_id, account_id=who.account_id)
    return ReportVersionOut(round_id=round_id, version=number)


class AnalysisOut(BaseModel):
    id: int
    round_id: int
    version: int
    fingerprint: str
    n_votes: int


@router.post(
    "/rounds/{round_id}/analyses",
    response_model=AnalysisOut,
    status_code=201,
    dependencies=WRITE,
    responses=ROUND,
    summary="Analyse now (a new version when votes changed)",
)
def analyse(
    round_id: IdPath, store: StoreDep, who: FacilitatorDep, access: TeamRound
) -> AnalysisOut:
    a = analyze_round(store, round_id=round_id)
    return AnalysisOut(
        id=a.id,
        round_id=a.round_id,
        version=a.version,
        fingerprint=a.fingerprint,
        n_votes=int(a.result.get("n_votes", 0)),
    )


@router.get(
    "/rounds/{round_id}/statements",
    responses=errors(401, 404, 422),
    summary="A round's statements with moderation state",
)
def queue(
    round_id: IdPath,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamRound,
    state: Literal["pending", "accepted", "rejected"] | None = None,
) -> list[dict[str, Any]]:
    found = facilitation.moderation_queue(
        store, round_id=round_id, state=state, lang=choose_language(request)
    )
    return [asdict(q) for q in found]


class ModerationIn(BaseModel):
    accept: bool = Field(strict=True)
    reason: str | None = text_field("moderation_reason", default=None)


@router.post(
    "/statements/{statement_id}/moderation",
    status_code=204,
    dependencies=WRITE,
    responses=errors(401, 403, 404, 422),
    summary="Accept or reject a statement (a rejection needs a reason)",
)
def moderation(
    statement_id: IdPath,
    body: ModerationIn,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamStatement,
) -> Response:
    moderate_statement(
        store,
        statement_id=statement_id,
        accept=body.accept,
        reason=body.reason,
        actor=actor_of(request),
    )
    return Response(status_code=204)


MoveName = Literal[
    "explain", "inquire", "acknowledge", "bridge",
    "demand", "pressure", "lecture", "accuse", "other",
]  # fmt: skip


class MoveIn(BaseModel):
    move: MoveName


class MoveCorrectionOut(BaseModel):
    statement_id: int
    move: str
    original_move: str | None
    original_confidence: float | None
    corrected_by: str
    at: str
    corrections: int


@router.post(
    "/statements/{statement_id}/move",
    dependencies=WRITE,
    response_model=MoveCorrectionOut,
    responses=errors(401, 403, 404, 409, 422),
    summary="Correct the move a statement makes (the classifier's reading is kept)",
)
def correct_move(
    statement_id: IdPath,
    body: MoveIn,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamStatement,
) -> MoveCorrectionOut:
    from alteram.service.move_corrections import correct_move as correct

    c = correct(store, statement_id=statement_id, move=body.move, actor=actor_of(request))
    return MoveCorrectionOut(
        statement_id=c.statement_id,
        move=c.move,
        original_move=c.original_move,
        original_confidence=c.original_confidence,
        corrected_by=c.corrected_by,
        at=c.at.isoformat(),
        corrections=c.count,
    )
