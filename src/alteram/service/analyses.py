"""Running the engine on a round's stored votes, and keeping each result as a version.

An analysis is reproducible from the store: its inputs (votes, moderation, sides,
predictions) are hashed into a fingerprint, so the same inputs are not analysed twice and a
stored result can be checked against a fresh run.
"""

from __future__ import annotations

import hashlib
import json
import logging
import warnings
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alteram import __version__
from alteram.engine.implausible import (
    BURST_SECONDS,
    BURST_VOTES,
    SAME_VOTE_MIN,
    implausible_voters,
)
from alteram.errors import AlteramError, InvalidInput
from alteram.moves.profile import profile_move
from alteram.service import live
from alteram.service.jobs import enqueue, pending, register
from alteram.service.lookup import get
from alteram.store.database import Store
from alteram.store.schema import (
    Analysis,
    Dialogue,
    Participant,
    Prediction,
    Round,
    Statement,
    Vote,
)

KIND = "round"
log = logging.getLogger(__name__)
PARAMS: dict[str, Any] = {"max_groups": 5, "random_state": 0}


@dataclass(frozen=True)
class StoredAnalysis:
    id: int
    round_id: int
    version: int
    fingerprint: str
    created_at: datetime
    result: dict[str, Any]


@dataclass(frozen=True)
class RoundInputs:
    votes: pd.DataFrame
    moderated_out: list[int]
    sides: dict[int, int | None]
    predictions: pd.DataFrame
    moves: list[tuple[int, str]]
    fingerprint: str
    cast_at: pd.Series | None = None  # when each row of ``votes`` was cast
    max_groups: int = 5  # the most opinion groups the dialogue's facilitator allows

    @property
    def params(self) -> dict[str, Any]:
        """The engine's parameters for this round: :data:`PARAMS` and the dialogue's own."""
        return {**PARAMS, "max_groups": self.max_groups}


def round_inputs(session: Session, round_id: int) -> RoundInputs:
    """Everything the engine needs about a round, read in one transaction.

    Participants the team removed are left out: their votes and predictions stay in the
    store but count in no analysis (so the fingerprint changes when someone is removed).
    """
    rows = session.execute(
        select(Vote.id, Vote.participant_id, Vote.statement_id, Vote.value, Vote.created_at)
        .join(Statement, Statement.id == Vote.statement_id)
        .join(Participant, Participant.id == Vote.participant_id)
        .where(Statement.round_id == round_id, Participant.removed_at.is_(None))
        .order_by(Vote.id)
    ).all()
    cast = pd.DataFrame(rows, columns=["time", "participant", "statement", "vote", "at"])
    votes = cast.drop(columns="at")
    statements = session.execute(
        select(
            Statement.id,
            Statement.moderation,
            Statement.side_id,
            Statement.move,
            Statement.move_confidence,
        )
        .where(Statement.round_id == round_id)
        .order_by(Statement.id)
    ).all()
    moderated_out = [s.id for s in statements if s.moderation == "rejected"]
    moves = [
        (int(s.side_id), profile_move(str(s.move), s.move_confidence))
        for s in statements
        if s.moderation == "accepted" and s.move and s.side_id is not None
    ]
    voters = sorted(set(votes["participant"]))
    sides = (
        dict(
            session.execute(
                select(Participant.id, Participant.side_id).where(Participant.id.in_(voters))
            ).all()
        )
        if voters
        else {}
    )
    prows = session.execute(
        select(
            Vote.id,
            Vote.participant_id,
            Vote.statement_id,
            Prediction.target_side_id,
            Prediction.share,
        )
        .join(Prediction, Prediction.vote_id == Vote.id)
        .join(Statement, Statement.id == Vote.statement_id)
        .join(Participant, Participant.id == Vote.participant_id)
        .where(Statement.round_id == round_id, Participant.removed_at.is_(None))
        .order_by(Vote.id)
    ).all()
    predictions = pd.DataFrame(
        prows, columns=["vote", "participant", "statement", "target_side", "predicted"]
    ).drop_duplicates(["participant", "statement", "target_side"], keep="last")
    # Predictions about a side none of whose members voted cannot be checked: leave them out.
    predictions = predictions[predictions["target_side"].isin(set(sides.values()))]
    max_groups = dialogue_max_groups(session, round_id)
    digest = hashlib.sha256()
    params = {**PARAMS, "max_groups": max_groups}
    digest.update(json.dumps({"engine": __version__, "params": params}).encode())
    digest.update(votes.to_numpy().tobytes())
    digest.update(json.dumps([moderated_out, sorted(sides.items()), moves]).encode())
    digest.update(predictions.to_numpy().tobytes())
    return RoundInputs(
        votes,
        moderated_out,
        sides,
        predictions.drop(columns="vote"),
        moves,
        digest.hexdigest(),
        cast["at"],
        max_groups,
    )


def dialogue_max_groups(session: Session, round_id: int) -> int:
    """The most opinion groups the round's dialogue allows (5 unless the team chose)."""
    value = session.scalar(
        select(Dialogue.max_groups)
        .join(Round, Round.dialogue_id == Dialogue.id)
        .where(Round.id == round_id)
    )
    return int(value or PARAMS["max_groups"])


def _stored(row: Analysis) -> StoredAnalysis:
    assert row.round_id is not None
    return StoredAnalysis(
        row.id, row.round_id, row.version, row.fingerprint, row.created_at, row.result
    )


def latest_analysis(store: Store, *, round_id: int) -> StoredAnalysis | None:
    """The newest stored analysis of a round, if any."""
    with store.read() as session:
        get(session, Round, round_id)
        row = session.scalar(
            select(Analysis)
            .where(Analysis.round_id == round_id, Analysis.kind == KIND)
            .order_by(Analysis.version.desc())
            .limit(1)
        )
        return _stored(row) if row else None


def analyze_round(store: Store, *, round_id: int) -> StoredAnalysis:
    """Analyse a round and store the result as a new version (unless nothing changed)."""
    from alteram.engine import analyze
    from alteram.engine.bridging import BridgingConvergenceWarning

    with store.read() as session:
        rnd = get(session, Round, round_id)
        dialogue_id = rnd.dialogue_id
        inputs = round_inputs(session, round_id)
    latest = latest_analysis(store, round_id=round_id)
    if latest is not None and latest.fingerprint == inputs.fingerprint:
        return latest
    result: dict[str, Any]
    if inputs.votes.empty:
        result = {"empty": True, "participants": [], "groups": [], "statements": []}
    else:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", BridgingConvergenceWarning)
            analysis = analyze(
                inputs.votes,
                moderated_out=inputs.moderated_out,
                sides=inputs.sides,
                predictions=inputs.predictions if not inputs.predictions.empty else None,
                **inputs.params,
            )
        for w in caught:  # an approximate bridging score is still a result: log it
            log.warning("round %s: %s", round_id, w.message)
        result = analysis.to_dict()
    result["implausible"] = _implausible(inputs)
    result["implausible_rules"] = {
        "same_vote_min": SAME_VOTE_MIN,
        "burst_votes": BURST_VOTES,
        "burst_seconds": BURST_SECONDS,
    }
    result["move_profile"] = _move_profile(inputs.moves)
    result["ritual"] = _ritual(store, round_id)
    result["versions"] = _versions(store, round_id)
    result["n_votes"] = len(inputs.votes)
    result["last_vote_id"] = int(inputs.votes["time"].max()) if len(inputs.votes) else 0
    try:
        return _store_version(
            store, dialogue_id, round_id, inputs.fingerprint, result, inputs.params
        )
    except _AlreadyStored:
        stored = latest_analysis(store, round_id=round_id)
        assert stored is not None
        return stored


class _AlreadyStored(Exception):
    pass


def _store_version(
    store: Store,
    dialogue_id: int,
    round_id: int,
    fingerprint: str,
    result: dict[str, Any],
    params: dict[str, Any] | None = None,
) -> StoredAnalysis:
    with store.write() as session:
        version = (
            session.scalar(
                select(func.max(Analysis.version)).where(
                    Analysis.round_id == round_id, Analysis.kind == KIND
                )
            )
            or 0
        ) + 1
        row = Analysis(
            dialogue_id=dialogue_id,
            round_id=round_id,
            kind=KIND,
            version=version,
            fingerprint=fingerprint,
            engine_version=__version__,
            params=params or PARAMS,
            result=result,
        )
        session.add(row)
        try:
            session.flush()
        except IntegrityError:  # another worker stored this version at the same moment
            raise _AlreadyStored from None
        live.bump(session, round_id)
        return _stored(row)


def _implausible(inputs: RoundInputs) -> list[dict[str, object]]:
    """Voters whose pattern the team should review (marked, never removed)."""
    frame = inputs.votes[["participant", "statement", "vote"]]
    if inputs.cast_at is not None:
        frame = frame.assign(at=pd.to_datetime(inputs.cast_at, utc=True))
    return [m.to_dict() for m in implausible_voters(frame)]


def _versions(store: Store, round_id: int) -> dict[str, Any]:
    """Original readers against translation readers, per statement and side."""
    from alteram.engine.versions import MIN_PER_GROUP, compare_versions

    with store.read() as session:
        rows = session.execute(
            select(
                Vote.participant_id,
                Vote.statement_id,
                Vote.value,
                Vote.shown_translation_id,
                Participant.side_id,
            )
            .join(Statement, Statement.id == Vote.statement_id)
            .join(Participant, Participant.id == Vote.participant_id)
            .where(Statement.round_id == round_id, Participant.removed_at.is_(None))
            .order_by(Vote.id)
        ).all()
    latest = pd.DataFrame(
        rows, columns=["participant", "statement", "vote", "shown", "side"]
    ).drop_duplicates(["participant", "statement"], keep="last")
    latest["translated"] = latest["shown"].notna()
    found = compare_versions(latest[["statement", "side", "vote", "translated"]])
    return {
        "min_per_group": MIN_PER_GROUP,
        "read_translated": int(latest["translated"].sum()),
        "read_original": int((~latest["translated"]).sum()),
        "comparisons": [c.to_dict() for c in found],
    }


def _ritual(store: Store, round_id: int) -> dict[str, Any] | None:
    """The ritual index: how much of this round repeats earlier rounds (None without the extra)."""
    from alteram.engine.ritual import ritual_index

    with store.read() as session:
        rnd = get(session, Round, round_id)
        rows = session.execute(
            select(Statement.id, Statement.text, Round.number)
            .join(Round, Round.id == Statement.round_id)
            .where(
                Statement.dialogue_id == rnd.dialogue_id,
                Round.number <= rnd.number,
                Statement.moderation != "rejected",
            )
            .order_by(Statement.id)
        ).all()
        number = rnd.number
    current = [(i, t) for i, t, n in rows if n == number]
    earlier = [(i, t, n) for i, t, n in rows if n < number]
    if not current:
        return {"index": None, "repeats": [], "repeats_text": []}
    if not earlier:
        return {"index": 0.0, "repeats": [], "repeats_text": [], "n_statements": len(current)}
    try:
        vectors = _embed_cached([t for _, t in current] + [t for _, t, _ in earlier])
    except (ImportError, AlteramError):
        return None
    found = ritual_index(
        vectors[: len(current)],
        vectors[len(current) :],
        current_ids=[i for i, _ in current],
        earlier_ids=[i for i, _, _ in earlier],
    )
    out: dict[str, Any] = found.to_dict()
    text: dict[int | str | None, str] = {}
    text.update(current)
    text.update((i, t) for i, t, _ in earlier)
    round_of: dict[int | str | None, int] = {i: n for i, _, n in earlier}
    out["repeats_text"] = [
        {
            "id": m.statement_id,
            "text": text[m.statement_id],
            "earlier_id": m.earlier_id,
            "earlier_text": text.get(m.earlier_id, ""),
            "earlier_round": round_of.get(m.earlier_id),
            "similarity": m.similarity,
        }
        for m in found.repeats
    ]
    return out


_EMBEDDINGS: dict[str, Any] = {}
_EMBEDDINGS_MAX = 50_000


def _embed_cached(texts: list[str]) -> Any:
    """Sentence embeddings, computed once per text per process (statements do not change)."""
    import numpy as np

    from alteram.moves.embed import embed

    missing = [t for t in dict.fromkeys(texts) if t not in _EMBEDDINGS]
    if missing:
        if len(_EMBEDDINGS) + len(missing) > _EMBEDDINGS_MAX:
            _EMBEDDINGS.clear()
        for text, vector in zip(missing, embed(missing), strict=True):
            _EMBEDDINGS[text] = vector
    return np.vstack([_EMBEDDINGS[t] for t in texts])


def _move_profile(moves: list[tuple[int, str]]) -> dict[str, Any] | None:
    if not moves:
        return None
    try:
        from alteram.moves import round_profile
    except ImportError:  # the moves extra is not installed
        return None
    profile: dict[str, Any] = round_profile(moves)
    return profile


def votes_since_analysis(store: Store, *, round_id: int, at_most: int | None = None) -> int:
    """How many votes the round has received since its latest stored analysis.

    Counts only votes newer than the last vote the analysis saw, and stops at ``at_most``
    when given (the due check needs no more), so the check stays cheap however large the
    round grows, before its first analysis too.
    """
    with store.read() as session:
        last = session.execute(
            select(Analysis.result["last_vote_id"].as_integer())
            .where(Analysis.round_id == round_id, Analysis.kind == KIND)
            .order_by(Analysis.version.desc())
            .limit(1)
        ).scalar()
        newer = (
            select(Vote.id)
            .join(Statement, Statement.id == Vote.statement_id)
            .where(Statement.round_id == round_id, Vote.id > (last or 0))
        )
        if at_most is not None:
            newer = newer.limit(at_most)
        return int(session.scalar(select(func.count()).select_from(newer.subquery())) or 0)


CHECK_EVERY = 10
JOB_KIND = "analysis"


@register(JOB_KIND)
def run_analysis_job(store: Store, payload: dict[str, Any]) -> None:
    """The handler of ``analysis`` jobs: analyse ``payload["round_id"]`` (idempotent)."""
    round_id = payload.get("round_id")
    if not isinstance(round_id, int) or isinstance(round_id, bool):
        raise InvalidInput(f"an analysis job names its round as an integer, got {round_id!r}.")
    analyze_round(store, round_id=round_id)


def analyze_if_due(store: Store, *, round_id: int, vote_id: int | None = None) -> int | None:
    """Queue an analysis of a round once it has ``analysis_every`` votes since the last one.

    Meant to run right after a vote is committed: given the new ``vote_id``, only every
    :data:`CHECK_EVERY`-th vote looks (the look costs a few queries). The analysis itself
    is an ``analysis`` job that a worker runs (``alteram worker``), never this process; at
    most one is queued or running per round. Returns the new job's id, or None (not due, or
    already queued); a failure is logged, never raised.
    """
    if vote_id is not None and vote_id % CHECK_EVERY:
        return None
    try:
        with store.read() as session:
            rnd = get(session, Round, round_id)
            every, dialogue_id = rnd.analysis_every, rnd.dialogue_id
            if pending(session, kind=JOB_KIND, key=str(round_id)):
                return None
        if votes_since_analysis(store, round_id=round_id, at_most=every) < every:
            return None
        with store.write() as session:
            return enqueue(
                session,
                kind=JOB_KIND,
                payload={"round_id": round_id},
                dialogue_id=dialogue_id,
                key=str(round_id),
            )
    except Exception:  # runs after the vote's answer: log, and let a later vote try again
        log.exception("cannot queue the automatic analysis of round %s", round_id)
        return None
