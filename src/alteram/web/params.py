"""Parameters pages and API routes share: ids within the stores' range, checked once.

A path id outside 1 .. 2^63-1 cannot name anything either store holds; the validation
handler in :mod:`alteram.web.errors` answers it with 404 "round ... does not exist", like
any unknown id, and the OpenAPI description declares the range.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from pydantic import Field

from alteram.errors import N_
from alteram.service.lookup import MAX_ID

IdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="An id, 1 to 2^63-1.")]
"""An id in the path; out of range: 404; not a whole number: 422."""

BodyId = Annotated[int, Field(ge=1, le=MAX_ID, description="An id, 1 to 2^63-1.")]
"""An id in a JSON body (or a JSON object's key); out of range: 422 naming the field."""

StrictBodyId = Annotated[int, Field(strict=True, ge=1, le=MAX_ID, description="An id.")]
"""An id as a JSON value: a number, not a string of digits."""

PATH_IDS = {
    "dialogue_id": N_("dialogue"),
    "side_id": N_("side"),
    "round_id": N_("round"),
    "statement_id": N_("statement"),
    "concept_id": N_("concept"),
    "definition_id": N_("definition"),
    "restatement_id": N_("restatement"),
    "concern_id": N_("concern"),
    "translation_id": N_("translation"),
    "participant_id": N_("participant"),
}
"""Path parameter -> the entity it names (the words :func:`~alteram.service.lookup.get` uses)."""
