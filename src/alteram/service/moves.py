"""Reading a statement's move for the service layer (the ``moves`` extra may be absent)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from alteram.errors import AlteramError
from alteram.moves import classify, hint, kind_of
from alteram.service import ratelimit
from alteram.service.textcheck import clean
from alteram.store.database import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Assessment:
    move: str
    kind: str
    confidence: float
    language: str
    hint: str | None
    unsure: bool = False


def assess(text: str) -> Assessment | None:
    """The move ``text`` makes and, for a confident pressure move, a hint; None without
    the extra. ``unsure`` says the classifier's confidence is too low to count the move."""
    return assess_many([text])[0]


def check_text(store: Store, *, participant_id: int, text: str) -> Assessment | None:
    """How a participant's draft statement reads, before posting it (limited per participant).

    The draft is checked like a statement (:func:`alteram.service.textcheck.clean`).
    """
    body = clean(text, "statement")
    ratelimit.charge_now(store, "assess", participant=participant_id)
    return assess(body)


def assess_many(texts: list[str]) -> list[Assessment | None]:
    """:func:`assess` for many texts in one batch."""
    try:
        results = classify(texts)
    except (ImportError, AlteramError) as exc:
        log.warning("move analysis unavailable: %s", exc)
        return [None] * len(texts)
    return [
        Assessment(
            r.move,
            kind_of(r.move),
            float(r.confidence),
            r.language,
            hint(r.move, r.language) if r.confident_pressure else None,
            r.unsure,
        )
        for r in results
    ]
