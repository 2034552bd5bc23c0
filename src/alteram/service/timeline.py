"""A dialogue over the years: every round, its suspensions, and the trends across rounds."""

from __future__ import annotations

from dataclasses import dataclass, field

from alteram.service.access import ADMIN, Actor
from alteram.service.concerns import ConcernView, concerns_of_dialogue
from alteram.service.definitions import concepts_of_round
from alteram.service.dialogues import DialogueSummary, RoundSummary, dialogue_summary
from alteram.service.facilitation import round_live
from alteram.service.results import round_results
from alteram.store.database import Store


@dataclass(frozen=True)
class RoundTrend:
    round: RoundSummary
    voters: dict[str, int]
    common_ground: int
    gaps: dict[str, float | None]  # "A about B" -> mean absolute error, points
    fair_share: dict[str, float | None]  # restating side -> share rated fair
    dialogue_share: dict[str, float | None]
    concerns_open: int
    concerns_understood: int
    ritual_index: float | None = None


@dataclass(frozen=True)
class Timeline:
    dialogue: DialogueSummary
    rounds: list[RoundTrend] = field(default_factory=list)
    pairs: list[str] = field(default_factory=list)
    # "A about B" -> (A, B), so that a page can say it in the reader's language.
    pair_sides: dict[str, tuple[str, str]] = field(default_factory=dict)


def _concern_counts(concerns: list[ConcernView], number: int) -> tuple[int, int]:
    """Concerns raised by round ``number``: still open then, and understood by then."""
    open_, understood = 0, 0
    for c in concerns:
        if c.raised_in_round > number or c.state == "withdrawn":
            continue
        latest: dict[str, bool] = {}
        for m in c.marks:
            if m.round_number <= number:
                latest[m.side] = m.understood
        if latest and all(latest.values()) and len(latest) >= 2:
            understood += 1
        else:
            open_ += 1
    return open_, understood


def dialogue_timeline(
    store: Store, *, dialogue_id: int, lang: str | None = None, actor: Actor = ADMIN
) -> Timeline:
    """Every round with its history and the trends the analyses show (texts in ``lang``).

    The trends cover the rounds whose results ``actor`` may see: the team's all of them,
    everyone else's the published ones only.
    """
    summary = dialogue_summary(store, dialogue_id, lang=lang, actor=actor)
    concerns = concerns_of_dialogue(store, dialogue_id=dialogue_id, lang=lang)
    trends = []
    pairs: list[str] = []
    pair_sides: dict[str, tuple[str, str]] = {}
    for r in summary.rounds:
        if r.state == "planned" or not r.results_visible:
            continue
        res = round_results(store, round_id=r.id, facilitator=True, lang=lang)
        live = round_live(store, round_id=r.id, lang=lang)
        gaps = {}
        for p in res.perception:
            key = f"{p.predicting} about {p.predicted}"
            gaps[key] = p.gap if p.enough_data else None
            if key not in pairs:
                pairs.append(key)
                pair_sides[key] = (p.predicting, p.predicted)
        fair: dict[str, list[float]] = {}
        for concept in concepts_of_round(store, round_id=r.id, lang=lang):
            for s in concept.sides:
                if s.fair_share is not None:
                    fair.setdefault(s.side, []).append(s.fair_share)
        opened, understood = _concern_counts(concerns, r.number)
        ritual = (res.ritual or {}).get("index")
        trends.append(
            RoundTrend(
                round=r,
                voters={s.name: s.voters for s in live.sides},
                common_ground=len(res.common_ground),
                gaps=gaps,
                fair_share={k: sum(v) / len(v) for k, v in fair.items()},
                dialogue_share={
                    side: prof.get("dialogue_share")
                    for side, prof in (res.move_profile or {}).items()
                },
                concerns_open=opened,
                concerns_understood=understood,
                ritual_index=ritual,
            )
        )
    return Timeline(summary, trends, pairs, pair_sides)
