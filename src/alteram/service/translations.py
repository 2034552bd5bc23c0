"""Writing translations and marking their faithfulness.

Who translates: the author of a text (kind ``author``), a member of the dialogue given the
translator duty or a facilitator (kind ``translator``), or a machine backend the facilitator
turned on (kind ``machine``, see :mod:`alteram.service.machine_translation`). Each
translation is a new row; the earlier ones stay as history.

Who checks: members of the author's side say whether a translation says what they meant.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from alteram.errors import N_, Forbidden, InvalidInput, NotFound
from alteram.moves import detect_language
from alteram.service import ratelimit
from alteram.service.languages import dialogue_languages
from alteram.service.lookup import MAX_ID, get
from alteram.service.textcheck import clean
from alteram.service.texts import BY_PARTICIPANTS, Original, original
from alteram.store.database import Store
from alteram.store.schema import Participant, Translation, TranslationReview

# A translation may be longer than its original (Chinese to English about 3x the characters).
MAX_TRANSLATION = 3000
DETECTABLE = ("en", "zh")
LANGUAGE_NAMES = {"en": N_("English"), "zh": N_("Chinese")}


@dataclass(frozen=True)
class TranslationMade:
    id: int
    kind: str


def check_translation(text: str, *, language: str, source: Original) -> str:
    """The translation's text, cleaned, or :class:`InvalidInput` saying what is wrong."""
    text = clean(text, "translation")
    body = " ".join(text.split()) if "\n" not in source.text else text.strip()
    if not body:
        raise InvalidInput(
            N_("a translation cannot be empty."),
            hint=N_("Write the text in the other language, or leave the field out."),
        )
    limit = max(MAX_TRANSLATION, 3 * len(source.text))
    if len(body) > limit:
        raise InvalidInput(
            N_("a translation has at most %(limit)s characters; this one has %(length)s."),
            params={"limit": limit, "length": len(body)},
        )
    if language in DETECTABLE and detect_language(body) != language:
        raise InvalidInput(
            N_("this translation is not in %(language)s: it reads as %(found)s."),
            terms={
                "language": LANGUAGE_NAMES[language],
                "found": LANGUAGE_NAMES[detect_language(body)],
            },
            hint=N_("Write it in the language it is meant for."),
        )
    if body == " ".join(source.text.split()):
        raise InvalidInput(N_("a translation must differ from the original text."))
    return body


def _target(session: Session, source: Original, language: str) -> str:
    languages = dialogue_languages(session, source.dialogue_id)
    if language not in languages:
        raise InvalidInput(
            N_("%(language)r is not a language of this dialogue; it is held in %(languages)s."),
            params={"language": language, "languages": ", ".join(languages)},
        )
    if language == source.language:
        raise InvalidInput(
            N_("this text is written in %(language)s already; translate it into another."),
            params={"language": language},
        )
    return language


def store_translation(
    session: Session,
    source: Original,
    *,
    language: str,
    text: str,
    kind: str,
    participant_id: int | None = None,
    account_id: int | None = None,
) -> int:
    """Check and add one translation row inside an open transaction; returns its id."""
    _target(session, source, language)
    body = check_translation(text, language=language, source=source)
    row = Translation(
        dialogue_id=source.dialogue_id,
        item=source.item,
        item_id=source.item_id,
        language=language,
        text=body,
        kind=kind,
        source_hash=source.source_hash,
        participant_id=participant_id,
        account_id=account_id,
    )
    session.add(row)
    session.flush()
    return row.id


def add_author_translations(
    session: Session,
    source: Original,
    translations: Mapping[str, str] | None,
    *,
    participant_id: int,
) -> None:
    """The author's own translations given when writing (empty fields are skipped)."""
    for language, text in (translations or {}).items():
        if text and text.strip():
            store_translation(
                session,
                source,
                language=language,
                text=text,
                kind="author",
                participant_id=participant_id,
            )


def translate(
    store: Store,
    *,
    item: str,
    item_id: int,
    language: str,
    text: str,
    participant_id: int | None = None,
    account_id: int | None = None,
) -> TranslationMade:
    """A person's translation of one text: the author's, a translator's or a facilitator's.

    ``account_id`` is a facilitator's (the caller checked that they run the dialogue);
    ``participant_id`` a member's, who must be the text's author or hold the translator
    duty in the text's dialogue.
    """
    with store.write() as session:
        source = original(session, item, item_id)
        if account_id is not None:
            kind = "translator"
        else:
            if participant_id is None:
                raise Forbidden(N_("only people of the dialogue translate its texts."))
            person = get(session, Participant, participant_id)
            if person.dialogue_id != source.dialogue_id:
                raise NotFound(
                    N_("%(what)s %(id)s does not exist."),
                    params={"id": item_id},
                    terms={"what": N_("text")},
                )
            if source.author_id == person.id:
                kind = "author"
            elif person.translator:
                kind = "translator"
            else:
                raise Forbidden(
                    N_(
                        "only the author of a text, or a member with the translator duty, "
                        "translates it."
                    ),
                    hint=N_(
                        "Say whether the translation says what was meant instead, or ask "
                        "the facilitator for the translator duty."
                    ),
                )
        tid = store_translation(
            session,
            source,
            language=language,
            text=text,
            kind=kind,
            participant_id=None if account_id is not None else participant_id,
            account_id=account_id,
        )
        if account_id is None:
            ratelimit.charge(session, "text", participant=participant_id)
        return TranslationMade(tid, kind)


def review_translation(
    store: Store,
    *,
    translation_id: int,
    participant_id: int,
    faithful: bool,
    better_wording: str | None = None,
) -> int:
    """A member of the author's side: the translation says what we meant, or it does not.

    A better wording may come with "it does not"; it waits in the translation queue for a
    translator. Returns the review's id.
    """
    with store.write() as session:
        known = 1 <= translation_id <= MAX_ID
        row = session.get(Translation, translation_id) if known else None
        person = get(session, Participant, participant_id)
        if row is None or row.dialogue_id != person.dialogue_id:
            raise NotFound(
                N_("translation %(id)s does not exist."),
                params={"id": translation_id},
                hint=N_("Reload the page to see the current translations."),
            )
        source = original(session, row.item, row.item_id)
        if row.item not in BY_PARTICIPANTS or source.side_id is None:
            raise Forbidden(
                N_("the facilitators' texts are checked by the facilitation team."),
            )
        if person.side_id != source.side_id or person.role == "observer":
            raise Forbidden(
                N_(
                    "only members of the side that wrote a text say whether its translation "
                    "says what they meant."
                ),
            )
        wording = None
        if better_wording and better_wording.strip():
            if faithful:
                raise InvalidInput(
                    N_("a better wording comes with 'does not say what we meant'."),
                )
            wording = check_translation(better_wording, language=row.language, source=source)
        review = TranslationReview(
            translation_id=row.id,
            participant_id=person.id,
            faithful=faithful,
            better_wording=wording,
        )
        session.add(review)
        session.flush()
        ratelimit.charge(session, "mark", participant=person.id)
        return review.id


def translation_history(
    store: Store, *, item: str, item_id: int, language: str
) -> list[dict[str, object]]:
    """Every translation of one text into one language, oldest first, with its marks."""
    with store.read() as session:
        original(session, item, item_id)
        rows = session.scalars(
            select(Translation)
            .where(
                Translation.item == item,
                Translation.item_id == item_id,
                Translation.language == language,
            )
            .order_by(Translation.id)
        ).all()
        return [
            {
                "id": r.id,
                "kind": r.kind,
                "text": r.text,
                "created_at": r.created_at.isoformat(),
                "participant_id": r.participant_id,
                "account_id": r.account_id,
                "source_hash": r.source_hash,
            }
            for r in rows
        ]


def set_translator(store: Store, *, participant_id: int, translator: bool) -> None:
    """Give a member the translator duty, or take it back (facilitators decide)."""
    with store.write() as session:
        person = get(session, Participant, participant_id, lock=True)
        if person.role == "observer" and translator:
            raise InvalidInput(
                N_("an observer reads the dialogue and does not translate it."),
                hint=N_("Give the duty to a participant or a delegate."),
            )
        person.translator = translator
