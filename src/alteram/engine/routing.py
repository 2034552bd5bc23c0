"""Which statement a participant votes on next: fair between sides, curious, seeded.

Pure (no database): the service layer reads a round's statements and their per-side vote
counts and asks :func:`order` for the order to show them in.

The rules, in order:

1. The facilitation team's seed statements of no side come first (in the order written).
2. Then the sides take turns by what *this* participant has already been shown: the next
   statement comes from the side (among those with statements left) the participant has
   seen least of; on a tie, another side before the reader's own, then by side id.
   Statements of no side that are not seeds take a turn as a side of their own, so they
   never change the balance between the real sides.
3. Within a side, that side's seeds come first (in the order written), then the statements
   whose agreement is least certain for the reader's side and those with few votes
   (:func:`priority`), ties broken by a per-participant seed so two members of a side do
   not see the same order.

While two sides both have statements left, the counts of statements a participant has
been shown from them never differ by more than one (unless they already did, e.g. when a
side's statements arrived late; then the side seen less is served until they are even).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

UNCERTAIN = math.sqrt(1 / 12)
"""The standard deviation of Beta(1, 1): agreement knowing nothing."""
BUCKETS = 20
"""Priorities are compared in twentieths, so near-equal ones are ordered by the seed."""


@dataclass(frozen=True)
class Candidate:
    """A statement the participant may vote on, with the votes it has so far.

    ``agree``, ``disagree`` and ``passes`` are the reader's side's latest votes on it;
    ``votes`` is the number of latest votes from every side (passes included).
    """

    id: int
    side_id: int | None
    seeded: bool = False
    agree: int = 0
    disagree: int = 0
    passes: int = 0
    votes: int = 0


def uncertainty(agree: int, disagree: int) -> float:
    """How uncertain the share agreeing is: the std of Beta(1 + agree, 1 + disagree), 0-1.

    1 for a statement nobody voted on, falling as votes come and as they lean one way.

    Examples
    --------
    >>> uncertainty(0, 0)
    1.0
    >>> uncertainty(5, 5) > uncertainty(9, 1)
    True
    """
    a, b = 1 + agree, 1 + disagree
    return math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1))) / UNCERTAIN


def priority(c: Candidate) -> float:
    """Half the uncertainty of agreement for the reader's side, half how few votes it has.

    Both halves are 1 for a statement without votes; the second is ``1/sqrt(1 + votes)``
    over all sides' votes (passes included), so a statement many passed still gives way.
    """
    return 0.5 * uncertainty(c.agree, c.disagree) + 0.5 / math.sqrt(1 + c.votes)


def tie_break(seed: int, statement_id: int) -> int:
    """A number that orders statements differently for each ``seed`` (participant)."""
    digest = hashlib.blake2b(f"{seed}:{statement_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def _within_side(c: Candidate, seed: int) -> tuple[int, int, int, int]:
    if c.seeded:
        return (0, 0, c.id, 0)
    bucket = round(priority(c) * BUCKETS)
    return (1, -bucket, tie_break(seed, c.id), c.id)


def order(
    candidates: Iterable[Candidate],
    *,
    shown: Mapping[int | None, int],
    reader_side: int | None,
    seed: int,
) -> list[Candidate]:
    """The order in which to show ``candidates`` to one participant.

    ``shown`` counts, by side (None: statements of no side), the statements of the round
    the participant has already been shown (voted on, passes included). The result is
    the order if the participant votes on each in turn; its first item is the next one.

    Examples
    --------
    >>> cs = [Candidate(1, 10), Candidate(2, 10), Candidate(3, 20), Candidate(4, 20)]
    >>> [c.side_id for c in order(cs, shown={}, reader_side=10, seed=7)]
    [20, 10, 20, 10]
    """
    team_seeds: list[Candidate] = []
    pools: dict[int | None, list[Candidate]] = {}
    for c in candidates:
        if c.side_id is None and c.seeded:
            team_seeds.append(c)
        else:
            pools.setdefault(c.side_id, []).append(c)
    team_seeds.sort(key=lambda c: c.id)
    for pool in pools.values():
        pool.sort(key=lambda c: _within_side(c, seed), reverse=True)  # popped from the end
    counts = {side: shown.get(side, 0) for side in pools}

    def turn(side: int | None) -> tuple[int, int, int, int]:
        return (counts[side], side is None, side == reader_side, side or 0)

    result = list(team_seeds)
    while pools:
        side = min(pools, key=turn)
        result.append(pools[side].pop())
        counts[side] += 1
        if not pools[side]:
            del pools[side]
    return result


def shown_by_side(sides: Sequence[int | None]) -> dict[int | None, int]:
    """Count the sides of the statements a participant was shown."""
    counts: dict[int | None, int] = {}
    for side in sides:
        counts[side] = counts.get(side, 0) + 1
    return counts
