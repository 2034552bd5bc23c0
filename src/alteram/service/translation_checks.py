"""What a side checks: the current translations of the texts its members wrote.

The author of a text sees theirs first; each entry says how the side stands on it so far
and what this member said, so the page can ask "does this say what you meant?".
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from alteram.errors import N_, Forbidden
from alteram.service.lookup import get
from alteram.service.shown import faithfulness
from alteram.service.texts import BY_PARTICIPANTS, source_hash
from alteram.service.translation_queue import round_texts
from alteram.store.database import Store
from alteram.store.schema import Participant, Round, Translation, TranslationReview


@dataclass(frozen=True)
class ToCheck:
    translation_id: int
    item: str
    item_id: int
    original: str
    original_language: str
    language: str
    text: str
    kind: str
    mine: bool  # the reader wrote the original
    standing: str  # unreviewed, confirmed, disputed
    my_mark: bool | None  # what this member said last (None: nothing yet)


def texts_to_check(store: Store, *, participant_id: int, round_id: int) -> list[ToCheck]:
    """Current translations of the round's texts written by the reader's side."""
    with store.read() as session:
        person = get(session, Participant, participant_id)
        rnd = get(session, Round, round_id)
        if rnd.dialogue_id != person.dialogue_id:
            raise Forbidden(N_("this round belongs to another dialogue than yours."))
        texts = [
            t
            for t in round_texts(session, rnd)
            if t.item in BY_PARTICIPANTS and t.side_id == person.side_id
        ]
        rows: dict[tuple[str, int], list[Translation]] = {}
        for t in session.scalars(
            select(Translation)
            .where(Translation.dialogue_id == rnd.dialogue_id)
            .order_by(Translation.id)
        ):
            rows.setdefault((t.item, t.item_id), []).append(t)
        mine: dict[int, bool] = dict(
            session.execute(
                select(TranslationReview.translation_id, TranslationReview.faithful)
                .where(TranslationReview.participant_id == person.id)
                .order_by(TranslationReview.id)
            ).all()
        )
        chosen: list[tuple[Translation, bool, str, str]] = []
        for src in texts:
            digest = source_hash(src.text)
            by_language: dict[str, list[Translation]] = {}
            for t in rows.get((src.item, src.item_id), []):
                if t.source_hash == digest:
                    by_language.setdefault(t.language, []).append(t)
            for made in by_language.values():
                people = [t for t in made if t.kind != "machine"]
                chosen.append(
                    ((people or made)[-1], src.author_id == person.id, src.text, src.language)
                )
        standing = faithfulness(session, [t.id for t, *_ in chosen])
        out = [
            ToCheck(
                t.id,
                t.item,
                t.item_id,
                original,
                language,
                t.language,
                t.text,
                t.kind,
                is_mine,
                standing.get(t.id, "unreviewed"),
                mine.get(t.id),
            )
            for t, is_mine, original, language in chosen
        ]
        out.sort(key=lambda c: (not c.mine, c.my_mark is not None, c.translation_id))
        return out
