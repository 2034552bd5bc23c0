"""Move analysis: is a contribution a dialogue move or a pressure move?

Pure: no database or web imports. The classifier needs the optional ``moves`` extra
(``pip install 'alteram[moves]'``; without it :func:`classify` raises
:class:`EmbeddingUnavailable`, an ``AlteramError`` with status 503); labels, hints,
profiles and language detection do not.

>>> from alteram.moves import MOVES, hint, round_profile
>>> len(MOVES)
9
"""

from alteram.moves.classifier import MoveResult, classify
from alteram.moves.embed import EmbeddingUnavailable
from alteram.moves.hints import hint
from alteram.moves.labels import (
    DIALOGUE_MOVES,
    MOVES,
    PRESSURE_MOVES,
    PROFILE_BARS,
    UNSURE,
    Kind,
    kind_of,
)
from alteram.moves.language import detect_language
from alteram.moves.profile import profile_move, round_profile
from alteram.moves.rules import matched_rules
from alteram.moves.sentences import split_sentences

__all__ = [
    "DIALOGUE_MOVES",
    "MOVES",
    "PRESSURE_MOVES",
    "PROFILE_BARS",
    "UNSURE",
    "EmbeddingUnavailable",
    "Kind",
    "MoveResult",
    "classify",
    "detect_language",
    "hint",
    "kind_of",
    "matched_rules",
    "profile_move",
    "round_profile",
    "split_sentences",
]
