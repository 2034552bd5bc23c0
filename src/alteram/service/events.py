"""The moderation log: every moderation, removal, restoration and duty, with who, when, why."""

from __future__ import annotations

from sqlalchemy.orm import Session

from alteram.service.access import Actor
from alteram.store.schema import ModerationEvent


def record(
    session: Session,
    *,
    dialogue_id: int,
    kind: str,
    actor: Actor | None = None,
    item: str | None = None,
    item_id: int | None = None,
    participant_id: int | None = None,
    by_participant_id: int | None = None,
    reason: str | None = None,
) -> None:
    """Add one event to the log inside the caller's transaction."""
    session.add(
        ModerationEvent(
            dialogue_id=dialogue_id,
            kind=kind,
            item=item,
            item_id=item_id,
            participant_id=participant_id,
            account_id=actor.account_id if actor else None,
            by_participant_id=by_participant_id,
            reason=reason,
        )
    )
