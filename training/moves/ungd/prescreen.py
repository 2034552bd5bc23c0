"""The pre-screen that enriches the sample for the rare moves.

Plain cue patterns, one family per rare move, matched against the lower-cased sentence.
A match does not say the sentence makes that move (most "we recognize" sentences in the
General Debate recognise a right, not another party's view); it only makes the move more
likely than in a random draw. The labels are given by reading, never by these cues.
"""

from __future__ import annotations

import re
from typing import Final

CUES: Final[dict[str, tuple[str, ...]]] = {
    "inquire": (
        r"\?[\"'”’)\]]*$",
        r"\b(we|i) (would|should) (like|wish|want) to (know|ask|learn|understand|hear)\b",
        r"\b(we|i) (wonder|ask)\b",
        r"\bask (ourselves|themselves|yourselves)\b",
    ),
    "acknowledge": (
        r"\b(we|i) (fully |readily |clearly |well |also |do )?(recogni[sz]e|acknowledge"
        r"|appreciate|understand|respect|admit|concede|accept)\b",
        r"\blegitimate (concerns?|interests?|rights?|aspirations?)\b",
        r"\b(rightly|admittedly|to be fair|it is true that)\b",
        r"\bwe share (the|his|her|their|your) (view|concerns?|belief)\b",
        r"\b(commend|applaud|credit)\b",
    ),
    "bridge": (
        r"\btogether\b",
        r"\bcommon (ground|interests?|endeavou?r|purpose)\b",
        r"\bjoint(ly)?\b",
        r"\bpartnership\b",
        r"\bcompromise\b",
        r"\bmutual (understanding|respect|trust|benefit|interests?)\b",
        r"\blet us\b",
        r"\bwe (are|stand) (ready|prepared|willing)\b",
        r"\bwe (propose|suggest|invite|offer)\b",
        r"\bwork(ing)? with\b",
    ),
    "pressure": (
        r"\bsanctions?\b",
        r"\bunless\b",
        r"\b(embargo|boycott|ultimatum|retaliat|countermeasure)",
        r"\bconsequences\b",
        r"\bwill not (tolerate|accept|allow|permit|hesitate)\b",
        r"\b(isolate|isolation|expel|expulsion)\b",
        r"\bby (all|any) (necessary )?means\b",
        r"\b(armed struggle|use of force|by force)\b",
        r"\b(precondition|on condition|only if|otherwise)\b",
        r"\bno (choice|alternative) but\b",
    ),
}
"""Cue patterns per rare move, in the order the enriched part is drawn."""

_COMPILED: Final = {
    move: re.compile("|".join(f"(?:{p})" for p in patterns)) for move, patterns in CUES.items()
}


def cues_of(sentence: str) -> list[str]:
    """The rare moves whose cues ``sentence`` matches, in the order of ``CUES``.

    >>> cues_of("Unless the embargo is lifted, how can we work together?")
    ['inquire', 'bridge', 'pressure']
    """
    text = sentence.lower()
    return [move for move, pattern in _COMPILED.items() if pattern.search(text)]
