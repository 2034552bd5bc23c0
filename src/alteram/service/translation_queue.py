"""A round's translation queue: what still needs a person's translation, most urgent first.

Every text of the round (and the dialogue's own: title, charter, side names) in every
language of the dialogue other than its own: first those with no translation, then those
whose translation the author's side disputes, then those translated only by machine; texts
a person has translated are listed last (or left out). Each entry carries the original, the
current translation, the newest machine suggestion and the better wordings the author's side
proposed, for a translator to work from side by side.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from alteram.service.languages import dialogue_languages
from alteram.service.lookup import get
from alteram.service.shown import faithfulness
from alteram.service.texts import Original, language_of, source_hash
from alteram.store.database import Store
from alteram.store.schema import (
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
    Translation,
    TranslationReview,
)

ORDER = {"untranslated": 0, "disputed": 1, "machine": 2, "done": 3}


@dataclass(frozen=True)
class QueueEntry:
    item: str
    item_id: int
    original: str
    original_language: str
    language: str
    status: str  # untranslated, disputed, machine, done
    side_id: int | None
    current: str | None = None
    current_kind: str | None = None
    current_id: int | None = None
    machine: str | None = None
    better_wordings: list[str] = field(default_factory=list)


def dialogue_texts(session: Session, dialogue: Dialogue) -> Iterator[Original]:
    """The dialogue's own texts: its title, charter and side names, as written."""
    d = dialogue.id
    yield Original("dialogue.title", d, d, dialogue.title, language_of(dialogue.title))
    if dialogue.charter:
        yield Original("dialogue.charter", d, d, dialogue.charter, language_of(dialogue.charter))
    for s in session.scalars(select(Side).where(Side.dialogue_id == d).order_by(Side.position)):
        yield Original("side.name", s.id, d, s.name, language_of(s.name))


def round_texts(session: Session, rnd: Round, *, with_dialogue: bool = True) -> Iterator[Original]:
    """Every text that belongs to a round (and the dialogue's own texts), as written."""
    dialogue = get(session, Dialogue, rnd.dialogue_id)
    d = dialogue.id

    def orig(
        item: str,
        i: int,
        text: str,
        lang: str | None = None,
        *,
        author: int | None = None,
        side: int | None = None,
    ) -> Original:
        return Original(item, i, d, text, language_of(text, lang), rnd.id, author, side)

    if with_dialogue:
        yield from dialogue_texts(session, dialogue)
    if rnd.title:
        yield orig("round.title", rnd.id, rnd.title)
    for t in session.scalars(select(Topic).where(Topic.round_id == rnd.id).order_by(Topic.id)):
        yield orig("topic.prompt", t.id, t.prompt)
    for e in session.scalars(
        select(RoundEvent).where(RoundEvent.round_id == rnd.id, RoundEvent.reason.is_not(None))
    ):
        if e.reason:
            yield orig("event.reason", e.id, e.reason)
    for st in session.scalars(
        select(Statement)
        .where(Statement.round_id == rnd.id, Statement.moderation != "rejected")
        .order_by(Statement.id)
    ):
        yield orig(
            "statement.text", st.id, st.text, st.language, author=st.author_id, side=st.side_id
        )
    concepts = session.scalars(select(Concept).where(Concept.round_id == rnd.id)).all()
    for c in concepts:
        yield orig("concept.name", c.id, c.name)
        for df in session.scalars(select(Definition).where(Definition.concept_id == c.id)):
            yield orig(
                "definition.text", df.id, df.text, df.language, author=df.author_id, side=df.side_id
            )
            for rs in session.scalars(
                select(Restatement).where(Restatement.definition_id == df.id)
            ):
                yield orig(
                    "restatement.text",
                    rs.id,
                    rs.text,
                    rs.language,
                    author=rs.author_id,
                    side=rs.side_id,
                )
    for cn in session.scalars(select(Concern).where(Concern.raised_in_round_id == rnd.id)):
        for item, text in (
            ("concern.title", cn.title),
            ("concern.why", cn.why_it_matters),
            ("concern.understand", cn.what_to_understand),
        ):
            if text:
                yield orig(item, cn.id, text, cn.language, author=cn.author_id, side=cn.side_id)
    for a in session.scalars(select(ConcernAnswer).where(ConcernAnswer.round_id == rnd.id)):
        yield orig("answer.text", a.id, a.text, a.language, author=a.author_id, side=a.side_id)


def translation_queue(
    store: Store, *, round_id: int, include_done: bool = False
) -> list[QueueEntry]:
    """The round's queue: untranslated, then disputed, then machine-made (then done)."""
    with store.read() as session:
        rnd = get(session, Round, round_id)
        languages = dialogue_languages(session, rnd.dialogue_id)
        texts = list(round_texts(session, rnd))
        rows: dict[tuple[str, int, str], list[Translation]] = {}
        for t in session.scalars(
            select(Translation)
            .where(Translation.dialogue_id == rnd.dialogue_id)
            .order_by(Translation.id)
        ):
            rows.setdefault((t.item, t.item_id, t.language), []).append(t)
        marks = faithfulness(session, [t.id for ts in rows.values() for t in ts])
        wordings: dict[int, list[str]] = {}
        for tid, wording in session.execute(
            select(TranslationReview.translation_id, TranslationReview.better_wording)
            .join(Translation, Translation.id == TranslationReview.translation_id)
            .where(
                Translation.dialogue_id == rnd.dialogue_id,
                TranslationReview.better_wording.is_not(None),
            )
            .order_by(TranslationReview.id)
        ):
            wordings.setdefault(tid, []).append(str(wording))
        out = []
        for src in texts:
            digest = source_hash(src.text)
            for language in languages:
                if language == src.language:
                    continue
                made = [
                    t
                    for t in rows.get((src.item, src.item_id, language), [])
                    if t.source_hash == digest
                ]
                people = [t for t in made if t.kind != "machine"]
                machines = [t for t in made if t.kind == "machine"]
                current = (people or machines)[-1] if made else None
                if current is None:
                    status = "untranslated"
                elif marks.get(current.id) == "disputed":
                    status = "disputed"
                elif current.kind == "machine":
                    status = "machine"
                else:
                    status = "done"
                if status == "done" and not include_done:
                    continue
                out.append(
                    QueueEntry(
                        src.item,
                        src.item_id,
                        src.text,
                        src.language,
                        language,
                        status,
                        src.side_id,
                        current.text if current else None,
                        current.kind if current else None,
                        current.id if current else None,
                        machines[-1].text if machines else None,
                        wordings.get(current.id, []) if current else [],
                    )
                )
        out.sort(key=lambda e: ORDER[e.status])
        return out
