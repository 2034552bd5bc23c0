"""The texts people write, as translatable items: where each lives and who wrote it.

Every translatable text is named by an *item* (``statement.text``, ``concern.why``, ...,
:data:`alteram.store.schema.TRANSLATABLE`) and the id of its row. :func:`original` reads
one text as written, with its language, its dialogue, round, author and side: what a
translation of it needs to know.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy.orm import Session

from alteram.errors import N_, InvalidInput
from alteram.moves import detect_language
from alteram.service.lookup import get
from alteram.store.schema import (
    TRANSLATABLE,
    Concept,
    Concern,
    ConcernAnswer,
    Definition,
    Dialogue,
    Restatement,
    Round,
    RoundEvent,
    Side,
    Statement,
    Topic,
)

# Items written by a participant of a side: that side checks their translations.
BY_PARTICIPANTS = frozenset(
    {
        "statement.text",
        "definition.text",
        "restatement.text",
        "concern.title",
        "concern.why",
        "concern.understand",
        "answer.text",
    }
)


@dataclass(frozen=True)
class Original:
    """One text as written."""

    item: str
    item_id: int
    dialogue_id: int
    text: str
    language: str
    round_id: int | None = None
    author_id: int | None = None
    side_id: int | None = None

    @property
    def source_hash(self) -> str:
        return source_hash(self.text)


def source_hash(text: str) -> str:
    """The fingerprint of an original that a translation records."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def language_of(text: str, stored: str | None = None) -> str:
    """The stored language of a text, else the detected one (English or Chinese)."""
    if stored and stored != "und":
        return stored
    return detect_language(text)


def check_item(item: str) -> str:
    if item not in TRANSLATABLE:
        raise InvalidInput(
            N_("%(item)r is not a text that can be translated; use one of %(items)s."),
            params={"item": item, "items": ", ".join(TRANSLATABLE)},
        )
    return item


def original(session: Session, item: str, item_id: int) -> Original:
    """The text ``item`` of row ``item_id`` as written (:class:`NotFound` if none)."""
    check_item(item)
    kind, _, field = item.partition(".")
    if kind == "dialogue":
        d = get(session, Dialogue, item_id)
        text = d.title if field == "title" else d.charter
        return Original(item, d.id, d.id, text, language_of(text))
    if kind == "side":
        s = get(session, Side, item_id)
        return Original(item, s.id, s.dialogue_id, s.name, language_of(s.name))
    if kind == "round":
        r = get(session, Round, item_id)
        return Original(item, r.id, r.dialogue_id, r.title, language_of(r.title), r.id)
    if kind in ("topic", "concept", "event"):
        row: Topic | Concept | RoundEvent
        if kind == "topic":
            row = get(session, Topic, item_id)
            value = row.prompt
        elif kind == "concept":
            row = get(session, Concept, item_id)
            value = row.name
        else:
            row = get(session, RoundEvent, item_id)
            value = row.reason or ""
        rnd = get(session, Round, row.round_id)
        return Original(item, row.id, rnd.dialogue_id, value, language_of(value), rnd.id)
    if kind == "statement":
        st = get(session, Statement, item_id)
        return Original(
            item,
            st.id,
            st.dialogue_id,
            st.text,
            language_of(st.text, st.language),
            st.round_id,
            st.author_id,
            st.side_id,
        )
    if kind in ("definition", "restatement"):
        if kind == "restatement":
            rs = get(session, Restatement, item_id)
            concept = get(session, Concept, get(session, Definition, rs.definition_id).concept_id)
            row_text, row_lang, author, side = rs.text, rs.language, rs.author_id, rs.side_id
        else:
            df = get(session, Definition, item_id)
            concept = get(session, Concept, df.concept_id)
            row_text, row_lang, author, side = df.text, df.language, df.author_id, df.side_id
        rnd = get(session, Round, concept.round_id)
        return Original(
            item,
            item_id,
            rnd.dialogue_id,
            row_text,
            language_of(row_text, row_lang),
            rnd.id,
            author,
            side,
        )
    if kind == "concern":
        c = get(session, Concern, item_id)
        value = {"title": c.title, "why": c.why_it_matters, "understand": c.what_to_understand}[
            field
        ]
        return Original(
            item,
            c.id,
            c.dialogue_id,
            value,
            language_of(value, c.language),
            c.raised_in_round_id,
            c.author_id,
            c.side_id,
        )
    a = get(session, ConcernAnswer, item_id)
    concern = get(session, Concern, a.concern_id)
    return Original(
        item,
        a.id,
        concern.dialogue_id,
        a.text,
        language_of(a.text, a.language),
        a.round_id,
        a.author_id,
        a.side_id,
    )
