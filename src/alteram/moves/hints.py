"""Hints: how to say the concern behind a pressure move as a dialogue move.

Shown to an author before posting. One short suggestion per pressure move, in English and
Chinese; dialogue moves and ``other`` get none.
"""

from __future__ import annotations

from typing import Final

from alteram.moves.labels import MOVES

HINTS: Final[dict[str, dict[str, str]]] = {
    "demand": {
        "en": "Say why this matters to your side: what concern or value lies behind the "
        "request? Then ask how the other side sees it.",
        "zh": "说说这件事为什么对你们重要：这个要求背后是什么关切或价值？再问问对方怎么看。",
    },
    "pressure": {
        "en": "Instead of a condition or a threat, describe what your side fears will happen "
        "and ask what would address it for both sides.",
        "zh": "与其提条件或施压，不如说明你们担心会发生什么，并问问怎样做能同时照顾双方的关切。",
    },
    "lecture": {
        "en": "Say what your side values and why, then ask what the other side values.",
        "zh": "说说你们看重什么、为什么看重，再问问对方看重什么。",
    },
    "accuse": {
        "en": "Describe what you saw, without judging motives, and ask how the other side sees it.",
        "zh": "描述你们看到的事实，不去揣测动机，再问问对方是怎么看的。",
    },
}


def hint(move: str, language: str) -> str | None:
    """A suggestion for rephrasing a pressure ``move``, or None for any other move.

    ``language`` is a language code; codes starting with ``zh`` get Chinese, all others
    English.

    Examples
    --------
    >>> hint("lecture", "en")
    'Say what your side values and why, then ask what the other side values.'
    >>> hint("explain", "zh") is None
    True
    """
    if move not in MOVES:
        raise ValueError(f"move must be one of {', '.join(MOVES)}; got {move!r}")
    texts = HINTS.get(move)
    if texts is None:
        return None
    return texts["zh"] if language.lower().startswith("zh") else texts["en"]
