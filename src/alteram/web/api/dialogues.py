"""``/api/dialogues``: the dialogues with their sides and rounds, as JSON."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from pydantic import BaseModel

from alteram.service.dialogues import DialogueSummary, dialogue_summary, list_dialogues
from alteram.web.access import actor_of
from alteram.web.api.common import ShownOut, errors
from alteram.web.deps import StoreDep
from alteram.web.i18n import choose_language
from alteram.web.params import IdPath

router = APIRouter(prefix="/api/dialogues", tags=["dialogues"])


class SideOut(BaseModel):
    id: int
    name: ShownOut
    participants: int


class RoundEventOut(BaseModel):
    kind: str
    reason: ShownOut | None
    at: datetime


class RoundOut(BaseModel):
    id: int
    number: int
    title: ShownOut
    state: str
    starts_on: datetime | None
    ends_on: datetime | None
    statements: int
    votes: int
    events: list[RoundEventOut]


class DialogueOut(BaseModel):
    id: int
    title: ShownOut
    charter: ShownOut
    simulated: bool
    sides: list[SideOut]
    rounds: list[RoundOut]
    languages: list[str]
    machine_translation: bool


def to_out(d: DialogueSummary) -> DialogueOut:
    return DialogueOut.model_validate(d, from_attributes=True)


@router.get(
    "",
    response_model=list[DialogueOut],
    responses=errors(validated=False),
    summary="List the dialogues",
)
def list_route(request: Request, store: StoreDep) -> list[DialogueOut]:
    found = list_dialogues(store, lang=choose_language(request), actor=actor_of(request))
    return [to_out(d) for d in found]


@router.get(
    "/{dialogue_id}", response_model=DialogueOut, responses=errors(404), summary="One dialogue"
)
def show_route(dialogue_id: IdPath, request: Request, store: StoreDep) -> DialogueOut:
    return to_out(
        dialogue_summary(store, dialogue_id, lang=choose_language(request), actor=actor_of(request))
    )
