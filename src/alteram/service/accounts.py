"""Facilitator accounts and sign-in sessions (participants' and facilitators').

Passwords are hashed with argon2; session tokens are random and stored as SHA-256 hashes.
A CSRF token is derived from the session token with HMAC, so nothing more is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from alteram.errors import N_, Conflict, Forbidden, InvalidInput
from alteram.service import ratelimit
from alteram.service.textcheck import clean, secret
from alteram.service.tokens import hash_token, new_token
from alteram.store.database import Store
from alteram.store.schema import Account, Participant, WebSession, utcnow

SESSION_DAYS = 30
MIN_PASSWORD = 10
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_hasher = PasswordHasher()
_dummy_hash: str | None = None


def _dummy() -> str:
    """A hash to verify against for unknown accounts: the same work, so the same time."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash(new_token())
    return _dummy_hash


@dataclass(frozen=True)
class Principal:
    """Who is asking: a participant of one side of one dialogue, or a facilitator."""

    kind: str  # "participant" or "facilitator"
    session_id: int
    participant_id: int | None = None
    dialogue_id: int | None = None
    side_id: int | None = None
    role: str | None = None
    account_id: int | None = None
    email: str | None = None
    removed_at: datetime | None = None  # the team removed this participant

    @property
    def is_facilitator(self) -> bool:
        return self.kind == "facilitator"


def create_facilitator(store: Store, *, email: str, password: str) -> int:
    """Create a facilitator account; returns its id."""
    email = clean(email, "email").lower()
    password = secret(password, "password")
    if not _EMAIL.match(email):
        raise InvalidInput(N_("%(email)r is not an email address."), params={"email": email})
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            N_("a password needs at least %(limit)s characters."),
            params={"limit": MIN_PASSWORD},
            hint=N_("Choose a longer passphrase."),
        )
    with store.write() as session:
        if session.scalar(select(Account.id).where(Account.email == email)) is not None:
            raise Conflict(N_("an account for %(email)s exists already."), params={"email": email})
        account = Account(email=email, password_hash=_hasher.hash(password))
        session.add(account)
        try:
            session.flush()
        except IntegrityError as exc:
            raise Conflict(
                N_("an account for %(email)s exists already."), params={"email": email}
            ) from exc
        return account.id


def sign_in(store: Store, *, email: str, password: str) -> str:
    """Check a facilitator's password; returns a new session token.

    Attempts are limited per email address (known or not) and per network address, and an
    unknown address costs the same argon2 work as a known one, so neither the answer nor
    its time tells whether an account exists. A successful sign-in clears the email's count.
    """
    email = clean(email, "email").lower()
    password = secret(password, "password")
    account_key = ratelimit.account_key(email)
    ratelimit.charge_now(store, "sign_in", account=account_key)
    with store.read() as session:
        account = session.scalar(select(Account).where(Account.email == email))
        stored = account.password_hash if account else None
        account_id = account.id if account else None
    try:
        _hasher.verify(stored or _dummy(), password)
        if stored is None:
            raise VerificationError
    except (VerificationError, InvalidHashError) as exc:
        raise Forbidden(
            N_("the email or the password is wrong."), hint=N_("Check both and try again.")
        ) from exc
    with store.write() as session:
        ratelimit.clear(session, "sign_in", account=account_key)
    return start_session(store, account_id=account_id)


def start_session(
    store: Store, *, participant_id: int | None = None, account_id: int | None = None
) -> str:
    """Open a session for a participant or an account; returns its secret token."""
    token = new_token()
    with store.write() as session:
        session.add(
            WebSession(
                token_hash=hash_token(token),
                participant_id=participant_id,
                account_id=account_id,
                expires_at=utcnow() + timedelta(days=SESSION_DAYS),
            )
        )
    return token


def resolve(store: Store, token: str | None) -> Principal | None:
    """The principal of a session token, or None when unknown, expired or ended."""
    if not token:
        return None
    with store.read() as session:
        found = session.execute(
            select(WebSession, Participant, Account)
            .outerjoin(Participant, Participant.id == WebSession.participant_id)
            .outerjoin(Account, Account.id == WebSession.account_id)
            .where(WebSession.token_hash == hash_token(token))
        ).first()
        if found is None:
            return None
        row, person, account = found
        if row.revoked_at is not None or row.expires_at < utcnow():
            return None
        if account is not None:
            return Principal("facilitator", row.id, account_id=account.id, email=account.email)
        assert person is not None
        return Principal(
            "participant",
            row.id,
            participant_id=person.id,
            dialogue_id=person.dialogue_id,
            side_id=person.side_id,
            role=person.role,
            removed_at=person.removed_at,
        )


def end_session(store: Store, token: str) -> None:
    """Sign out: the session token stops working."""
    with store.write() as session:
        row = session.scalar(select(WebSession).where(WebSession.token_hash == hash_token(token)))
        if row is not None and row.revoked_at is None:
            row.revoked_at = utcnow()


def csrf_token(secret: str, session_token: str) -> str:
    """The CSRF token that forms of this session must carry."""
    return hmac.new(secret.encode(), b"csrf:" + session_token.encode(), hashlib.sha256).hexdigest()


def check_csrf(secret: str, session_token: str, presented: str | None) -> None:
    """Refuse a write whose CSRF token does not match its session."""
    if not presented or not hmac.compare_digest(csrf_token(secret, session_token), presented):
        raise Forbidden(
            N_("this form has expired or did not come from alteram."),
            hint=N_("Reload the page and send it again."),
        )
