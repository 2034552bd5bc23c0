"""``/api`` for definitions, restatements, fairness ratings and concerns."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from alteram.errors import N_, Forbidden
from alteram.service import concerns, definitions
from alteram.service.access import Access
from alteram.web.access import ReaderDialogue, ReaderRound, TeamRound
from alteram.web.api.common import csrf_checked
from alteram.web.auth import FacilitatorDep, ParticipantDep
from alteram.web.deps import StoreDep
from alteram.web.i18n import choose_language

router = APIRouter(prefix="/api", tags=["understanding"])
WRITE = [Depends(csrf_checked)]


class NameIn(BaseModel):
    name: str


TRANSLATIONS = Field(
    default=None,
    description='The author\'s own translations, by language code (e.g. {"zh": "..."}).',
)


class TextIn(BaseModel):
    text: str
    translations: dict[str, str] | None = TRANSLATIONS


class ValueIn(BaseModel):
    value: int


class RestateIn(BaseModel):
    side_id: int
    text: str
    translations: dict[str, str] | None = TRANSLATIONS


class RatingIn(BaseModel):
    rating: str


class ConcernIn(BaseModel):
    title: str
    why_it_matters: str
    what_to_understand: str = ""
    translations: dict[str, dict[str, str]] | None = Field(
        default=None,
        description="The author's own translations: by language code, the fields title, why "
        'and understand (e.g. {"zh": {"title": "...", "why": "..."}}).',
    )


class UnderstoodIn(BaseModel):
    understood: bool = True


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
    summary="Name a concept both sides define (facilitators)",
)
def concept(
    round_id: int, body: NameIn, store: StoreDep, who: FacilitatorDep, access: TeamRound
) -> Created:
    return Created(id=definitions.add_concept(store, round_id=round_id, name=body.name))


@router.get(
    "/rounds/{round_id}/concepts",
    summary="Each concept: every side's definition, restatements and fairness",
)
def concepts(
    round_id: int, request: Request, store: StoreDep, access: ReaderRound
) -> list[dict[str, Any]]:
    _may_read(access)
    found = definitions.concepts_of_round(store, round_id=round_id, lang=choose_language(request))
    return [asdict(c) for c in found]


@router.post(
    "/concepts/{concept_id}/definitions",
    response_model=Created,
    status_code=201,
    dependencies=WRITE,
    summary="Say what the concept means to your side",
)
def define(concept_id: int, body: TextIn, store: StoreDep, who: ParticipantDep) -> Created:
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
    summary="Vote on one of your side's candidate definitions",
)
def vote_definition(
    definition_id: int, body: ValueIn, store: StoreDep, who: ParticipantDep
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
    summary="Restate the other side's definition in your words",
)
def restate(concept_id: int, body: RestateIn, store: StoreDep, who: ParticipantDep) -> Created:
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
    summary="Rate a restatement of your side's definition: fair, partly_fair, unfair",
)
def rate(restatement_id: int, body: RatingIn, store: StoreDep, who: ParticipantDep) -> Response:
    assert who.participant_id is not None
    definitions.rate_restatement(
        store, participant_id=who.participant_id, restatement_id=restatement_id, rating=body.rating
    )
    return Response(status_code=204)


@router.get("/dialogues/{dialogue_id}/concerns", summary="Every concern with its history")
def list_concerns(
    dialogue_id: int, request: Request, store: StoreDep, access: ReaderDialogue
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
    summary="Answer the other side's concern",
)
def answer(concern_id: int, body: TextIn, store: StoreDep, who: ParticipantDep) -> Created:
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
    summary="Mark (or unmark) 'our view was understood'",
)
def understood(
    concern_id: int, body: UnderstoodIn, store: StoreDep, who: ParticipantDep
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
    summary="Withdraw your side's concern",
)
def withdraw(concern_id: int, store: StoreDep, who: ParticipantDep) -> Response:
    assert who.participant_id is not None
    concerns.withdraw_concern(store, participant_id=who.participant_id, concern_id=concern_id)
    return Response(status_code=204)
