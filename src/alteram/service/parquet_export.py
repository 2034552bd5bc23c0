"""Writing a round's (or a dialogue's rounds') votes as Parquet shards, streaming.

Votes are read in ranges of vote ids and written shard by shard, so the export holds at
most one range and one shard in memory, however large the round.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import select

from alteram.interop.parquet import ROWS_PER_SHARD, ShardWriter, statement_frame
from alteram.moves.profile import profile_move
from alteram.service.lookup import get
from alteram.store.batches import read_range, vote_ranges, voter_sides
from alteram.store.database import Store
from alteram.store.schema import Dialogue, Prediction, Round, Side, Statement, Vote

Progress = Callable[[str, float], None]
READ_VOTES = 500_000


def export_round_parquet(
    store: Store,
    *,
    round_id: int,
    folder: Path,
    rows_per_shard: int = ROWS_PER_SHARD,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Write the round's votes, statements, voters' sides and predictions under ``folder``;
    returns the manifest."""
    with store.read() as session:
        rnd = get(session, Round, round_id)
        number = rnd.number
        ranges, n_votes = vote_ranges(session, round_id, batch_votes=READ_VOTES)
        names = {
            s.id: s.name
            for s in session.scalars(select(Side).where(Side.dialogue_id == rnd.dialogue_id))
        }
        about = {
            "dialogue_id": rnd.dialogue_id,
            "round_id": rnd.id,
            "round_number": rnd.number,
            "side_names": {str(k): v for k, v in names.items()},
        }
        # the move as the round's profile counts it: "unsure" below the classifier's
        # confidence threshold, as the in-memory analysis reads it
        statements = statement_frame(
            (i, side, moderation, profile_move(move, confidence) if move else move)
            for i, side, moderation, move, confidence in session.execute(
                select(
                    Statement.id,
                    Statement.side_id,
                    Statement.moderation,
                    Statement.move,
                    Statement.move_confidence,
                )
                .where(Statement.round_id == round_id)
                .order_by(Statement.id)
            ).all()
        )
        sides = voter_sides(session, round_id).dropna()
        sides = sides.astype({"participant": "int64", "side": "int64"})
        predictions = pd.DataFrame(
            session.execute(
                select(
                    Vote.participant_id,
                    Vote.statement_id,
                    Prediction.target_side_id,
                    Prediction.share,
                )
                .join(Prediction, Prediction.vote_id == Vote.id)
                .join(Statement, Statement.id == Vote.statement_id)
                .where(Statement.round_id == round_id)
                .order_by(Vote.id)
            ).all(),
            columns=["participant", "statement", "target_side", "predicted"],
        ).astype("int64")
    writer = ShardWriter(folder, rows_per_shard=rows_per_shard)
    done = 0
    for part in ranges:
        with store.read() as session:
            frame = read_range(session, part)
        writer.write(frame)
        done += len(frame)
        if progress is not None:
            progress(f"exporting round {number}", done / max(n_votes, 1))
    return writer.finish(statements=statements, sides=sides, predictions=predictions, about=about)


def export_dialogue_parquet(
    store: Store,
    *,
    dialogue_id: int,
    folder: Path,
    rows_per_shard: int = ROWS_PER_SHARD,
    progress: Progress | None = None,
) -> dict[int, dict[str, Any]]:
    """Each round of the dialogue in ``folder/round-N``; returns the manifests by number."""
    with store.read() as session:
        get(session, Dialogue, dialogue_id)
        rounds = session.execute(
            select(Round.id, Round.number)
            .where(Round.dialogue_id == dialogue_id)
            .order_by(Round.number)
        ).all()
    return {
        number: export_round_parquet(
            store,
            round_id=rid,
            folder=Path(folder) / f"round-{number}",
            rows_per_shard=rows_per_shard,
            progress=progress,
        )
        for rid, number in rounds
    }
