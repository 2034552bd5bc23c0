"""The moderation log: every moderation, removal, restoration, flag and duty change.

Each is a :class:`~alteram.store.schema.ModerationEvent` written by
:func:`alteram.service.events.record` in the transaction of the change it records, with who
(a facilitator's account, the administrator, or for a flag the participant), when and why.
The log is the team's: it is listed here and exported as CSV.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import aliased

from alteram.errors import N_
from alteram.service.access import Actor, dialogue_access
from alteram.store.database import Store
from alteram.store.schema import Account, ModerationEvent, Participant

ADMINISTRATOR = N_("the administrator")
CSV_COLUMNS = (
    "id",
    "at",
    "kind",
    "by",
    "participant",
    "participant_name",
    "item",
    "item_id",
    "reason",
)


@dataclass(frozen=True)
class LogEntry:
    id: int
    at: datetime
    kind: str
    by: str  # a facilitator's email, "#N name" of a participant, or the administrator
    by_kind: str  # account, participant or administrator
    by_participant_id: int | None
    participant_id: int | None
    participant_name: str | None
    item: str | None
    item_id: int | None
    reason: str | None


def _person(pid: int | None, name: str | None) -> str:
    if pid is None:
        return ""
    return f"#{pid} {name}" if name else f"#{pid}"


def moderation_log(
    store: Store, *, actor: Actor, dialogue_id: int, kind: str | None = None
) -> list[LogEntry]:
    """The dialogue's log, newest first (only ``kind`` events when given)."""
    with store.read() as session:
        dialogue_access(session, actor, dialogue_id, need="team")
        subject = aliased(Participant)
        flagger = aliased(Participant)
        query = (
            select(
                ModerationEvent,
                Account.email,
                subject.display_name,
                flagger.display_name,
            )
            .outerjoin(Account, Account.id == ModerationEvent.account_id)
            .outerjoin(subject, subject.id == ModerationEvent.participant_id)
            .outerjoin(flagger, flagger.id == ModerationEvent.by_participant_id)
            .where(ModerationEvent.dialogue_id == dialogue_id)
            .order_by(ModerationEvent.id.desc())
        )
        if kind is not None:
            query = query.where(ModerationEvent.kind == kind)
        entries = []
        for event, email, name, flagger_name in session.execute(query):
            if event.by_participant_id is not None:
                by, by_kind = _person(event.by_participant_id, flagger_name), "participant"
            elif email is not None:
                by, by_kind = email, "account"
            else:
                by, by_kind = ADMINISTRATOR, "administrator"
            entries.append(
                LogEntry(
                    event.id,
                    event.at,
                    event.kind,
                    by,
                    by_kind,
                    event.by_participant_id,
                    event.participant_id,
                    name,
                    event.item,
                    event.item_id,
                    event.reason,
                )
            )
        return entries


def cell(text: str | None) -> str:
    """A text for a CSV cell that a spreadsheet will not run as a formula."""
    value = text or ""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def log_csv(entries: list[LogEntry]) -> str:
    """The log as CSV (UTF-8 text, a header row, times in ISO 8601 UTC)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        writer.writerow(
            [
                e.id,
                e.at.isoformat(),
                e.kind,
                cell(e.by),
                e.participant_id if e.participant_id is not None else "",
                cell(e.participant_name),
                e.item or "",
                e.item_id if e.item_id is not None else "",
                cell(e.reason),
            ]
        )
    return out.getvalue()
