"""The move profile of a round: per side, the share of each move and the dialogue share."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from typing import Any

from alteram.moves.labels import DIALOGUE_MOVES, MOVES, OTHER_MOVE


def round_profile(items: Iterable[tuple[Hashable, str]]) -> dict[str, dict[str, Any]]:
    """Per side, the share of each of the nine moves and the dialogue share.

    Parameters
    ----------
    items : iterable of (side_id, move)
        One pair per accepted statement of the round.

    Returns
    -------
    profile : dict
        ``{str(side_id): {"explain": float, ..., "other": float, "dialogue_share":
        float | None, "n": int}}``: the share of each of the nine moves among the side's
        statements (they sum to 1), ``dialogue_share`` = dialogue moves / all moves but
        ``other`` (None when the side has only ``other``), and ``n`` the number of
        statements. Side ids become strings so that the result is JSON-serialisable;
        sides appear in sorted order. Sides with no statements do not appear.

    Examples
    --------
    >>> p = round_profile([("A", "explain"), ("A", "demand"), ("A", "other"), ("B", "other")])
    >>> p["A"]["dialogue_share"], p["A"]["explain"], p["B"]["dialogue_share"]
    (0.5, 0.3333333333333333, None)
    """
    counts: dict[str, Counter[str]] = {}
    for side, move in items:
        if move not in MOVES:
            raise ValueError(f"move must be one of {', '.join(MOVES)}; got {move!r}")
        counts.setdefault(str(side), Counter())[move] += 1
    profile: dict[str, dict[str, Any]] = {}
    for side in sorted(counts):
        c = counts[side]
        total = sum(c.values())
        dialogue = sum(c[m] for m in DIALOGUE_MOVES)
        stance = total - c[OTHER_MOVE]
        entry: dict[str, Any] = {m: c[m] / total for m in MOVES}
        entry["dialogue_share"] = dialogue / stance if stance else None
        entry["n"] = total
        profile[side] = entry
    return profile
