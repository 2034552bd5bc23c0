"""Machine translation: off by default, per dialogue, always off the request path.

A facilitator turns it on for a dialogue (only when the server has a backend configured,
``ALTERAM_TRANSLATION_BACKEND``); from then on every text of the dialogue that lacks a
translation into one of its languages gets a ``translation`` job, enqueued in the same
transaction as the text. A worker sends the text to the backend and stores what comes back
as a translation of kind ``machine``; a backend that is slow, down or answers garbage makes
the job fail and come back later (with back-off), and nothing empty is ever stored. Texts of
a dialogue without machine translation never leave the server.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alteram.backends import BackendError, Translator, translator_from_settings
from alteram.config import Settings, get_settings
from alteram.errors import N_, AlteramError, Conflict, InvalidInput, StoreUnavailable
from alteram.service.jobs import enqueue, register
from alteram.service.languages import dialogue_languages
from alteram.service.lookup import get
from alteram.service.texts import Original, original, source_hash
from alteram.service.translation_queue import dialogue_texts, round_texts
from alteram.service.translations import add_author_translations, store_translation
from alteram.store.database import Store
from alteram.store.schema import Dialogue, Round, Translation

KIND = "translation"
MAX_ATTEMPTS = 8
log = logging.getLogger(__name__)


class TranslationNotUsable(AlteramError):
    """The backend answered, but not with a translation alteram can store: try again later."""

    code = "translation_not_usable"
    status = 502


def _key(item: str, item_id: int, language: str) -> str:
    return f"{item}:{item_id}:{language}"


def _translated(session: Session, source: Original, language: str) -> bool:
    """True when a person already translated the current wording into ``language``."""
    found = session.scalar(
        select(Translation.id)
        .where(
            Translation.item == source.item,
            Translation.item_id == source.item_id,
            Translation.language == language,
            Translation.source_hash == source.source_hash,
        )
        .limit(1)
    )
    return found is not None


def request_translations(session: Session, source: Original) -> int:
    """Enqueue a job per missing language of ``source`` when its dialogue has it on.

    Call inside the write transaction that stored the text; returns how many were queued.
    """
    on = session.scalar(
        select(Dialogue.machine_translation).where(Dialogue.id == source.dialogue_id)
    )
    if not on or not source.text:
        return 0
    queued = 0
    for language in dialogue_languages(session, source.dialogue_id):
        if language == source.language or _translated(session, source, language):
            continue
        job = enqueue(
            session,
            kind=KIND,
            payload={"item": source.item, "item_id": source.item_id, "language": language},
            dialogue_id=source.dialogue_id,
            key=_key(source.item, source.item_id, language),
            max_attempts=MAX_ATTEMPTS,
        )
        queued += job is not None
    return queued


def set_machine_translation(store: Store, *, dialogue_id: int, enabled: bool) -> int:
    """Turn machine translation on or off for a dialogue; returns the jobs queued.

    Turning it on queues a job for every text that has no translation yet.
    """
    if enabled and translator_from_settings(get_settings()) is None:
        raise Conflict(
            N_("this server has no machine-translation service configured."),
            hint=N_(
                "Set ALTERAM_TRANSLATION_BACKEND (libretranslate or llm) and its URL, restart "
                "alteram, then turn it on; until then people translate."
            ),
        )
    with store.write() as session:
        dialogue = get(session, Dialogue, dialogue_id, lock=True)
        dialogue.machine_translation = enabled
        session.flush()
        if not enabled:
            return 0
        queued = sum(request_translations(session, t) for t in dialogue_texts(session, dialogue))
        for rnd in session.scalars(select(Round).where(Round.dialogue_id == dialogue.id)):
            queued += sum(
                request_translations(session, t)
                for t in round_texts(session, rnd, with_dialogue=False)
            )
        return queued


_cached: tuple[Settings, Translator | None] | None = None


def _translator() -> Translator | None:
    """This process's translator (one per settings, so a backend's languages are read once)."""
    global _cached
    settings = get_settings()
    if _cached is None or _cached[0] is not settings:
        _cached = (settings, translator_from_settings(settings))
    return _cached[1]


def after_writing(
    session: Session,
    source: Original,
    translations: Mapping[str, str] | None = None,
    *,
    participant_id: int | None = None,
) -> None:
    """A new text: store its author's own translations, then ask the machine for the rest."""
    if translations and participant_id is not None:
        add_author_translations(session, source, translations, participant_id=participant_id)
    session.flush()
    request_translations(session, source)


@register(KIND)
def translate_job(store: Store, payload: dict[str, Any]) -> None:
    """Translate one text into one language by machine, unless that is no longer needed."""
    try:
        item, item_id, language = payload["item"], int(payload["item_id"]), payload["language"]
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidInput(f"a translation job needs item, item_id and language: {exc}") from exc
    with store.read() as session:
        source = original(session, item, item_id)
        on = get(session, Dialogue, source.dialogue_id).machine_translation
        if not on or _translated(session, source, language):
            return  # turned off since, or a person translated it: nothing to send
    translator = _translator()
    if translator is None:
        raise Conflict(
            N_("this server has no machine-translation service configured."),
            hint=N_("Set ALTERAM_TRANSLATION_BACKEND and its URL, then restart alteram."),
        )
    try:
        text = translator.translate(source.text, source=source.language, target=language)
    except BackendError as exc:
        log.warning("translation of %s %s into %s: %s", item, item_id, language, exc)
        raise
    with store.write() as session:
        now = original(session, item, item_id)
        if source_hash(now.text) != source.source_hash or _translated(session, now, language):
            return  # the text changed or a person translated it meanwhile
        try:
            store_translation(session, now, language=language, text=text, kind="machine")
        except InvalidInput as exc:  # garbage that passed the backend's checks: try later
            log.warning("machine translation of %s %s refused: %s", item, item_id, exc)
            raise TranslationNotUsable(
                f"the machine translation of {item} {item_id} into {language} was refused: {exc}"
            ) from exc
        except StoreUnavailable:
            raise
