"""``/api`` for definitions, restatements, fairness ratings and concerns."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from alteram.errors import N_, Forbidden
from alteram.service import concerns, definitions
from alteram.service.access import Access
from alteram.web.access import ReaderDialogue, ReaderRound, TeamRound
from alteram.web.api.common import csrf_checked, errors, text_field
from alteram.web.auth import FacilitatorDep, ParticipantDep
from alteram.web.deps import StoreDep
from alteram.web.i18n import choose_language
from alteram.web.params import IdPath, StrictBodyId

router = APIRouter(prefix="/api", tags=["understanding"])
WRITE = [Depends(csrf_checked)]
# A participant's write: signed in, in this dialogue and side, in an open round, not too often.
PARTICIPANT_WRITE = errors(401, 403, 404, 409, 422, 429)


class NameIn(BaseModel):
    name: str = text_field("concept_name")


TRANSLATIONS = Field(
    default=None,
    description='The author\'s own translations, by language code (e.g. {"zh": "..."}).',
)


class DefinitionIn(BaseModel):
    text: str = text_field("definition")
    translations: dict[str, str] | None = TRANSLATIONS


class AnswerIn(BaseModel):
    text: str = text_field("answer")
    translations: dict[str, str] | None = TRANSLATIONS


class ValueIn(BaseModel):
    value: int = Field(strict=True, ge=-1, le=1, description="1 agree, -1 disagree, 0 neither.")


class RestateIn(BaseModel):
    side_id: StrictBodyId
    text: str = text_field("restatement")
    translations: dict[str, str] | None = TRANSLATIONS


class RatingIn(BaseModel):
    rating: Literal["fair", "partly_fair", "unfair"]


class ConcernIn(BaseModel):
    title: str = text_field("concern_title")
    why_it_matters: str = text_field("why_it_matters")
    what_to_understand: str = text_field("what_to_understand", default="")
    translations: dict[str, dict[str, str]] | None = Field(
        default=None,
        description="The author's own translations: by language code, the fields title, why "
        'and understand (e.g. {"zh": {"title": "...", "why": "..."}}).',
    )


class UnderstoodIn(BaseModel):
    understood: bool = Field(default=True, strict=True)


class Created(BaseModel):
    id: int


def _may_read(access: Access) -> None:
    """Definitions and concerns are the dialogue's working material: members and team."""
    if not (access.is_team or access.is_member):
        raise Forbidden(
            N_("only this dialogue's members and facilitators see its definitions and concerns."),
            hint=N_("The published report shows them once a round is published."),
        )


@router.post(
    "/rounds/{round_id}/concepts",
    response_model=Created,
    status_code=201,
    dependencies=WRITE,
    responses=errors(401, 403, 404, 409, 422),
    summary="Name a concept both sides define (facilitators)",
)
def concept(
    round_id: IdPath, body: NameIn, store: StoreDep, who: FacilitatorDep, access: TeamRound
) -> Created:
    return Created(id=definitions.add_concept(store, round_id=round_id, name=body.name))


@router.get(
    "/rounds/{round_id}/concepts",
    responses=errors(403, 404),
    summary="Each concept: every side's definition, restatements and fairness",
)
def concepts(
    round_id: IdPath, request: Request, store: StoreDep, access: ReaderRound
) -> list[dict[str, Any]]:
    _may_read(access)
    found = definitions.concepts_of_round(store, round_id=round_id, lang=choose_language(request))
    return [asdict(c) for c in found]


@router.post(
    "/concepts/{concept_id}/definitions",
    response_model=Created,
    status_code=201,
    dependencies=WRITE,
    responses=PARTICIPANT_WRITE,
    summary="Say what the concept means to your side",
)
def define(concept_id: IdPath, body: DefinitionIn, store: StoreDep, who: ParticipantDep) -> Created:
    assert who.participant_id is not None
    return Created(
        id=definitions.propose_definition(
            store,
            participant_id=who.participant_id,
            concept_id=concept_id,
            text=body.text,
            translations=body.translations,
        )
    )


@router.post(
    "/definitions/{definition_id}/votes",
    status_code=204,
    dependencies=WRITE,
    responses=PARTICIPANT_WRITE,
    summary="Vote on one of your side's candidate definitions",
)
def vote_definition(
    definition_id: IdPath, body: ValueIn, store: StoreDep, who: ParticipantDep
) -> Response:
    assert who.participant_id is not None
    definitions.vote_definition(
        store, participant_id=who.participant_id, definition_id=definition_id, value=body.value
    )
    return Response(status_code=204)


@router.post(
    "/concepts/{concept_id}/restatements",
    response_model=Created,
    status_code=201,
    dependencies=WRITE,
    responses=PARTICIPANT_WRITE,
    summary="Restate the other side's definition in your words",
)
def restate(concept_id: IdPath, body: RestateIn, store: StoreDep, who: ParticipantDep) -> Created:
    assert who.participant_id is not None
    return Created(
        id=definitions.restate(
            store,
            participant_id=who.participant_id,
            concept_id=concept_id,
            side_id=body.side_id,
            text=body.text,
            translations=body.translations,
        )
    )


@router.post(
    "/restatements/{restatement_id}/ratings",
    status_code=204,
    dependencies=WRITE,
    responses=PARTICIPANT_WRITE,
    summary="Rate a restatement of your side's definition: fair, partly_fair, unfair",
)
def rate(restatement_id: IdPath, body: RatingIn, store: StoreDep, who: ParticipantDep) -> Response:
    assert who.participant_id is not None
    definitions.rate_restatement(
        store, participant_id=who.participant_id, restatement_id=restatement_id, rating=body.rating
    )
    return Response(status_code=204)


@router.get(
    "/dialogues/{dialogue_id}/concerns",
    responses=errors(403, 404),
    summary="Every concern with its history",
)
def list_concerns(
    dialogue_id: IdPath, request: Request, store: StoreDep, access: ReaderDialogue
) -> list[dict[str, Any]]:
    _may_read(access)
    found = concerns.concerns_of_dialogue(
        store, dialogue_id=dialogue_id, lang=choose_language(request)
    )
    return [asdict(c) for c in found]


@router.post(
    "/concerns",
    response_model=Created,
    status_code=201,
    dependencies=WRITE,
    responses=PARTICIPANT_WRITE,
    summary="Raise a concern: what, why it matters, what you want to understand",
)
def raise_(body: ConcernIn, store: StoreDep, who: ParticipantDep) -> Created:
    assert who.participant_id is not None
    return Created(
        id=concerns.raise_concern(
            store,
            participant_id=who.participant_id,
            title=body.title,
            why_it_matters=body.why_it_matters,
            what_to_understand=body.what_to_understand,
            translations=body.translations,
        )
    )


@router.post(
    "/concerns/{concern_id}/answers",
    response_model=Created,
    status_code=201,
    dependencies=WRITE,
    responses=PARTICIPANT_WRITE,
    summary="Answer the other side's concern",
)
def answer(concern_id: IdPath, body: AnswerIn, store: StoreDep, who: ParticipantDep) -> Created:
    assert who.participant_id is not None
    return Created(
        id=concerns.answer_concern(
            store,
            participant_id=who.participant_id,
            concern_id=concern_id,
            text=body.text,
            translations=body.translations,
        )
    )


@router.post(
    "/concerns/{concern_id}/understood",
    dependencies=WRITE,
    responses=PARTICIPANT_WRITE,
    summary="Mark (or unmark) 'our view was understood'",
)
def understood(
    concern_id: IdPath, body: UnderstoodIn, store: StoreDep, who: ParticipantDep
) -> dict[str, str]:
    assert who.participant_id is not None
    state = concerns.mark_understood(
        store, participant_id=who.participant_id, concern_id=concern_id, understood=body.understood
    )
    return {"state": state}


@router.post(
    "/concerns/{concern_id}/withdraw",
    status_code=204,
    dependencies=WRITE,
    responses=PARTICIPANT_WRITE,
    summary="Withdraw your side's concern",
)
def withdraw(concern_id: IdPath, store: StoreDep, who: ParticipantDep) -> Response:
    assert who.participant_id is not None
    concerns.withdraw_concern(store, participant_id=who.participant_id, concern_id=concern_id)
    return Response(status_code=204)
