"""The move profile of a round: per side, the share of each move and the dialogue share."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from typing import Any

from alteram.moves.labels import DIALOGUE_MOVES, OTHER_MOVE, PROFILE_BARS, UNSURE
from alteram.moves.thresholds import UNSURE_BELOW


def round_profile(items: Iterable[tuple[Hashable, str]]) -> dict[str, dict[str, Any]]:
    """Per side, the share of each of the nine moves, of ``unsure``, and the dialogue share.

    Parameters
    ----------
    items : iterable of (side_id, move)
        One pair per accepted statement of the round; ``move`` is one of the nine moves or
        ``"unsure"`` (see :func:`alteram.moves.profile_move`).

    Returns
    -------
    profile : dict
        ``{str(side_id): {"explain": float, ..., "other": float, "unsure": float,
        "dialogue_share": float | None, "n": int}}``: the share of each bar among the
        side's statements (they sum to 1), ``dialogue_share`` = dialogue moves / all moves
        but ``other`` and ``unsure`` (None when the side has no such move: an unsure
        statement is neither dialogue nor pressure), and ``n`` the number of statements.
        Side ids become strings so that the result is JSON-serialisable; sides appear in
        sorted order. Sides with no statements do not appear.

    Examples
    --------
    >>> p = round_profile([("A", "explain"), ("A", "demand"), ("A", "unsure"), ("B", "other")])
    >>> p["A"]["dialogue_share"], p["A"]["unsure"], p["B"]["dialogue_share"]
    (0.5, 0.3333333333333333, None)
    """
    counts: dict[str, Counter[str]] = {}
    for side, move in items:
        if move not in PROFILE_BARS:
            raise ValueError(f"move must be one of {', '.join(PROFILE_BARS)}; got {move!r}")
        counts.setdefault(str(side), Counter())[move] += 1
    profile: dict[str, dict[str, Any]] = {}
    for side in sorted(counts):
        c = counts[side]
        total = sum(c.values())
        dialogue = sum(c[m] for m in DIALOGUE_MOVES)
        stance = total - c[OTHER_MOVE] - c[UNSURE]
        entry: dict[str, Any] = {m: c[m] / total for m in PROFILE_BARS}
        entry["dialogue_share"] = dialogue / stance if stance else None
        entry["n"] = total
        profile[side] = entry
    return profile


def profile_move(move: str, confidence: float | None) -> str:
    """What a stored reading counts as in the profile: its move, or ``"unsure"``.

    ``confidence`` is the classifier's; None means no classifier confidence applies (a
    move set by the facilitation team, or stored before confidences were kept), and the
    move counts as it is.

    >>> profile_move("demand", 0.9), profile_move("demand", 0.2), profile_move("bridge", None)
    ('demand', 'unsure', 'bridge')
    """
    if confidence is not None and confidence < UNSURE_BELOW:
        return UNSURE
    return move
