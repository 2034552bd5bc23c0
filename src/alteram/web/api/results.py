"""``/api/rounds/{id}/results``: the same results as the page, as JSON."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request

from alteram.service.results import round_results
from alteram.web.access import ReaderRound
from alteram.web.deps import StoreDep
from alteram.web.i18n import choose_language

router = APIRouter(prefix="/api", tags=["results"])


@router.get(
    "/rounds/{round_id}/results",
    summary="Common ground, differences, perception gaps, groups and the move profile",
)
def results(
    round_id: int, request: Request, store: StoreDep, access: ReaderRound
) -> dict[str, Any]:
    r = round_results(
        store, round_id=round_id, facilitator=access.is_team, lang=choose_language(request)
    )
    return asdict(r)
