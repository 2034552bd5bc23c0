"""``/api``: joining, voting with predictions, writing statements, reading one's dialogue."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Query, Request, Response
from pydantic import BaseModel, Field

from alteram.service import group_commit, participation
from alteram.service.accounts import csrf_token, start_session
from alteram.service.analyses import analyze_if_due
from alteram.service.home import Home, SideRef, participant_home
from alteram.service.moves import assess, check_text
from alteram.service.shown import as_original
from alteram.web.api.common import ShownOut, csrf_checked, errors, text_field
from alteram.web.auth import COOKIE, ParticipantDep, VoterDep
from alteram.web.deps import StoreDep
from alteram.web.i18n import choose_language
from alteram.web.params import BodyId, IdPath

router = APIRouter(prefix="/api", tags=["participation"])


class JoinIn(BaseModel):
    token: str = text_field(
        "token", description="The secret of a side's invite link (the part after /join/)."
    )
    display_name: str | None = text_field("display_name", default=None)
    anonymous: bool = Field(default=False, strict=True)
    external_id: str | None = Field(
        default=None,
        max_length=200,
        description="Your id in the facilitator's list (like Polis's xid): unique in the "
        "dialogue, never shown to other participants. A personal link carries its own.",
    )


class JoinOut(BaseModel):
    participant_id: int
    dialogue_id: int
    side_id: int | None = Field(description="None for an observer of no side.")
    role: str
    session_token: str = Field(description="Send as 'Authorization: Bearer ...'.")
    csrf_token: str = Field(description="Send as 'X-CSRF-Token' when using the cookie instead.")


@router.post(
    "/join",
    response_model=JoinOut,
    status_code=201,
    responses=errors(403, 404, 409, 422, 429),
    summary="Join by an invite link",
)
def join(body: JoinIn, request: Request, response: Response, store: StoreDep) -> JoinOut:
    admitted = participation.admit(
        store,
        token=body.token,
        display_name=body.display_name,
        anonymous=body.anonymous,
        external_id=body.external_id,
    )
    token = start_session(store, participant_id=admitted.participant_id)
    response.set_cookie(COOKIE, token, httponly=True, samesite="lax", max_age=30 * 86400)
    return JoinOut(
        participant_id=admitted.participant_id,
        dialogue_id=admitted.dialogue_id,
        side_id=admitted.side_id,
        role=admitted.role,
        session_token=token,
        csrf_token=csrf_token(request.app.state.settings.secret_key, token),
    )


class HomeOut(BaseModel):
    participant_id: int
    display_name: str | None
    anonymous: bool
    role: str
    dialogue_id: int
    title: ShownOut
    charter: ShownOut
    simulated: bool
    side: SideRefOut
    other_sides: list[SideRefOut]
    current_round: dict[str, object] | None
    rounds: list[dict[str, object]]
    languages: list[str] = Field(description="The languages the dialogue is held in.")
    reading: str = Field(description="The language texts are shown in for this reader.")
    machine_translation: bool = Field(
        description="Texts of this dialogue go to a machine-translation service."
    )


class SideRefOut(BaseModel):
    id: int
    name: ShownOut


def _side(ref: SideRef) -> SideRefOut:
    return SideRefOut(
        id=ref.id,
        name=ShownOut.model_validate(
            ref.shown or as_original(ref.name, "und"), from_attributes=True
        ),
    )


def _home_out(h: Home) -> HomeOut:
    from dataclasses import asdict

    return HomeOut(
        participant_id=h.participant_id,
        display_name=h.display_name,
        anonymous=h.anonymous,
        role=h.role,
        dialogue_id=h.dialogue_id,
        title=ShownOut.model_validate(h.title, from_attributes=True),
        charter=ShownOut.model_validate(h.charter, from_attributes=True),
        simulated=h.simulated,
        side=_side(h.side),
        other_sides=[_side(s) for s in h.other_sides],
        current_round=asdict(h.current) if h.current else None,
        rounds=[asdict(r) for r in h.rounds],
        languages=h.languages,
        reading=h.reading,
        machine_translation=h.machine_translation,
    )


@router.get(
    "/me",
    response_model=HomeOut,
    responses=errors(401, 404, validated=False),
    summary="My dialogue, side and current round",
)
def me(request: Request, store: StoreDep, who: ParticipantDep) -> HomeOut:
    assert who.participant_id is not None
    return _home_out(
        participant_home(store, participant_id=who.participant_id, lang=choose_language(request))
    )


class StatementOut(BaseModel):
    id: int
    text: ShownOut = Field(
        description="In the reader's language where translated; send text.translation_id "
        "back with the vote as shown_translation_id."
    )
    language: str
    side_id: int | None
    side_name: str | None
    votes: int


@router.get(
    "/rounds/{round_id}/next",
    response_model=list[StatementOut],
    responses=errors(401, 403, 404, 422),
    summary="Statements I have not voted on, in the order to show them",
)
def next_statements(
    round_id: IdPath,
    request: Request,
    store: StoreDep,
    who: ParticipantDep,
    limit: Annotated[int, Query(ge=0, le=500)] = 20,
) -> list[StatementOut]:
    assert who.participant_id is not None
    queue = participation.statements_to_vote(
        store,
        participant_id=who.participant_id,
        round_id=round_id,
        lang=choose_language(request),
    )
    return [StatementOut.model_validate(s, from_attributes=True) for s in queue[: max(limit, 0)]]


class VoteIn(BaseModel):
    value: int = Field(strict=True, ge=-1, le=1, description="1 agree, -1 disagree, 0 pass.")
    predictions: dict[BodyId, Annotated[int, Field(strict=True, ge=0, le=100)]] | None = Field(
        default=None, description="Other side id -> predicted share agreeing, 0-100."
    )
    shown_translation_id: BodyId | None = Field(
        default=None,
        description="The translation the voter read (text.translation_id of the statement); "
        "leave it out when the voter read the original.",
    )


class VoteOut(BaseModel):
    vote_id: int
    replaced_earlier_vote: bool


@router.post(
    "/statements/{statement_id}/votes",
    response_model=VoteOut,
    status_code=201,
    dependencies=[Depends(csrf_checked)],
    responses=errors(401, 403, 404, 409, 422, 429),
    summary="Vote, with optional predictions",
)
def vote(
    statement_id: IdPath,
    body: VoteIn,
    store: StoreDep,
    who: VoterDep,
    background: BackgroundTasks,
) -> VoteOut:
    assert who.participant_id is not None
    recorded = group_commit.record_vote(  # committed with concurrent votes, before the answer
        store,
        participant_id=who.participant_id,
        statement_id=statement_id,
        value=body.value,
        predictions=body.predictions,
        shown_translation_id=body.shown_translation_id,
        web_session_id=who.session_id,  # checked again in the vote's transaction
    )
    background.add_task(analyze_if_due, store, round_id=recorded.round_id, vote_id=recorded.vote_id)
    return VoteOut(vote_id=recorded.vote_id, replaced_earlier_vote=recorded.replaced_earlier_vote)


class TextIn(BaseModel):
    text: str = text_field("statement")


class WriteIn(TextIn):
    translations: dict[str, str] | None = Field(
        default=None,
        description='The author\'s own translations, by language code (e.g. {"zh": "..."}).',
    )


class AssessmentOut(BaseModel):
    move: str | None
    kind: str | None
    confidence: float | None
    hint: str | None = Field(description="For a pressure move: how to say it as dialogue.")


class WrittenOut(AssessmentOut):
    statement_id: int


@router.post(
    "/moves/assess",
    response_model=AssessmentOut,
    responses=errors(401, 422, 429),
    summary="How a text reads (move and hint) before posting it",
)
def assess_text(body: TextIn, store: StoreDep, who: ParticipantDep) -> AssessmentOut:
    assert who.participant_id is not None
    a = check_text(store, participant_id=who.participant_id, text=body.text)
    if a is None:
        return AssessmentOut(move=None, kind=None, confidence=None, hint=None)
    return AssessmentOut(move=a.move, kind=a.kind, confidence=a.confidence, hint=a.hint)


@router.post(
    "/rounds/{round_id}/statements",
    response_model=WrittenOut,
    status_code=201,
    dependencies=[Depends(csrf_checked)],
    responses=errors(401, 403, 404, 409, 422, 429),
    summary="Write a statement in an open round",
)
def write(round_id: IdPath, body: WriteIn, store: StoreDep, who: ParticipantDep) -> WrittenOut:
    assert who.participant_id is not None
    a = assess(body.text) if body.text.strip() else None
    sid = participation.add_statement(
        store,
        participant_id=who.participant_id,
        round_id=round_id,
        text=body.text,
        move=a.move if a else None,
        move_confidence=a.confidence if a else None,
        read_move=False,
        translations=body.translations,
    )
    return WrittenOut(
        statement_id=sid,
        move=a.move if a else None,
        kind=a.kind if a else None,
        confidence=a.confidence if a else None,
        hint=a.hint if a else None,
    )
