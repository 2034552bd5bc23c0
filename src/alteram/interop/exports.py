"""Writing a round's data as CSV (Polis-compatible columns where they exist) and JSON.

``votes.csv`` and ``comments.csv`` follow the columns of Polis's open-data exports, so
tools that read those (including :func:`alteram.interop.polis.read_polis_export`) read
these; alteram's own columns (side, language, move, prediction) come after them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

VOTE_COLUMNS = ("timestamp", "datetime", "comment-id", "voter-id", "vote", "voter-side")
COMMENT_COLUMNS = (
    "timestamp",
    "datetime",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "comment-body",
    "side",
    "language",
    "move",
    "move-confidence",
)
PREDICTION_COLUMNS = (
    "vote-id",
    "comment-id",
    "voter-id",
    "voter-side",
    "predicted-side",
    "predicted-share",
)
MODERATED = {"accepted": 1, "pending": 0, "rejected": -1}


def _stamp(at: datetime) -> tuple[int, str]:
    return int(at.timestamp() * 1000), at.strftime("%a %b %d %Y %H:%M:%S GMT%z")


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def votes_csv(votes: Iterable[dict[str, Any]]) -> str:
    """Every vote row (history included): statement, participant, value (+1 agree), side."""
    return _csv(
        VOTE_COLUMNS,
        (
            (*_stamp(v["at"]), v["statement"], v["participant"], v["value"], v.get("side", ""))
            for v in votes
        ),
    )


def comments_csv(statements: Iterable[dict[str, Any]]) -> str:
    """Every statement with its latest-vote agree and disagree counts and moderation."""
    return _csv(
        COMMENT_COLUMNS,
        (
            (
                *_stamp(s["at"]),
                s["id"],
                s["author"],
                s["agrees"],
                s["disagrees"],
                MODERATED.get(s["moderation"], 0),
                s["text"],
                s.get("side", ""),
                s.get("language", ""),
                s.get("move") or "",
                "" if s.get("move_confidence") is None else f"{s['move_confidence']:.3f}",
            )
            for s in statements
        ),
    )


def predictions_csv(predictions: Iterable[dict[str, Any]]) -> str:
    """Every prediction, tied to its vote."""
    return _csv(
        PREDICTION_COLUMNS,
        (
            (
                p["vote"],
                p["statement"],
                p["participant"],
                p.get("side", ""),
                p["target_side"],
                p["share"],
            )
            for p in predictions
        ),
    )
