"""What a round summary is written from: plain data, read from the stored analysis.

The service (:mod:`alteram.service.summaries`) fills these from the store; nothing here
touches a database, so the sentences can be built and tested from plain values.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SideFacts:
    """One side: its id and its name in the reader's language (e.g. "China")."""

    id: int
    name: str


@dataclass(frozen=True)
class StatementFacts:
    """A statement the analysis picked, in the reader's language.

    ``agree`` maps each side's id to the percent of its voters who agree (None: no votes).
    """

    id: int
    text: str
    side_id: int | None
    agree: dict[int, float | None] = field(default_factory=dict)
    score: float | None = None
    counts: dict[int, tuple[int, int]] = field(default_factory=dict)  # side -> (agree, votes)


@dataclass(frozen=True)
class Misjudged:
    """One statement whose agreement a side misjudged: predicted and actual percent."""

    statement: StatementFacts
    predicted: float
    actual: float


@dataclass(frozen=True)
class GapFacts:
    """How well ``predicting`` knows ``predicted``: mean absolute error in points.

    ``before`` is the same gap in the previous round (None: no previous round or no data).
    """

    predicting: int
    predicted: int
    enough_data: bool
    gap: float | None
    before: float | None = None
    largest: Misjudged | None = None


@dataclass(frozen=True)
class ConceptFacts:
    """Definitions and restatements of a round, counted per side.

    ``defined`` maps a side's id to the number of the round's concepts it defined;
    ``restatements`` to the number of restatements it wrote of other sides' definitions;
    ``ratings`` and ``fair`` to how many ratings its restatements got and how many said fair.
    """

    concepts: int
    defined: dict[int, int] = field(default_factory=dict)
    restatements: dict[int, int] = field(default_factory=dict)
    ratings: dict[int, int] = field(default_factory=dict)
    fair: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ConcernFacts:
    """Concerns raised up to this round: per side raised, and how many are understood/open."""

    raised: dict[int, int] = field(default_factory=dict)
    understood: int = 0
    open: int = 0


@dataclass(frozen=True)
class RoundFacts:
    """Everything one round's summary says, with the previous round's figures to compare.

    Percent values are 0-100; ``ritual`` is the ritual index in percent (None: not
    measured), ``dialogue_share`` per side in percent.
    """

    number: int
    sides: list[SideFacts]
    n_votes: int
    n_participants: int
    common_ground: list[StatementFacts] = field(default_factory=list)
    divisive: list[StatementFacts] = field(default_factory=list)
    gaps: list[GapFacts] = field(default_factory=list)
    concepts: ConceptFacts | None = None
    concerns: ConcernFacts | None = None
    ritual: float | None = None
    ritual_first_round: bool = False
    dialogue_share: dict[int, float | None] = field(default_factory=dict)
    previous_number: int | None = None
    previous_ritual: float | None = None
    previous_dialogue_share: dict[int, float | None] = field(default_factory=dict)
    common_ground_count: int | None = None  # all the analysis found (None: as listed)

    def side_name(self, side_id: int | None) -> str:
        for s in self.sides:
            if s.id == side_id:
                return s.name
        return "?"

    def statements(self) -> dict[int, StatementFacts]:
        """Every statement these facts name, by id."""
        out: dict[int, StatementFacts] = {}
        for s in [*self.common_ground, *self.divisive]:
            out.setdefault(s.id, s)
        for g in self.gaps:
            if g.largest is not None:
                out.setdefault(g.largest.statement.id, g.largest.statement)
        return out
