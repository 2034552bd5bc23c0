"""The nine moves and the kind each belongs to (DESIGN.md §3, Moves).

Dialogue moves keep an exchange a dialogue; pressure moves turn it into a negotiation;
``other`` covers procedure, greetings, thanks and facts that take no stance.
"""

from __future__ import annotations

from typing import Final, Literal

Kind = Literal["dialogue", "pressure", "other"]

DIALOGUE_MOVES: Final[tuple[str, ...]] = ("explain", "inquire", "acknowledge", "bridge")
"""Explain one's own view; ask to understand the other; restate or recognise the other's
view; propose common ground or shared learning."""

PRESSURE_MOVES: Final[tuple[str, ...]] = ("demand", "pressure", "lecture", "accuse")
"""Ask the other to act or concede; threaten or set conditions; moralise or claim
superiority; blame, attack motives or call names."""

OTHER_MOVE: Final = "other"

MOVES: Final[tuple[str, ...]] = (*DIALOGUE_MOVES, *PRESSURE_MOVES, OTHER_MOVE)
"""All nine moves, in a fixed order (also the order of the classifier's outputs)."""


UNSURE: Final = "unsure"
"""Not a move: what a statement counts as in a round's move profile when the classifier
read it with a confidence below :data:`alteram.moves.classifier.UNSURE_BELOW`."""

PROFILE_BARS: Final[tuple[str, ...]] = (*MOVES, UNSURE)
"""The bars of a round's move profile: the nine moves and ``unsure``."""


def kind_of(move: str) -> Kind:
    """The kind of ``move``: ``"dialogue"``, ``"pressure"`` or ``"other"``.

    Examples
    --------
    >>> kind_of("bridge"), kind_of("accuse"), kind_of("other")
    ('dialogue', 'pressure', 'other')
    """
    if move in DIALOGUE_MOVES:
        return "dialogue"
    if move in PRESSURE_MOVES:
        return "pressure"
    if move == OTHER_MOVE:
        return "other"
    raise ValueError(f"move must be one of {', '.join(MOVES)}; got {move!r}")
