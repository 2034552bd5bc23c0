"""How each side stands on the translations of its statements in a round.

A statement counts as confirmed when, in every other language of the dialogue, its current
translation exists and its side said it says what was meant (and nobody of the side
disputes it); it counts as disputed when any current translation is disputed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from alteram.service.languages import dialogue_languages
from alteram.service.shown import faithfulness
from alteram.service.texts import language_of, source_hash
from alteram.store.schema import Round, Statement, Translation


@dataclass(frozen=True)
class SideStanding:
    side_id: int
    statements: int
    translated: int  # every other language has a current translation
    confirmed: int
    disputed: list[int] = field(default_factory=list)  # statement ids

    @property
    def confirmed_share(self) -> float | None:
        return self.confirmed / self.statements if self.statements else None


def side_standing(session: Session, rnd: Round) -> dict[int, SideStanding]:
    """Per side: its statements of the round, how many are translated, confirmed, disputed."""
    languages = dialogue_languages(session, rnd.dialogue_id)
    statements = session.scalars(
        select(Statement).where(Statement.round_id == rnd.id, Statement.moderation != "rejected")
    ).all()
    rows: dict[tuple[int, str], list[Translation]] = {}
    for t in session.scalars(
        select(Translation)
        .join(Statement, Statement.id == Translation.item_id)
        .where(Translation.item == "statement.text", Statement.round_id == rnd.id)
        .order_by(Translation.id)
    ):
        rows.setdefault((t.item_id, t.language), []).append(t)
    current: dict[tuple[int, str], Translation] = {}
    for st in statements:
        digest = source_hash(st.text)
        for language in languages:
            made = [t for t in rows.get((st.id, language), []) if t.source_hash == digest]
            people = [t for t in made if t.kind != "machine"]
            if made:
                current[(st.id, language)] = (people or made)[-1]
    marks = faithfulness(session, [t.id for t in current.values()])
    counts: dict[int, list[int]] = {}
    disputed: dict[int, list[int]] = {}
    for st in statements:
        if st.side_id is None:
            continue
        own = language_of(st.text, st.language)
        targets = [current.get((st.id, lang)) for lang in languages if lang != own]
        c = counts.setdefault(st.side_id, [0, 0, 0])
        c[0] += 1
        if targets and all(t is not None for t in targets):
            c[1] += 1
            if all(t is not None and marks.get(t.id) == "confirmed" for t in targets):
                c[2] += 1
        if any(t is not None and marks.get(t.id) == "disputed" for t in targets):
            disputed.setdefault(st.side_id, []).append(st.id)
    return {
        side: SideStanding(side, n, translated, confirmed, disputed.get(side, []))
        for side, (n, translated, confirmed) in counts.items()
    }
