"""Analyses on a Dask cluster: a stored round read in vote-id ranges, or Parquet shards.

The workers read the votes themselves (a range of vote ids from the database, or shards
from a folder they can see); the client reads only the round's small tables (statements,
the voters' sides, predictions) and keeps the results. A stored round's result is kept
as a new analysis version, as :func:`alteram.service.analyses.analyze_round` does.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import func, select

from alteram import __version__
from alteram.moves.profile import profile_move
from alteram.service.analyses import (
    PARAMS,
    StoredAnalysis,
    _AlreadyStored,
    _move_profile,
    _ritual,
    _store_version,
    _versions,
    dialogue_max_groups,
    latest_analysis,
)
from alteram.service.lookup import get
from alteram.store.batches import read_range_at, vote_ranges, voter_sides
from alteram.store.database import Store
from alteram.store.schema import Prediction, Round, Statement, Vote

Progress = Callable[[str, float], None]
BATCH_VOTES = 2_000_000


def _run(client: Any, chunks: list[Any], progress: Progress | None, **inputs: Any) -> Any:
    from alteram.engine.bridging import BridgingConvergenceWarning
    from alteram.engine.distributed import analyze_distributed

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BridgingConvergenceWarning)  # in the diagnostics
        return analyze_distributed(client, chunks, progress=progress, **{**PARAMS, **inputs})


def analyze_round_distributed(
    store: Store,
    *,
    round_id: int,
    client: Any,
    batch_votes: int = BATCH_VOTES,
    progress: Progress | None = None,
) -> StoredAnalysis:
    """Analyse a round on the Dask cluster of ``client`` and store it as a new version.

    Each worker reads its ranges of vote ids from the database itself (it must reach the
    same database URL). Nothing is stored when the cluster fails (the error says so).
    """
    from dask import delayed

    with store.read() as session:
        rnd = get(session, Round, round_id)
        dialogue_id = rnd.dialogue_id
        ranges, n_votes = vote_ranges(session, round_id, batch_votes=batch_votes)
        last_vote = session.scalar(
            select(func.max(Vote.id))
            .join(Statement, Statement.id == Vote.statement_id)
            .where(Statement.round_id == round_id)
        )
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
        side_frame = voter_sides(session, round_id)
        max_groups = dialogue_max_groups(session, round_id)
        prows = session.execute(
            select(
                Vote.participant_id, Vote.statement_id, Prediction.target_side_id, Prediction.share
            )
            .join(Prediction, Prediction.vote_id == Vote.id)
            .join(Statement, Statement.id == Vote.statement_id)
            .where(Statement.round_id == round_id)
            .order_by(Vote.id)
        ).all()
    moderated_out = [s.id for s in statements if s.moderation == "rejected"]
    moves = [
        (int(s.side_id), profile_move(str(s.move), s.move_confidence))
        for s in statements
        if s.moderation == "accepted" and s.move and s.side_id is not None
    ]
    sides = pd.Series(
        side_frame["side"].to_numpy(), index=side_frame["participant"].to_numpy(), dtype=object
    )
    predictions = pd.DataFrame(
        prows, columns=["participant", "statement", "target_side", "predicted"]
    ).drop_duplicates(["participant", "statement", "target_side"], keep="last")
    predictions = predictions[predictions["target_side"].isin(set(sides.dropna()))]
    fingerprint = _fingerprint(
        n_votes, last_vote or 0, moderated_out, side_frame, moves, predictions, max_groups
    )
    latest = latest_analysis(store, round_id=round_id)
    if latest is not None and latest.fingerprint == fingerprint:
        return latest
    result: dict[str, Any]
    if n_votes == 0:
        result = {"empty": True, "participants": [], "groups": [], "statements": []}
    else:
        chunks = [delayed(read_range_at, pure=False)(store.url, r) for r in ranges]
        analysis = _run(
            client,
            chunks,
            progress,
            moderated_out=moderated_out,
            sides=sides,
            predictions=predictions if not predictions.empty else None,
            max_groups=max_groups,
        )
        result = analysis.to_dict()
    result["move_profile"] = _move_profile(moves)
    result["ritual"] = _ritual(store, round_id)
    # the comparison of original and translation readers reads the round's latest votes
    # on the client, as the in-memory analysis does
    result["versions"] = _versions(store, round_id)
    result["n_votes"] = n_votes
    result["last_vote_id"] = int(last_vote or 0)
    try:
        return _store_version(
            store, dialogue_id, round_id, fingerprint, result, {**PARAMS, "max_groups": max_groups}
        )
    except _AlreadyStored:
        stored = latest_analysis(store, round_id=round_id)
        assert stored is not None
        return stored


def _fingerprint(
    n_votes: int,
    last_vote: int,
    moderated_out: list[int],
    sides: pd.DataFrame,
    moves: list[tuple[int, str]],
    predictions: pd.DataFrame,
    max_groups: int = PARAMS["max_groups"],
) -> str:
    """The inputs' fingerprint; votes are append-only, so their count and last id name them."""
    digest = hashlib.sha256()
    params = {**PARAMS, "max_groups": max_groups}
    digest.update(json.dumps({"engine": __version__, "params": params, "on": "dask"}).encode())
    digest.update(json.dumps([n_votes, last_vote, moderated_out, moves]).encode())
    digest.update(pd.util.hash_pandas_object(sides, index=False).to_numpy().tobytes())
    digest.update(pd.util.hash_pandas_object(predictions, index=False).to_numpy().tobytes())
    return digest.hexdigest()


def analyze_parquet(
    folder: Path, *, client: Any, progress: Progress | None = None
) -> dict[str, Any]:
    """Analyse a folder of vote shards (see :mod:`alteram.interop.parquet`) with no database.

    Returns the result as JSON-ready data, with the round's move profile.
    """
    from alteram.interop.parquet import open_shards

    shards = open_shards(folder)
    analysis = _run(
        client,
        shards.chunks,
        progress,
        moderated_out=shards.moderated_out,
        sides=shards.sides,
        predictions=shards.predictions
        if shards.predictions is not None and not shards.predictions.empty
        else None,
    )
    result: dict[str, Any] = analysis.to_dict()
    st = shards.statements
    moves = [
        (int(side), str(move))
        for side, move, moderation in zip(st["side"], st["move"], st["moderation"], strict=True)
        if moderation == "accepted" and isinstance(move, str) and move and pd.notna(side)
    ]
    result["move_profile"] = _move_profile(moves)
    result["n_votes"] = int(shards.manifest.get("n_votes", 0))
    result["source"] = {"folder": str(folder), "shards": len(shards.manifest.get("shards", []))}
    return result
