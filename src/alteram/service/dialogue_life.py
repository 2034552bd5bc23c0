"""A dialogue's life as a whole: who can see it, archiving it, and deleting it.

Archiving makes a dialogue read-only and takes it off every list (its pages still answer to
those who may read it); only the owner archives, restores and deletes. Deleting is for an
empty dialogue (no participant's vote or statement yet) or an archived one without votes:
votes are append-only, so a dialogue with votes stays archived for good. Nothing anyone
said is lost by a click.
"""

from __future__ import annotations

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from alteram.errors import N_, Conflict, InvalidInput
from alteram.service.access import Actor, dialogue_access
from alteram.service.lookup import get
from alteram.store.database import Store
from alteram.store.schema import MAX_GROUPS_ALLOWED as MAX_GROUPS_ALLOWED
from alteram.store.schema import (
    VISIBILITIES,
    Dialogue,
    Participant,
    Round,
    Statement,
    Vote,
    utcnow,
)


def set_visibility(store: Store, *, actor: Actor, dialogue_id: int, visibility: str) -> None:
    """Private, unlisted (anyone with the link reads it) or public (listed on the home page)."""
    if visibility not in VISIBILITIES:
        raise InvalidInput(
            N_("visibility is private, unlisted or public, not %(value)r."),
            params={"value": visibility},
        )
    with store.write() as session:
        dialogue_access(session, actor, dialogue_id, need="team")
        get(session, Dialogue, dialogue_id, lock=True).visibility = visibility


def set_max_groups(store: Store, *, actor: Actor, dialogue_id: int, max_groups: int) -> None:
    """The most opinion groups the dialogue's analyses may find (from the next analysis on).

    Groups are still only as many as the votes support, and none is smaller than the
    clusterer's smallest group; the limit only allows more than the default five.
    """
    if isinstance(max_groups, bool) or not 1 <= max_groups <= MAX_GROUPS_ALLOWED:
        raise InvalidInput(
            N_("the most opinion groups is a whole number from 1 to %(top)d, not %(value)r."),
            params={"top": MAX_GROUPS_ALLOWED, "value": max_groups},
            hint=N_("5 is the default; allow more only for a large, varied dialogue."),
        )
    with store.write() as session:
        dialogue_access(session, actor, dialogue_id, need="team")
        get(session, Dialogue, dialogue_id, lock=True).max_groups = max_groups


def set_archived(store: Store, *, actor: Actor, dialogue_id: int, archived: bool) -> None:
    """The owner archives the dialogue (read-only, off the lists) or brings it back."""
    with store.write() as session:
        dialogue_access(session, actor, dialogue_id, need="owner")
        dialogue = get(session, Dialogue, dialogue_id, lock=True)
        running = session.scalar(
            select(Round.number).where(
                Round.dialogue_id == dialogue_id, Round.state.in_(("open", "suspended"))
            )
        )
        if archived and running is not None:
            raise Conflict(
                N_("round %(number)s is still running: close it before archiving."),
                params={"number": running},
            )
        dialogue.archived_at = utcnow() if archived else None


def is_empty(store: Store, *, dialogue_id: int) -> bool:
    """True when no participant has voted or written in the dialogue."""
    with store.read() as session:
        return not _has_content(session, dialogue_id)


def _has_content(session: Session, dialogue_id: int) -> bool:
    statements = session.scalar(
        select(exists().where(Statement.dialogue_id == dialogue_id, Statement.seeded.is_(False)))
    )
    votes = session.scalar(
        select(
            exists().where(
                Vote.participant_id == Participant.id, Participant.dialogue_id == dialogue_id
            )
        )
    )
    return bool(statements or votes)


def delete_dialogue(store: Store, *, actor: Actor, dialogue_id: int) -> None:
    """The owner deletes an archived or empty dialogue, with everything in it."""
    with store.write() as session:
        dialogue_access(session, actor, dialogue_id, need="owner")
        dialogue = get(session, Dialogue, dialogue_id, lock=True)
        if dialogue.archived_at is None and _has_content(session, dialogue_id):
            raise Conflict(
                N_("this dialogue has votes or statements: archive it before deleting it."),
                hint=N_("Archiving keeps it readable and off the lists; delete it afterwards."),
            )
        # Votes and predictions are append-only: a dialogue that has them is kept.
        if session.scalar(
            select(
                exists().where(
                    Vote.participant_id == Participant.id, Participant.dialogue_id == dialogue_id
                )
            )
        ):
            raise Conflict(
                N_("a dialogue with votes is never deleted: its votes are kept for good."),
                hint=N_("Keep it archived: read-only and off every list."),
            )
        session.execute(delete(Dialogue).where(Dialogue.id == dialogue_id))
