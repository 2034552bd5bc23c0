"""Writing a round's data as CSV (Polis-compatible columns where they exist) and JSON.

``votes.csv`` and ``comments.csv`` follow the columns of Polis's open-data exports, so
tools that read those (including :func:`alteram.interop.polis.read_polis_export`) read
these; alteram's own columns (side, language, move, prediction, the version a voter read)
come after them. Comments carry the original text; ``translations.csv`` and
``translation-reviews.csv`` carry every translation with its kind and faithfulness marks.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

VOTE_COLUMNS = (
    "timestamp",
    "datetime",
    "comment-id",
    "voter-id",
    "vote",
    "voter-side",
    "shown-translation-id",
)
TRANSLATION_COLUMNS = (
    "translation-id",
    "item",
    "item-id",
    "language",
    "kind",
    "translator-participant-id",
    "translator-account-id",
    "datetime",
    "current",
    "faithfulness",
    "source-sha256",
    "text",
)
REVIEW_COLUMNS = (
    "review-id",
    "translation-id",
    "participant-id",
    "says-what-was-meant",
    "datetime",
    "better-wording",
)
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


MOVE_CORRECTION_COLUMNS = (
    "comment-id",
    "language",
    "text",
    "original-move",
    "original-confidence",
    "corrected-move",
    "corrected-by",
    "corrected-at",
    "corrections",
)


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
            (
                *_stamp(v["at"]),
                v["statement"],
                v["participant"],
                v["value"],
                v.get("side", ""),
                v.get("shown_translation") or "",
            )
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


def translations_csv(translations: Iterable[dict[str, Any]]) -> str:
    """Every translation of the round's texts (history included), with kind and standing."""
    return _csv(
        TRANSLATION_COLUMNS,
        (
            (
                t["id"],
                t["item"],
                t["item_id"],
                t["language"],
                t["kind"],
                t.get("participant") or "",
                t.get("account") or "",
                t["at"].isoformat(),
                int(bool(t["current"])),
                t["faithfulness"],
                t["source_hash"],
                t["text"],
            )
            for t in translations
        ),
    )


def reviews_csv(translations: Iterable[dict[str, Any]]) -> str:
    """Every faithfulness mark a side gave a translation."""
    return _csv(
        REVIEW_COLUMNS,
        (
            (
                r["id"],
                t["id"],
                r["participant"],
                int(bool(r["faithful"])),
                r["at"].isoformat(),
                r.get("better_wording") or "",
            )
            for t in translations
            for r in t["reviews"]
        ),
    )


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return "" if value is None else value


def table_csv(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> str:
    """Rows named by their table's columns; the header hyphenates them (``side-id``)."""
    return _csv(
        [c.replace("_", "-") for c in columns],
        ([_cell(r.get(c)) for c in columns] for r in rows),
    )


def move_corrections_csv(corrections: Iterable[dict[str, Any]]) -> str:
    """Every statement whose move the team corrected: the classifier's original reading,
    the corrected move, who corrected it and when (``training/moves/train.py
    --corrections`` reads this file)."""
    return _csv(
        MOVE_CORRECTION_COLUMNS,
        (
            (
                c["statement"],
                c["language"],
                c["text"],
                c["original_move"] or "",
                "" if c["original_confidence"] is None else f"{c['original_confidence']:.3f}",
                c["move"],
                c["corrected_by"],
                c["at"].isoformat(),
                c["count"],
            )
            for c in corrections
        ),
    )
