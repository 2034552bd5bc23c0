"""A dialogue's invite links, as its facilitation team manages them.

Three kinds (``Invite.kind``): a side's **open** link, reusable, with an optional cap (how
many may join by it) and expiry, paused and resumed at will; **personal** links, single use,
made from the list the team uploads (:mod:`alteram.service.invite_lists`); **observer**
links, admitting read-only members of one side or of no side.

Secrets are stored hashed. A batch of links is made from one random *seed*: each link's
secret is derived from the seed and the link's label (:func:`derived_token`), so whoever
holds the seed (the facilitator's browser, for a few minutes, see
:func:`issued_links`) can be shown the batch again without anything but hashes stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alteram.errors import N_, Conflict, InvalidInput
from alteram.service.access import ADMIN, Access, Actor, access_to, dialogue_access
from alteram.service.tokens import hash_token, new_token
from alteram.store.database import Store
from alteram.store.schema import Invite, Participant, Side, utcnow

MAX_CAP = 1_000_000
MAX_ID = 2**63 - 1  # ids beyond this are nobody's (and would overflow BIGINT)
LINK_KINDS = ("open", "observer")


@dataclass(frozen=True)
class IssuedLink:
    """One new link's secret (shown once)."""

    invite_id: int
    kind: str
    side_id: int | None
    external_id: str | None
    token: str


@dataclass(frozen=True)
class Issued:
    """A batch of new links and the seed their secrets derive from."""

    seed: str
    links: list[IssuedLink]


@dataclass(frozen=True)
class Joiner:
    participant_id: int
    display_name: str | None
    at: datetime
    removed: bool


@dataclass(frozen=True)
class InviteView:
    """A link as the team sees it: never its secret."""

    id: int
    kind: str
    role: str
    side_id: int | None
    side_name: str | None
    cap: int | None
    expires_at: datetime | None
    paused_at: datetime | None
    revoked_at: datetime | None
    used_at: datetime | None
    created_at: datetime
    external_id: str | None
    display_name: str | None
    joined: int
    joiners: list[Joiner] = field(default_factory=list)

    @property
    def state(self) -> str:
        """revoked, used, expired, full, paused or active (the first that applies)."""
        if self.revoked_at is not None:
            return "revoked"
        if self.kind == "personal" and self.used_at is not None:
            return "used"
        if self.expires_at is not None and self.expires_at <= utcnow():
            return "expired"
        if self.cap is not None and self.joined >= self.cap:
            return "full"
        return "paused" if self.paused_at is not None else "active"


def new_seed() -> str:
    """A fresh random seed for a batch of links."""
    return secrets.token_urlsafe(32)


def label(kind: str, side_id: int | None, external_id: str | None) -> str:
    """What tells a batch's links apart: a personal link's external id, else kind and side."""
    if kind == "personal":
        return f"personal:{external_id}"
    return f"{kind}:{side_id or 0}"


def derived_token(seed: str, what: str) -> str:
    """The secret of the link labelled ``what`` in the batch of ``seed`` (192 bits)."""
    digest = hmac.new(seed.encode(), what.encode("utf-8"), hashlib.sha256).digest()[:24]
    return base64.urlsafe_b64encode(digest).decode("ascii")


def add_invite(
    session: Session,
    dialogue_id: int,
    side_id: int | None,
    role: str = "participant",
    *,
    kind: str = "open",
    cap: int | None = None,
    expires_at: datetime | None = None,
    external_id: str | None = None,
    display_name: str | None = None,
    token: str | None = None,
) -> str:
    """Add a link in the caller's transaction; returns its secret (random unless given)."""
    secret = token or new_token()
    session.add(
        Invite(
            dialogue_id=dialogue_id,
            side_id=side_id,
            role=role,
            kind=kind,
            cap=cap,
            expires_at=expires_at,
            external_id=external_id,
            display_name=display_name,
            token_hash=hash_token(secret),
        )
    )
    return secret


def refuse_archived(access: Access) -> None:
    """Archived dialogues are read-only."""
    if access.archived:
        raise Conflict(
            N_("this dialogue is archived, and archived dialogues are read-only."),
            hint=N_("Its owner can take it out of the archive."),
        )


def check_limits(cap: int | None, expires_at: datetime | None) -> None:
    if cap is not None and not 1 <= cap <= MAX_CAP:
        raise InvalidInput(
            N_("a link's limit is a number of people from 1 to %(most)s; got %(cap)s."),
            params={"most": MAX_CAP, "cap": cap},
            hint=N_("Leave it empty for no limit."),
        )
    if expires_at is not None:
        if expires_at.tzinfo is None:
            raise InvalidInput(
                N_("an expiry needs its time zone, e.g. 2027-01-31T18:00:00+00:00."),
            )
        if expires_at <= utcnow():
            raise InvalidInput(
                N_("the expiry %(when)s is already past; give a time to come."),
                params={"when": expires_at.strftime("%Y-%m-%d %H:%M UTC")},
            )


def replace_invite(store: Store, *, side_id: int, actor: Actor = ADMIN) -> str:
    """Revoke a side's active open links and issue a new one; returns its secret.

    Personal, observer and delegate links of the side stay as they are.
    """
    with store.write() as session:
        access = access_to(session, actor, "side", side_id, need="team")
        refuse_archived(access)
        side = session.get(Side, side_id)
        assert side is not None
        now = utcnow()
        for invite in session.scalars(
            select(Invite).where(
                Invite.side_id == side.id,
                Invite.revoked_at.is_(None),
                Invite.kind == "open",
                Invite.role == "participant",
            )
        ):
            invite.revoked_at = now
        return add_invite(session, side.dialogue_id, side.id)


def create_link(
    store: Store,
    *,
    actor: Actor,
    dialogue_id: int,
    kind: str = "open",
    side_id: int | None = None,
    cap: int | None = None,
    expires_at: datetime | None = None,
) -> Issued:
    """A new open link of a side, or an observer link of a side or of no side."""
    if kind not in LINK_KINDS:
        raise InvalidInput(
            N_("a link is open (a side's) or observer (read only), not %(kind)r."),
            params={"kind": kind},
            hint=N_("Personal links come from an uploaded list."),
        )
    check_limits(cap, expires_at)
    with store.write() as session:
        refuse_archived(dialogue_access(session, actor, dialogue_id, need="team"))
        if side_id is not None:
            side = session.get(Side, side_id) if 1 <= side_id <= MAX_ID else None
            if side is None or side.dialogue_id != dialogue_id:
                raise InvalidInput(
                    N_("side %(side)s is not a side of this dialogue."), params={"side": side_id}
                )
        elif kind == "open":
            raise InvalidInput(
                N_("an open link admits to one side: choose the side."),
                hint=N_("Observers of no side get an observer link."),
            )
        seed = new_seed()
        token = derived_token(seed, label(kind, side_id, None))
        invite = Invite(
            dialogue_id=dialogue_id,
            side_id=side_id,
            role="observer" if kind == "observer" else "participant",
            kind=kind,
            cap=cap,
            expires_at=expires_at,
            token_hash=hash_token(token),
        )
        session.add(invite)
        session.flush()
        return Issued(seed, [IssuedLink(invite.id, kind, side_id, None, token)])


def _managed(session: Session, actor: Actor, invite_id: int) -> Invite:
    refuse_archived(access_to(session, actor, "invite", invite_id, need="team"))
    invite = session.get(Invite, invite_id, with_for_update=True)
    assert invite is not None
    if invite.revoked_at is not None:
        raise Conflict(
            N_("invite %(id)s was revoked; a revoked link cannot be changed."),
            params={"id": invite_id},
            hint=N_("Make a new link instead."),
        )
    return invite


def set_limits(
    store: Store,
    *,
    actor: Actor,
    invite_id: int,
    cap: int | None,
    expires_at: datetime | None,
) -> None:
    """Set (or, with None, lift) an open or observer link's cap and expiry."""
    check_limits(cap, expires_at)
    with store.write() as session:
        invite = _managed(session, actor, invite_id)
        if invite.kind == "personal":
            raise InvalidInput(
                N_("a personal link admits one person and has no limit or expiry to set."),
            )
        invite.cap = cap
        invite.expires_at = expires_at


def pause(store: Store, *, actor: Actor, invite_id: int, paused: bool = True) -> None:
    """Pause a link (nobody joins by it until resumed) or, with ``paused=False``, resume it."""
    with store.write() as session:
        invite = _managed(session, actor, invite_id)
        if paused and invite.paused_at is None:
            invite.paused_at = utcnow()
        elif not paused:
            invite.paused_at = None


def revoke(store: Store, *, actor: Actor, invite_id: int) -> None:
    """Revoke a link for good; the people who joined by it stay members."""
    with store.write() as session:
        invite = _managed(session, actor, invite_id)
        invite.revoked_at = utcnow()


def list_invites(store: Store, *, actor: Actor, dialogue_id: int) -> list[InviteView]:
    """Every link of the dialogue, newest first, with who joined by each and when."""
    with store.read() as session:
        dialogue_access(session, actor, dialogue_id, need="team")
        return invites_of(session, dialogue_id)


def invites_of(session: Session, dialogue_id: int) -> list[InviteView]:
    names = dict(
        session.execute(select(Side.id, Side.name).where(Side.dialogue_id == dialogue_id)).all()
    )
    joiners: dict[int, list[Joiner]] = {}
    for pid, by, name, at, removed in session.execute(
        select(
            Participant.id,
            Participant.invite_id,
            Participant.display_name,
            Participant.created_at,
            Participant.removed_at,
        )
        .where(Participant.dialogue_id == dialogue_id, Participant.invite_id.is_not(None))
        .order_by(Participant.id)
    ):
        if by is not None:
            joiners.setdefault(by, []).append(Joiner(pid, name, at, removed is not None))
    return [
        InviteView(
            i.id,
            i.kind,
            i.role,
            i.side_id,
            names.get(i.side_id) if i.side_id is not None else None,
            i.cap,
            i.expires_at,
            i.paused_at,
            i.revoked_at,
            i.used_at,
            i.created_at,
            i.external_id,
            i.display_name,
            len(joiners.get(i.id, [])),
            joiners.get(i.id, []),
        )
        for i in session.scalars(
            select(Invite).where(Invite.dialogue_id == dialogue_id).order_by(Invite.id.desc())
        )
    ]


def joined_by(session: Session, invite_id: int) -> int:
    """How many people joined by a link (removed ones included)."""
    return int(
        session.scalar(select(func.count(Participant.id)).where(Participant.invite_id == invite_id))
        or 0
    )


def issued_links(store: Store, *, actor: Actor, dialogue_id: int, seed: str) -> list[IssuedLink]:
    """The active links of a batch, found again from its seed (in the order made)."""
    with store.read() as session:
        dialogue_access(session, actor, dialogue_id, need="team")
        found = []
        for invite in session.scalars(
            select(Invite)
            .where(Invite.dialogue_id == dialogue_id, Invite.revoked_at.is_(None))
            .order_by(Invite.id)
        ):
            token = derived_token(seed, label(invite.kind, invite.side_id, invite.external_id))
            if hmac.compare_digest(hash_token(token), invite.token_hash):
                found.append(
                    IssuedLink(invite.id, invite.kind, invite.side_id, invite.external_id, token)
                )
        return found


MAX_EXTERNAL_ID = 200


def external_id_problem(value: str) -> str | None:
    """What is wrong with an external id (None when it is fine); ``value`` is stripped."""
    if not value:
        return N_("an external id cannot be empty")
    if len(value) > MAX_EXTERNAL_ID:
        return N_("an external id has at most 200 characters")
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        return N_("an external id cannot contain control characters")
    return None
