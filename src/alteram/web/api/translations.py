"""``/api`` for translations: write one, say whether it says what was meant, the queue."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from alteram.errors import N_, Forbidden
from alteram.service import translations
from alteram.service.access import dialogue_access
from alteram.service.lookup import get
from alteram.service.machine_translation import set_machine_translation
from alteram.service.texts import original
from alteram.service.translation_checks import texts_to_check
from alteram.service.translation_queue import translation_queue
from alteram.store.schema import TRANSLATABLE, Participant, Round
from alteram.web.access import TeamDialogue, TeamParticipant, actor_of, check
from alteram.web.api.common import csrf_checked, errors, text_field
from alteram.web.auth import FacilitatorDep, NotSignedIn, ParticipantDep, principal
from alteram.web.deps import StoreDep
from alteram.web.params import IdPath, StrictBodyId

router = APIRouter(prefix="/api", tags=["translations"])
WRITE = [Depends(csrf_checked)]


class TranslationIn(BaseModel):
    item: Literal[TRANSLATABLE] = Field(  # type: ignore[valid-type]
        description=f"Which text: one of {', '.join(TRANSLATABLE)}."
    )
    item_id: StrictBodyId = Field(description="The id of the row the text belongs to.")
    language: str = text_field(
        "language", description="The language of the translation (en, zh, ...)."
    )
    text: str = text_field("translation")


class TranslationOut(BaseModel):
    id: int
    kind: str = Field(description="author, translator or machine.")


class ReviewIn(BaseModel):
    faithful: bool = Field(
        strict=True, description="true: it says what we meant; false: it does not."
    )
    better_wording: str | None = text_field(
        "translation", default=None, description="With faithful=false: a better translation."
    )


class ReviewOut(BaseModel):
    id: int


@router.post(
    "/translations",
    response_model=TranslationOut,
    status_code=201,
    dependencies=WRITE,
    responses=errors(401, 403, 404, 422, 429),
    summary="Translate a text (its author, a member with the translator duty, a facilitator)",
)
def translate(body: TranslationIn, request: Request, store: StoreDep) -> TranslationOut:
    who = principal(request)
    if who is None:
        raise NotSignedIn(N_("translating needs a participant's or a facilitator's session."))
    if who.is_facilitator:
        team_of_text(request, store, body.item, body.item_id)
    made = translations.translate(
        store,
        item=body.item,
        item_id=body.item_id,
        language=body.language,
        text=body.text,
        participant_id=who.participant_id if not who.is_facilitator else None,
        account_id=who.account_id if who.is_facilitator else None,
    )
    return TranslationOut(id=made.id, kind=made.kind)


@router.post(
    "/translations/{translation_id}/reviews",
    response_model=ReviewOut,
    status_code=201,
    dependencies=WRITE,
    responses=errors(401, 403, 404, 422, 429),
    summary="Say whether a translation of your side's text says what was meant",
)
def review(
    translation_id: IdPath, body: ReviewIn, store: StoreDep, who: ParticipantDep
) -> ReviewOut:
    assert who.participant_id is not None
    rid = translations.review_translation(
        store,
        translation_id=translation_id,
        participant_id=who.participant_id,
        faithful=body.faithful,
        better_wording=body.better_wording,
    )
    return ReviewOut(id=rid)


def team_of_text(request: Request, store: StoreDep, item: str, item_id: int) -> None:
    """A facilitator translates only the texts of dialogues their team runs."""
    with store.read() as session:
        source = original(session, item, item_id)
        dialogue_access(session, actor_of(request), source.dialogue_id, need="team")


def may_translate_round(request: Request, store: StoreDep, round_id: int) -> None:
    """The dialogue's facilitation team, and its members with the translator duty."""
    who = principal(request)
    if who is None:
        raise NotSignedIn(N_("the translation queue needs a translator's session."))
    if check(request, "round", round_id).is_team:
        return
    with store.read() as session:
        rnd = get(session, Round, round_id)
        person = session.get(Participant, who.participant_id)
        if person is None or person.dialogue_id != rnd.dialogue_id or not person.translator:
            raise Forbidden(
                N_("the translation queue is for the facilitators and the dialogue's translators."),
                hint=N_("Ask a facilitator for the translator duty."),
            )


@router.get(
    "/rounds/{round_id}/translation-queue",
    responses=errors(401, 403, 404),
    summary="What needs translating: untranslated, then disputed, then machine-made",
)
def queue(
    round_id: IdPath, request: Request, store: StoreDep, include_done: bool = False
) -> list[dict[str, Any]]:
    may_translate_round(request, store, round_id)
    entries = translation_queue(store, round_id=round_id, include_done=include_done)
    return [asdict(e) for e in entries]


@router.get(
    "/rounds/{round_id}/translations-to-check",
    responses=errors(401, 403, 404),
    summary="Translations of your side's texts in a round, to say whether they say what you meant",
)
def to_check(round_id: IdPath, store: StoreDep, who: ParticipantDep) -> list[dict[str, Any]]:
    assert who.participant_id is not None
    found = texts_to_check(store, participant_id=who.participant_id, round_id=round_id)
    return [asdict(c) for c in found]


class DutyIn(BaseModel):
    translator: bool = Field(
        strict=True, description="true: give the translator duty; false: take it back."
    )


@router.post(
    "/participants/{participant_id}/translator",
    status_code=204,
    dependencies=WRITE,
    responses=errors(401, 403, 404),
    summary="Give a member the translator duty, or take it back (facilitators)",
)
def duty(
    participant_id: IdPath,
    body: DutyIn,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamParticipant,
) -> Response:
    translations.set_translator(store, participant_id=participant_id, translator=body.translator)
    return Response(status_code=204)


class MachineIn(BaseModel):
    enabled: bool = Field(
        strict=True, description="Send this dialogue's texts to the translation service."
    )


class MachineOut(BaseModel):
    enabled: bool
    queued: int = Field(description="Translation jobs queued for texts without a translation.")


@router.post(
    "/dialogues/{dialogue_id}/machine-translation",
    response_model=MachineOut,
    dependencies=WRITE,
    responses=errors(401, 403, 404, 409),
    summary="Turn machine translation on or off for a dialogue (facilitators; off by default)",
)
def machine(
    dialogue_id: IdPath,
    body: MachineIn,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamDialogue,
) -> MachineOut:
    queued = set_machine_translation(store, dialogue_id=dialogue_id, enabled=body.enabled)
    return MachineOut(enabled=body.enabled, queued=queued)
