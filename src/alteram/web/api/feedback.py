"""``/api/rounds/{id}/feedback``: a participant's own view of a round, as data.

The same facts as the page ``/rounds/{id}/me``: each prediction against what the predicted
side answered, the participant's average gap against their side's, their place on the
opinion map, and the statements they share with most of another side. Shares are given
with their counts, as everywhere.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from alteram.service.feedback import MapPlace, my_feedback
from alteram.service.shown import Shown
from alteram.web.api.common import ShownOut, errors
from alteram.web.auth import ParticipantDep
from alteram.web.deps import StoreDep
from alteram.web.i18n import choose_language
from alteram.web.params import IdPath

router = APIRouter(prefix="/api", tags=["participation"])


class PredictionOut(BaseModel):
    statement_id: int
    text: ShownOut
    side: str = Field(description="The side whose agreement was predicted.")
    predicted: int = Field(description="The predicted share agreeing, in percent.")
    agree: int = Field(description="How many of that side's voters agree.")
    seen: int = Field(description="How many of that side's voters voted on it.")
    actual: float | None = Field(description="agree / seen in percent; null: nobody voted.")
    gap: float | None = Field(description="|predicted - actual| in percentage points.")


class SharedOut(BaseModel):
    statement_id: int
    text: ShownOut
    vote: int = Field(description="The participant's vote: 1 agree, -1 disagree.")
    side: str = Field(description="The other side most of whom voted the same.")
    same: int
    seen: int
    percent: float


class PlaceOut(BaseModel):
    x: float
    y: float
    group: str | None
    group_size: int
    by_side: dict[str, int] = Field(description="The group's members by side.")
    analysis_version: int


class FeedbackOut(BaseModel):
    round_id: int
    number: int
    title: ShownOut
    side: str | None
    voted: int = Field(description="Statements of the round the participant voted on.")
    statements: int = Field(description="Statements of the round they could vote on.")
    predictions: list[PredictionOut]
    my_gap: float | None = Field(description="Mean gap of the participant's predictions.")
    side_gap: float | None = Field(description="Mean of the gaps of their side's predictors.")
    side_predictors: int
    place: PlaceOut | None
    shared: list[SharedOut]


def _shown(s: Shown) -> ShownOut:
    return ShownOut.model_validate(s, from_attributes=True)


def _place(p: MapPlace | None) -> PlaceOut | None:
    if p is None:
        return None
    return PlaceOut(
        x=p.x,
        y=p.y,
        group=p.group,
        group_size=p.group_size,
        by_side=dict(p.by_side),
        analysis_version=p.analysis_version,
    )


@router.get(
    "/rounds/{round_id}/feedback",
    response_model=FeedbackOut,
    responses=errors(401, 403, 404, 409, 422),
    summary="My own view of a round: my predictions checked, my place, what I share",
)
def my_feedback_api(
    round_id: IdPath, request: Request, store: StoreDep, who: ParticipantDep
) -> FeedbackOut:
    """409 until the round's feedback moment (the facilitator's choice) has come."""
    assert who.participant_id is not None
    f = my_feedback(
        store, participant_id=who.participant_id, round_id=round_id, lang=choose_language(request)
    )
    return FeedbackOut(
        round_id=f.round_id,
        number=f.number,
        title=_shown(f.title),
        side=f.side,
        voted=f.voted,
        statements=f.statements,
        predictions=[
            PredictionOut(
                statement_id=c.statement_id,
                text=_shown(c.text),
                side=c.side,
                predicted=c.predicted,
                agree=c.agree,
                seen=c.seen,
                actual=c.actual,
                gap=c.gap,
            )
            for c in f.checks
        ],
        my_gap=f.my_gap,
        side_gap=f.side_gap,
        side_predictors=f.side_predictors,
        place=_place(f.place),
        shared=[
            SharedOut(
                statement_id=s.statement_id,
                text=_shown(s.text),
                vote=s.vote,
                side=s.side,
                same=s.same,
                seen=s.seen,
                percent=s.percent,
            )
            for s in f.shared
        ],
    )
