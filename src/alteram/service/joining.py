"""Joining a dialogue by an invite link: what the link admits to, and admitting a person.

Every refusal says why and what to do: a link revoked, paused, expired or at its limit; a
personal link already used; an external id already used in the dialogue, or not the one a
personal link was made for. The link's row is locked while a person joins, so on PostgreSQL
as on SQLite exactly ``cap`` people join by a link however many try at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alteram.errors import N_, AlteramError, Conflict, Forbidden, InvalidInput, NotFound
from alteram.service import ratelimit
from alteram.service.invites import external_id_problem, joined_by
from alteram.service.lookup import get
from alteram.service.shown import Shown, TextReader
from alteram.service.textcheck import LIMITS, optional, secret
from alteram.service.texts import language_of
from alteram.service.tokens import hash_token
from alteram.store.database import Store
from alteram.store.schema import Dialogue, Invite, Participant, Side, utcnow

MAX_DISPLAY_NAME = LIMITS["display_name"].high


@dataclass(frozen=True)
class Admitted:
    participant_id: int
    dialogue_id: int
    side_id: int | None
    role: str


@dataclass(frozen=True)
class InviteInfo:
    """What a person sees before joining by a link."""

    dialogue_id: int
    title: Shown
    charter: Shown
    simulated: bool
    side_id: int | None
    side_name: str | None
    other_sides: list[str]
    role: str
    machine_translation: bool = False
    kind: str = "open"
    display_name: str | None = None


def when(moment: datetime) -> str:
    """A moment as refusals name it: 2027-01-31 18:00 UTC."""
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def find_invite(session: Session, token: str, *, lock: bool = False) -> Invite:
    """The invite for ``token``; :class:`NotFound` or :class:`Forbidden` when revoked."""
    query = select(Invite).where(Invite.token_hash == hash_token(token))
    invite = session.scalar(query.with_for_update() if lock else query)
    if invite is None:
        raise NotFound(
            N_("this invite link is not known."),
            hint=N_("Check that you copied the whole link, or ask the facilitator for a new one."),
        )
    if invite.revoked_at is not None:
        raise Forbidden(
            N_("this invite link was revoked by the facilitator."),
            hint=N_("Ask the facilitator for your side's current link."),
        )
    return invite


@contextmanager
def guarded_invite(
    store: Store, token: str, *, lock: bool = False
) -> Iterator[tuple[Session, Invite]]:
    """A write transaction with the invite of ``token``, guessing limited per address.

    Every link tried counts as a guess until it proves known (the count is committed first,
    so that a wrong guess stays counted); a known link refused for another reason (revoked,
    paused, full...) is no guess and is taken back.
    """
    ratelimit.charge_now(store, "guess")
    try:
        with store.write() as session:
            invite = find_invite(session, token, lock=lock)
            ratelimit.refund(session, "guess")
            yield session, invite
    except NotFound:
        raise
    except AlteramError:
        with store.write() as session:
            ratelimit.refund(session, "guess")
        raise


def check_usable(session: Session, invite: Invite) -> None:
    """Refuse a link nobody may join by now, saying why (revocation aside: see find_invite)."""
    dialogue = get(session, Dialogue, invite.dialogue_id)
    if dialogue.archived_at is not None:
        raise Forbidden(
            N_("this dialogue is archived: nobody joins it any more."),
            hint=N_("Its published reports stay readable."),
        )
    if invite.kind == "personal" and invite.used_at is not None:
        raise Conflict(
            N_("this personal link was already used on %(date)s: each admits one person."),
            params={"date": when(invite.used_at)},
            hint=N_("If that was not you, ask the facilitator for a new link."),
        )
    if invite.expires_at is not None and invite.expires_at <= utcnow():
        raise Forbidden(
            N_("this link expired on %(date)s."),
            params={"date": when(invite.expires_at)},
            hint=N_("Ask the facilitator for a new link."),
        )
    if invite.paused_at is not None:
        raise Forbidden(
            N_("this link is paused by the facilitator."),
            hint=N_("Try again later, or ask the facilitator when it opens again."),
        )
    if invite.cap is not None and joined_by(session, invite.id) >= invite.cap:
        raise Conflict(
            N_("this link has reached its limit of %(cap)s people; ask the facilitator."),
            params={"cap": invite.cap},
        )


def invite_info(store: Store, token: str, *, lang: str | None = None) -> InviteInfo:
    """The dialogue and side a link admits to (refused when nobody may join by it now)."""
    token = secret(token, "token")
    with guarded_invite(store, token) as (session, invite):
        check_usable(session, invite)
        dialogue = get(session, Dialogue, invite.dialogue_id)
        reader = TextReader(session, dialogue.id, lang)

        def shown(item: str, i: int, text: str) -> Shown:
            return reader.show(item, i, text, language_of(text))

        sides = session.scalars(
            select(Side).where(Side.dialogue_id == dialogue.id).order_by(Side.position)
        ).all()
        mine = next((s for s in sides if s.id == invite.side_id), None)
        return InviteInfo(
            dialogue.id,
            shown("dialogue.title", dialogue.id, dialogue.title),
            shown("dialogue.charter", dialogue.id, dialogue.charter),
            dialogue.simulated,
            mine.id if mine else None,
            str(shown("side.name", mine.id, mine.name)) if mine else None,
            [str(shown("side.name", s.id, s.name)) for s in sides if s is not mine],
            invite.role,
            reader.machine,
            invite.kind,
            invite.display_name,
        )


def _external_id(raw: str | None) -> str | None:
    value = (raw or "").strip()
    if not value:
        return None
    problem = external_id_problem(value)
    if problem is not None:
        raise InvalidInput(N_("external_id: %(problem)s."), terms={"problem": problem})
    return value


def _taken(external_id: str) -> Conflict:
    return Conflict(
        N_("the external id %(id)r is already used in this dialogue."),
        params={"id": external_id},
        hint=N_("If it is yours, go back to the device you joined on, or ask the facilitator."),
    )


def admit(
    store: Store,
    *,
    token: str,
    display_name: str | None = None,
    anonymous: bool = False,
    external_id: str | None = None,
) -> Admitted:
    """Admit a person by the invite link ``token`` (to its side, in its role).

    ``external_id`` is the person's id in the facilitator's own list (like Polis's xid):
    unique in the dialogue and never shown to other participants. A personal link carries
    its own; one given with it must be the same. Joins are limited per link and per
    address, and unknown links per address (guessing).
    """
    token = secret(token, "token")
    name = optional(display_name, "display_name")
    xid = _external_id(external_id)
    with guarded_invite(store, token, lock=True) as (session, invite):
        check_usable(session, invite)
        ratelimit.charge(session, "join", invite=invite.id)
        ratelimit.prune(session)
        now = utcnow()
        if invite.kind == "personal":
            if xid is not None and xid != invite.external_id:
                raise Forbidden(
                    N_("this personal link was made for another external id than %(id)r."),
                    params={"id": xid},
                    hint=N_("Join without an external id, or by the link made for you."),
                )
            xid = invite.external_id
            name = name or invite.display_name
            invite.used_at = now
        if xid is not None and session.scalar(
            select(Participant.id).where(
                Participant.dialogue_id == invite.dialogue_id, Participant.external_id == xid
            )
        ):
            raise _taken(xid)
        if xid is not None and invite.kind != "personal":
            reserved = session.scalar(
                select(Invite.id).where(
                    Invite.dialogue_id == invite.dialogue_id,
                    Invite.external_id == xid,
                    Invite.revoked_at.is_(None),
                )
            )
            if reserved is not None:
                raise Conflict(
                    N_("the external id %(id)r belongs to a personal invite."),
                    params={"id": xid},
                    hint=N_("Join by your personal link instead."),
                )
        person = Participant(
            dialogue_id=invite.dialogue_id,
            side_id=invite.side_id,
            role=invite.role,
            display_name=name,
            anonymous=anonymous,
            external_id=xid,
            invite_id=invite.id,
            created_at=now,
        )
        session.add(person)
        try:
            session.flush()
        except IntegrityError:  # the same external id joined at the same moment
            if xid is None:
                raise
            raise _taken(xid) from None
        return Admitted(person.id, invite.dialogue_id, invite.side_id, invite.role)
