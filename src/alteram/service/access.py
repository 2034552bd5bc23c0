"""Who may see or do what in which dialogue: decided here, and only here.

An :class:`Actor` is whoever asks: an anonymous visitor, a participant of one dialogue (a
member of a side, a delegate, an observer), a facilitator's account, or the machine's
administrator (the CLI). :func:`dialogue_access` says what the actor may do in one dialogue:

* the **facilitation team** (owner and co-facilitators) runs the dialogue and sees all of it,
  unpublished rounds included; the **owner** also manages the team, archives and deletes;
* **members** (participants, delegates and observers of the dialogue, not removed) read it;
* anyone reads an **unlisted** dialogue through its link and a **public** one from the list;
* nobody else learns that a **private** dialogue exists: :class:`NotFound`, as for an id
  that does not exist, including a facilitator of another dialogue.

Unpublished rounds' results stay with the team (:meth:`Access.sees_results`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from alteram.errors import N_, Conflict, Forbidden, NotFound
from alteram.service.lookup import MAX_ID, get
from alteram.store.schema import (
    Concept,
    Concern,
    ConcernAnswer,
    Definition,
    Dialogue,
    Invite,
    Participant,
    Restatement,
    Round,
    Side,
    Statement,
    TeamMember,
    Topic,
    Translation,
)

Need = Literal["read", "team", "owner"]


@dataclass(frozen=True)
class Actor:
    """Who is asking."""

    account_id: int | None = None
    participant_id: int | None = None
    admin: bool = False


ANONYMOUS = Actor()
ADMIN = Actor(admin=True)


@dataclass(frozen=True)
class Access:
    """What one actor may do in one dialogue."""

    dialogue_id: int
    visibility: str
    archived: bool
    team_role: str | None = None
    participant_id: int | None = None
    side_id: int | None = None
    role: str | None = None
    admin: bool = False

    @property
    def is_team(self) -> bool:
        return self.admin or self.team_role is not None

    @property
    def is_owner(self) -> bool:
        return self.admin or self.team_role == "owner"

    @property
    def is_member(self) -> bool:
        return self.participant_id is not None

    @property
    def can_read(self) -> bool:
        return self.is_team or self.is_member or self.visibility in ("public", "unlisted")

    def sees_results(self, rnd: Round) -> bool:
        """Results of a round: the team's always, everyone else's once published."""
        return self.is_team or rnd.published_at is not None


def check_writable(access: Access) -> None:
    """Refuse a change to an archived dialogue (it is read-only until the owner restores it)."""
    if access.archived:
        raise Conflict(
            N_("this dialogue is archived: it is read-only."),
            hint=N_("Its owner can bring it back from the archive."),
        )


def not_found(what: str, ident: int) -> NotFound:
    return NotFound(
        N_("%(what)s %(id)s does not exist."),
        params={"id": ident},
        terms={"what": what},
        hint=N_("Check the link, or ask the facilitator."),
    )


def team_role(session: Session, account_id: int | None, dialogue_id: int) -> str | None:
    if account_id is None:
        return None
    role: str | None = session.scalar(
        select(TeamMember.role).where(
            TeamMember.dialogue_id == dialogue_id, TeamMember.account_id == account_id
        )
    )
    return role


def dialogue_access(
    session: Session, actor: Actor, dialogue_id: int, *, need: Need = "read"
) -> Access:
    """What ``actor`` may do in the dialogue; refuses what ``need`` asks beyond it.

    A dialogue the actor may not read answers :class:`NotFound`, as if it did not exist; a
    co-facilitator asking for the owner's rights gets :class:`Forbidden`.
    """
    if actor.admin:  # the administrator (the CLI) is told how to find the ids
        dialogue = get(session, Dialogue, dialogue_id)
    else:  # anyone else learns nothing from the id: missing and hidden answer alike
        in_range = isinstance(dialogue_id, int) and 1 <= dialogue_id <= MAX_ID
        found_row = session.get(Dialogue, dialogue_id) if in_range else None
        if found_row is None:
            raise not_found(N_("dialogue"), dialogue_id)
        dialogue = found_row
    person = None
    if actor.participant_id is not None:
        person = session.get(Participant, actor.participant_id)
        if person is not None and (person.dialogue_id != dialogue.id or person.removed_at):
            person = None
    found = Access(
        dialogue.id,
        dialogue.visibility,
        dialogue.archived_at is not None,
        team_role(session, actor.account_id, dialogue.id),
        person.id if person else None,
        person.side_id if person else None,
        person.role if person else None,
        actor.admin,
    )
    if not found.can_read or (need != "read" and not found.is_team):
        raise not_found(N_("dialogue"), dialogue_id)
    if need == "owner" and not found.is_owner:
        raise Forbidden(
            N_("only the dialogue's owner does this."),
            hint=N_("Ask the owner of the dialogue."),
        )
    return found


_OF: dict[str, tuple[Any, str]] = {
    "round": (Round, "dialogue_id"),
    "side": (Side, "dialogue_id"),
    "statement": (Statement, "dialogue_id"),
    "participant": (Participant, "dialogue_id"),
    "invite": (Invite, "dialogue_id"),
    "translation": (Translation, "dialogue_id"),
    "concern": (Concern, "dialogue_id"),
}
WHAT = {
    "round": N_("round"),
    "side": N_("side"),
    "statement": N_("statement"),
    "participant": N_("participant"),
    "invite": N_("invite"),
    "translation": N_("translation"),
    "concern": N_("concern"),
    "topic": N_("topic"),
    "concept": N_("concept"),
    "definition": N_("definition"),
    "restatement": N_("restatement"),
    "answer": N_("answer"),
}


def dialogue_of(session: Session, kind: str, ident: int) -> int:
    """The dialogue a row belongs to (:class:`NotFound` when there is no such row)."""
    if kind == "dialogue":
        return ident
    if kind in _OF:
        model, column = _OF[kind]
        found = session.scalar(select(getattr(model, column)).where(model.id == ident))
    elif kind == "topic":
        found = session.scalar(
            select(Round.dialogue_id)
            .join(Topic, Topic.round_id == Round.id)
            .where(Topic.id == ident)
        )
    elif kind == "concept":
        found = session.scalar(
            select(Round.dialogue_id)
            .join(Concept, Concept.round_id == Round.id)
            .where(Concept.id == ident)
        )
    elif kind == "definition":
        found = session.scalar(
            select(Round.dialogue_id)
            .join(Concept, Concept.round_id == Round.id)
            .join(Definition, Definition.concept_id == Concept.id)
            .where(Definition.id == ident)
        )
    elif kind == "restatement":
        found = session.scalar(
            select(Round.dialogue_id)
            .join(Concept, Concept.round_id == Round.id)
            .join(Definition, Definition.concept_id == Concept.id)
            .join(Restatement, Restatement.definition_id == Definition.id)
            .where(Restatement.id == ident)
        )
    elif kind == "answer":
        found = session.scalar(
            select(Concern.dialogue_id)
            .join(ConcernAnswer, ConcernAnswer.concern_id == Concern.id)
            .where(ConcernAnswer.id == ident)
        )
    else:
        raise ValueError(f"no dialogue lookup for {kind!r}")
    if found is None:
        raise not_found(WHAT.get(kind, kind), ident)
    return int(found)


def access_to(
    session: Session, actor: Actor, kind: str, ident: int, *, need: Need = "read"
) -> Access:
    """:func:`dialogue_access` for the dialogue that row ``ident`` of ``kind`` belongs to.

    A row of a dialogue the actor may not read is not found, like the dialogue itself.
    """
    dialogue_id = dialogue_of(session, kind, ident)
    try:
        return dialogue_access(session, actor, dialogue_id, need=need)
    except NotFound:
        raise not_found(WHAT.get(kind, kind), ident) from None


def listed_dialogues(
    session: Session, actor: Actor, *, archived: bool = False, team_only: bool = False
) -> list[int]:
    """The dialogues a list shows this actor, newest first.

    Public ones for everyone, the ones the actor's team runs, and a participant's own;
    archived dialogues only when ``archived`` (the team's own archive); with ``team_only``
    just those the actor's team runs (the facilitator's own list).
    """
    mine = select(TeamMember.dialogue_id).where(TeamMember.account_id == actor.account_id)
    own = select(Participant.dialogue_id).where(
        Participant.id == actor.participant_id, Participant.removed_at.is_(None)
    )
    query = select(Dialogue.id)
    if team_only:
        query = query.where(Dialogue.id.in_(mine))
    elif not actor.admin:
        query = query.where(
            or_(Dialogue.visibility == "public", Dialogue.id.in_(mine), Dialogue.id.in_(own))
        )
    query = query.where(
        Dialogue.archived_at.is_not(None) if archived else Dialogue.archived_at.is_(None)
    )
    return list(session.scalars(query.order_by(Dialogue.id.desc())))
