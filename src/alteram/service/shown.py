"""Texts as a reader sees them: in the reader's language where a translation exists.

A :class:`Shown` is what a page or an API answer shows of one text: the words in the
reader's language with their kind of translation and its faithfulness, and the original
beside them. :class:`TextReader` looks translations up for one dialogue and one reader, a
whole kind of item at a time, so that a page of many texts costs a few queries.

Which translation counts: the newest one by a person (author or translator), else the
newest by machine, among those made from the current wording of the original.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from alteram.service.languages import dialogue_languages, reading_language
from alteram.service.texts import source_hash
from alteram.store.schema import Dialogue, TextEdit, Translation, TranslationReview

# The texts the facilitation team may edit (the earlier wording is kept and shown as edited).
EDITABLE = frozenset(
    {"dialogue.title", "dialogue.charter", "side.name", "round.title", "topic.prompt"}
)

State = Literal["original", "translated", "untranslated", "pending"]
Faithfulness = Literal["unreviewed", "confirmed", "disputed"]


@dataclass(frozen=True)
class Shown:
    """One text as shown to one reader. ``str(shown)`` is the words shown."""

    text: str
    language: str
    original: str
    original_language: str
    state: State
    kind: str | None = None
    translation_id: int | None = None
    faithfulness: Faithfulness | None = None
    edited: bool = False  # the team edited the original (its earlier wording is kept)

    def __str__(self) -> str:
        return self.text

    def __len__(self) -> int:
        return len(self.text)

    @property
    def disputed(self) -> bool:
        return self.faithfulness == "disputed"

    def as_dict(self) -> dict[str, object]:
        """The JSON form an API answer carries beside the text."""
        return {
            "language": self.language,
            "state": self.state,
            "kind": self.kind,
            "translation_id": self.translation_id,
            "faithfulness": self.faithfulness,
            "original": self.original,
            "original_language": self.original_language,
            "edited": self.edited,
        }


def as_original(text: str, language: str) -> Shown:
    """A text shown as written (no reader language, or nothing to translate)."""
    return Shown(text, language, text, language, "original")


@dataclass
class _Row:
    id: int
    text: str
    kind: str
    source_hash: str


@dataclass
class _Loaded:
    rows: dict[int, list[_Row]] = field(default_factory=dict)
    reviews: dict[int, Faithfulness] = field(default_factory=dict)


class TextReader:
    """Translations of one dialogue's texts for one reader's language.

    Parameters
    ----------
    session : Session
        An open transaction.
    dialogue_id : int
        The dialogue whose texts are read.
    wanted : str or None
        The reader's language (the interface's); None shows every text as written.
    """

    def __init__(self, session: Session, dialogue_id: int, wanted: str | None) -> None:
        self.session = session
        self.dialogue_id = dialogue_id
        self.languages = dialogue_languages(session, dialogue_id)
        self.language = reading_language(self.languages, wanted) if wanted else None
        machine = session.scalar(
            select(Dialogue.machine_translation).where(Dialogue.id == dialogue_id)
        )
        self.machine = bool(machine)
        self._loaded: dict[str, _Loaded] = {}
        self._only: dict[str, set[int]] = {}
        self._edited: set[tuple[str, int]] | None = None

    def only(self, item: str, ids: set[int]) -> TextReader:
        """Look up just these rows of ``item`` (a page showing one or two texts)."""
        self._only[item] = set(ids)
        return self

    def show(self, item: str, item_id: int, text: str, language: str) -> Shown:
        """The text ``item`` of row ``item_id`` (written ``text`` in ``language``)."""
        edited = item in EDITABLE and (item, item_id) in self.edited()
        if self.language is None or language == self.language or not text:
            return replace(as_original(text, language), edited=edited)
        loaded = self._load(item)
        wanted_hash = source_hash(text)
        rows = [r for r in loaded.rows.get(item_id, []) if r.source_hash == wanted_hash]
        people = [r for r in rows if r.kind != "machine"]
        best = (people or rows)[-1] if rows else None
        if best is None:
            state: State = "pending" if self.machine else "untranslated"
            return Shown(text, language, text, language, state, edited=edited)
        return Shown(
            best.text,
            self.language,
            text,
            language,
            "translated",
            best.kind,
            best.id,
            loaded.reviews.get(best.id, "unreviewed"),
            edited,
        )

    def edited(self) -> set[tuple[str, int]]:
        """The texts of the dialogue the team has edited."""
        if self._edited is None:
            self._edited = {
                (item, item_id)
                for item, item_id in self.session.execute(
                    select(TextEdit.item, TextEdit.item_id).where(
                        TextEdit.dialogue_id == self.dialogue_id
                    )
                )
            }
        return self._edited

    def _load(self, item: str) -> _Loaded:
        if item in self._loaded:
            return self._loaded[item]
        query = select(
            Translation.id,
            Translation.item_id,
            Translation.text,
            Translation.kind,
            Translation.source_hash,
        ).where(
            Translation.dialogue_id == self.dialogue_id,
            Translation.item == item,
            Translation.language == self.language,
        )
        if item in self._only:
            query = query.where(Translation.item_id.in_(sorted(self._only[item])))
        loaded = _Loaded()
        for tid, item_id, text, kind, digest in self.session.execute(
            query.order_by(Translation.id)
        ):
            loaded.rows.setdefault(item_id, []).append(_Row(tid, text, kind, digest))
        ids = [r.id for rows in loaded.rows.values() for r in rows]
        loaded.reviews = faithfulness(self.session, ids)
        self._loaded[item] = loaded
        return loaded


def faithfulness(session: Session, translation_ids: list[int]) -> dict[int, Faithfulness]:
    """Each translation's standing with the author's side.

    Every reviewer's latest mark counts: one "does not say what we meant" makes the
    translation disputed (until a new translation replaces it); otherwise one "says what we
    meant" confirms it. Translations nobody marked are left out of the answer.
    """
    latest: dict[tuple[int, int], bool] = {}
    for start in range(0, len(translation_ids), 500):
        chunk = translation_ids[start : start + 500]
        for tid, pid, ok in session.execute(
            select(
                TranslationReview.translation_id,
                TranslationReview.participant_id,
                TranslationReview.faithful,
            )
            .where(TranslationReview.translation_id.in_(chunk))
            .order_by(TranslationReview.id)
        ):
            latest[(tid, pid)] = bool(ok)
    out: dict[int, Faithfulness] = {}
    for (tid, _), ok in latest.items():
        if not ok:
            out[tid] = "disputed"
        elif out.get(tid) != "disputed":
            out[tid] = "confirmed"
    return out
