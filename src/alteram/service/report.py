"""Everything a round's report shows, and how it moved since the round before."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from alteram.errors import Forbidden
from alteram.service.concerns import ConcernView, concerns_of_dialogue
from alteram.service.definitions import ConceptView, concepts_of_round
from alteram.service.dialogues import DialogueSummary, dialogue_summary
from alteram.service.results import RoundResults, round_results
from alteram.store.database import Store


@dataclass(frozen=True)
class GapChange:
    pair: str  # "A about B": a stable key (English), shown through the two sides' names
    predicting: str
    predicted: str
    now: float | None
    before: float | None

    @property
    def change(self) -> float | None:
        if self.now is None or self.before is None:
            return None
        return self.now - self.before


@dataclass(frozen=True)
class RoundReport:
    dialogue: DialogueSummary
    results: RoundResults
    previous: RoundResults | None
    gap_changes: list[GapChange]
    history: dict[str, list[float | None]]  # pair -> gap per round up to this one
    history_labels: list[str]
    concepts: list[ConceptView]
    concerns: list[ConcernView]
    ritual: dict[str, Any] | None
    pair_sides: dict[str, tuple[str, str]] = field(default_factory=dict)


def _gaps(r: RoundResults) -> dict[str, float | None]:
    return {
        f"{p.predicting} about {p.predicted}": (p.gap if p.enough_data else None)
        for p in r.perception
    }


def round_report(
    store: Store, *, round_id: int, facilitator: bool = False, lang: str | None = None
) -> RoundReport:
    """The report of one round (published rounds for everyone, any round for facilitators).

    Texts are in the reader's language ``lang`` where a translation exists.
    """
    results = round_results(store, round_id=round_id, facilitator=facilitator, lang=lang)
    dialogue = dialogue_summary(store, results.dialogue_id, lang=lang)
    earlier = [r for r in dialogue.rounds if r.number < results.number and r.state != "planned"]
    history_rounds = []
    for r in earlier:
        try:
            history_rounds.append(
                round_results(store, round_id=r.id, facilitator=facilitator, lang=lang)
            )
        except Forbidden:  # an unpublished earlier round is left out for non-facilitators
            continue
    previous = history_rounds[-1] if history_rounds else None
    now = _gaps(results)
    before = _gaps(previous) if previous else {}
    pairs = list(dict.fromkeys([*now, *before]))
    series = [*history_rounds, results]
    sides = {
        f"{p.predicting} about {p.predicted}": (p.predicting, p.predicted)
        for r in series
        for p in r.perception
    }
    return RoundReport(
        dialogue=dialogue,
        results=results,
        previous=previous,
        gap_changes=[GapChange(p, *sides[p], now.get(p), before.get(p)) for p in pairs],
        history={p: [_gaps(r).get(p) for r in series] for p in pairs},
        history_labels=[str(r.number) for r in series],
        concepts=concepts_of_round(store, round_id=round_id, lang=lang),
        concerns=concerns_of_dialogue(
            store, dialogue_id=results.dialogue_id, up_to_round=results.number, lang=lang
        ),
        ritual=results.ritual,
        pair_sides=sides,
    )
