"""A dialogue's facilitation team: its owner and the co-facilitators the owner adds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from alteram.errors import N_, Conflict, InvalidInput
from alteram.service.access import Actor, dialogue_access
from alteram.store.database import Store
from alteram.store.schema import TEAM_ROLES, Account, TeamMember


@dataclass(frozen=True)
class Facilitator:
    account_id: int
    email: str
    role: str
    added_at: datetime


def make_owner(session: Session, dialogue_id: int, account_id: int) -> None:
    """The creator of a dialogue owns it (inside the creating transaction)."""
    session.add(TeamMember(dialogue_id=dialogue_id, account_id=account_id, role="owner"))


def team(store: Store, *, actor: Actor, dialogue_id: int) -> list[Facilitator]:
    """The team of a dialogue (for its members)."""
    with store.read() as session:
        dialogue_access(session, actor, dialogue_id, need="team")
        rows = session.execute(
            select(TeamMember, Account.email)
            .join(Account, Account.id == TeamMember.account_id)
            .where(TeamMember.dialogue_id == dialogue_id)
            .order_by(TeamMember.role.desc(), TeamMember.added_at)
        ).all()
        return [Facilitator(m.account_id, email, m.role, m.added_at) for m, email in rows]


def add_facilitator(
    store: Store, *, actor: Actor, dialogue_id: int, email: str, role: str = "cofacilitator"
) -> int:
    """The owner adds a facilitator by account; returns the account's id."""
    if role not in TEAM_ROLES:
        raise InvalidInput(
            N_("a team role is owner or cofacilitator, not %(role)r."), params={"role": role}
        )
    address = email.strip().lower()
    with store.write() as session:
        dialogue_access(session, actor, dialogue_id, need="owner")
        account = session.scalar(select(Account).where(Account.email == address))
        if account is None:  # the body names nothing: invalid input (the dialogue exists)
            raise InvalidInput(
                N_("there is no facilitator account for %(email)s."),
                params={"email": address},
                hint=N_("Ask the machine's administrator: alteram facilitator create EMAIL."),
            )
        found = session.get(TeamMember, (dialogue_id, account.id))
        if found is not None:
            if found.role == role:
                raise Conflict(N_("%(email)s is in the team already."), params={"email": address})
            found.role = role
        else:
            session.add(
                TeamMember(
                    dialogue_id=dialogue_id,
                    account_id=account.id,
                    role=role,
                    added_by_account_id=actor.account_id,
                )
            )
        session.flush()
        _keep_an_owner(session, dialogue_id)
        return account.id


def remove_facilitator(store: Store, *, actor: Actor, dialogue_id: int, account_id: int) -> None:
    """The owner takes a facilitator off the team (never the last owner)."""
    with store.write() as session:
        dialogue_access(session, actor, dialogue_id, need="owner")
        session.execute(
            delete(TeamMember).where(
                TeamMember.dialogue_id == dialogue_id, TeamMember.account_id == account_id
            )
        )
        _keep_an_owner(session, dialogue_id)


def _keep_an_owner(session: Session, dialogue_id: int) -> None:
    owners = session.scalars(
        select(TeamMember.account_id).where(
            TeamMember.dialogue_id == dialogue_id, TeamMember.role == "owner"
        )
    ).all()
    if not owners:
        raise Conflict(
            N_("a dialogue keeps at least one owner."),
            hint=N_("Make someone else owner first."),
        )
