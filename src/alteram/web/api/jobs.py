"""``/api`` for background jobs: what a dialogue's jobs are doing (facilitators)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from alteram.service.jobs import list_jobs
from alteram.web.access import TeamDialogue
from alteram.web.api.common import errors
from alteram.web.auth import FacilitatorDep
from alteram.web.deps import StoreDep
from alteram.web.params import IdPath

router = APIRouter(prefix="/api", tags=["jobs"])


class JobOut(BaseModel):
    id: int
    kind: str = Field(description="What the job does, e.g. 'analysis'.")
    payload: dict[str, Any] = Field(description="Its arguments, e.g. {'round_id': 3}.")
    dialogue_id: int | None
    key: str | None = Field(description="At most one job per kind and key is queued or running.")
    state: str = Field(description="queued, running, done or failed.")
    attempts: int
    max_attempts: int
    run_after: datetime = Field(description="Not started before this time (retries wait).")
    locked_by: str | None = Field(description="The worker running it, or that ran it last.")
    locked_until: datetime | None
    last_error: str | None = Field(description="The last failure, in one line.")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


@router.get(
    "/dialogues/{dialogue_id}/jobs",
    response_model=list[JobOut],
    responses=errors(401, 404),
    summary="A dialogue's background jobs, newest first, with state and last error",
)
def dialogue_jobs(
    dialogue_id: IdPath,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamDialogue,
    limit: int = Query(50, ge=1, le=1000, description="How many jobs, newest first."),
) -> list[JobOut]:
    return [
        JobOut.model_validate(asdict(j))
        for j in list_jobs(store, dialogue_id=dialogue_id, limit=limit)
    ]
