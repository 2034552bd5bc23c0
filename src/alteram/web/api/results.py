"""``/api/rounds/{id}/results``: the same results as the page, as JSON."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request

from alteram.service.results import round_results
from alteram.service.summaries import summary_view
from alteram.web.access import ReaderRound
from alteram.web.api.common import errors
from alteram.web.deps import StoreDep
from alteram.web.i18n import choose_language
from alteram.web.params import IdPath

router = APIRouter(prefix="/api", tags=["results"])


@router.get(
    "/rounds/{round_id}/results",
    responses=errors(403, 404),
    summary="Common ground, differences, perception gaps, groups and the move profile",
)
def results(
    round_id: IdPath, request: Request, store: StoreDep, access: ReaderRound
) -> dict[str, Any]:
    r = round_results(
        store, round_id=round_id, facilitator=access.is_team, lang=choose_language(request)
    )
    return asdict(r)


@router.get(
    "/rounds/{round_id}/summary",
    responses=errors(403, 404),
    summary="The round in words: sections of sentences, each with its statements and figures",
)
def summary(
    round_id: IdPath, request: Request, store: StoreDep, access: ReaderRound
) -> dict[str, Any]:
    view = summary_view(
        store, round_id=round_id, facilitator=access.is_team, lang=choose_language(request)
    )
    return view.to_dict()
