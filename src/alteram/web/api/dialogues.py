"""``/api/dialogues``: the dialogues with their sides and rounds, as JSON."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from alteram.service.dialogues import DialogueSummary, dialogue_summary, list_dialogues
from alteram.web.deps import StoreDep

router = APIRouter(prefix="/api/dialogues", tags=["dialogues"])


class SideOut(BaseModel):
    id: int
    name: str
    participants: int


class RoundEventOut(BaseModel):
    kind: str
    reason: str | None
    at: datetime


class RoundOut(BaseModel):
    id: int
    number: int
    title: str
    state: str
    starts_on: datetime | None
    ends_on: datetime | None
    statements: int
    votes: int
    events: list[RoundEventOut]


class DialogueOut(BaseModel):
    id: int
    title: str
    charter: str
    simulated: bool
    sides: list[SideOut]
    rounds: list[RoundOut]


def to_out(d: DialogueSummary) -> DialogueOut:
    return DialogueOut.model_validate(d, from_attributes=True)


@router.get("", response_model=list[DialogueOut], summary="List the dialogues")
def list_route(store: StoreDep) -> list[DialogueOut]:
    return [to_out(d) for d in list_dialogues(store)]


@router.get("/{dialogue_id}", response_model=DialogueOut, summary="One dialogue")
def show_route(dialogue_id: int, store: StoreDep) -> DialogueOut:
    return to_out(dialogue_summary(store, dialogue_id))
