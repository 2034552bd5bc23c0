"""The confidence thresholds of move analysis: when a reading is unsure, when to hint.

Both were chosen on validation data only: the out-of-fold readings of five-fold
cross-validation grouped by speech over the UNGD training speeches
(``training/moves/selection.py``), never on the held-out speeches the report uses
(``benchmarks/RESULTS-moves.md``).
"""

from __future__ import annotations

UNSURE_BELOW = 0.35
"""Confidence below which a reading is "unsure" (its own bar in a round's move profile).

On validation 15 % of sentences fall below it, and the classifier's move is right for
only 35 % of them (62 % for the rest)."""

HINT_CONFIDENCE = 0.88
"""Probability of a pressure move (the four summed) at or above which the hint before
posting is shown, for a statement read as a pressure move.

The lowest threshold with a hint precision of at least 0.90 on validation (0.92, recall
0.14); it also gave a higher recall at that precision than the chosen move's own
probability (0.12)."""
