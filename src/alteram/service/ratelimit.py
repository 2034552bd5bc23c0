"""Limits on guessing and flooding, counted in the database so any number of workers agree.

Each limited action (a vote, a statement, a sign-in attempt, an unknown invite link...) is
counted against several keys at once: the participant, the network address it came from,
and where it applies the invite link or the account. A participant who joins again gets a
new participant count but keeps the address's, so joining again does not reset the limits.

A count is one row per key, ``(key, hits, window_ends_ms)``, changed by a single
``INSERT ... ON CONFLICT DO UPDATE ... WHERE hits < limit RETURNING hits``: on PostgreSQL
the row lock makes concurrent requests take turns, on SQLite writers already do, so exactly
``limit`` actions pass in a window, never more. The window starts at a key's first hit.
Counting happens in the caller's transaction (it is rolled back with a refused write).

``ALTERAM_RATE_LIMITS=off`` turns every limit off (:func:`configure`), for load tests on
loopback; the web application sets it from the settings at start-up.
"""

from __future__ import annotations

import contextvars
import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from sqlalchemy import BigInteger, Integer, bindparam, case, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from alteram.errors import N_, RateLimited
from alteram.store.database import Store
from alteram.store.schema import RateCounter


@dataclass(frozen=True)
class Rule:
    """At most ``limit`` actions per ``seconds``; ``window`` names the period in messages."""

    limit: int
    seconds: int
    window: str


def _per(limit: int, minutes: int) -> Rule:
    names = {1: N_("minute"), 10: N_("10 minutes"), 15: N_("15 minutes")}
    return Rule(limit, minutes * 60, names[minutes])


LIMITS: dict[str, dict[str, Rule]] = {
    "vote": {"participant": _per(120, 1), "address": _per(600, 1)},
    "statement": {"participant": _per(5, 1), "address": _per(25, 1)},
    # definitions, restatements, concerns and answers
    "text": {"participant": _per(10, 1), "address": _per(50, 1)},
    # votes on definitions, fairness ratings, "understood" marks, withdrawals
    "mark": {"participant": _per(60, 1), "address": _per(300, 1)},
    "assess": {"participant": _per(30, 1), "address": _per(150, 1)},
    "join": {"invite": _per(600, 10), "address": _per(30, 10)},
    "guess": {"address": _per(20, 10)},
    "sign_in": {"account": _per(10, 15), "address": _per(30, 15)},
}
"""Action -> who it is counted against -> its rule."""

_WHAT = {
    "vote": N_("votes"),
    "statement": N_("statements"),
    "text": N_("definitions, restatements, concerns and answers"),
    "mark": N_("votes on definitions, ratings and marks"),
    "assess": N_("checks of how a text reads"),
    "join": N_("joins"),
    "guess": N_("unknown invite links"),
    "sign_in": N_("sign-in attempts"),
}

_MESSAGES = {
    "participant": N_(
        "you have made %(limit)s %(what)s in the last %(window)s, the most alteram accepts."
    ),
    "address": N_(
        "%(limit)s %(what)s came from your network address in the last %(window)s, the most "
        "alteram accepts."
    ),
    "invite": N_(
        "%(limit)s people joined by this invite link in the last %(window)s, the most alteram "
        "accepts."
    ),
    "account": N_(
        "there were %(limit)s sign-in attempts for this email address in the last %(window)s, "
        "the most alteram accepts."
    ),
}

_address: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "alteram_client_address", default=None
)
_enabled = True


def configure(*, enabled: bool) -> None:
    """Turn every limit on or off for this process (``ALTERAM_RATE_LIMITS``)."""
    global _enabled
    _enabled = enabled


def enabled() -> bool:
    """True unless the limits were turned off."""
    return _enabled


@contextmanager
def asking_from(address: str | None) -> Iterator[None]:
    """Count what is done inside the block against ``address`` too (set by the web layer)."""
    token = _address.set(address)
    try:
        yield
    finally:
        _address.reset(token)


def current_address() -> str | None:
    """The address :func:`asking_from` set for this request (None outside one)."""
    return _address.get()


def account_key(email: str) -> str:
    """The key of an email address's sign-in count (a digest: emails are not stored here)."""
    return hashlib.sha256(email.encode("utf-8")).hexdigest()[:32]


def _keys(action: str, subjects: dict[str, object]) -> Iterator[tuple[str, str, Rule]]:
    subjects = {**subjects, "address": _address.get()}
    for who, rule in LIMITS[action].items():
        ident = subjects.get(who)
        if ident is not None:
            yield who, f"{action}:{who}:{ident}", rule


def _now_ms() -> int:
    return int(time.time() * 1000)


@cache
def _upsert(dialect_name: str) -> Executable:
    """The one statement that counts a hit, built once per dialect (with bound parameters)."""
    table = RateCounter.__table__
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    now, ends = bindparam("now", type_=BigInteger), bindparam("ends", type_=BigInteger)
    expired = table.c.window_ends_ms <= now
    statement: Executable = (
        dialect.insert(table)
        .values(key=bindparam("key"), hits=1, window_ends_ms=ends)
        .on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "hits": case((expired, 1), else_=table.c.hits + 1),
                "window_ends_ms": case((expired, ends), else_=table.c.window_ends_ms),
            },
            where=or_(expired, table.c.hits < bindparam("limit", type_=Integer)),
        )
        .returning(table.c.hits)
    )
    return statement


def _hit(session: Session, key: str, rule: Rule) -> int | None:
    """Count one hit on ``key``; its hits in the window, or None when the window is full."""
    now = _now_ms()
    statement = _upsert(session.get_bind().dialect.name)
    params = {"key": key, "now": now, "ends": now + rule.seconds * 1000, "limit": rule.limit}
    hits = session.execute(statement, params).scalar()
    return None if hits is None else int(hits)


def _refused(session: Session, action: str, who: str, key: str, rule: Rule) -> RateLimited:
    ends = session.scalar(select(RateCounter.window_ends_ms).where(RateCounter.key == key))
    error = RateLimited(
        _MESSAGES.get(who, _MESSAGES["address"]),
        params={"limit": rule.limit},
        terms={"what": _WHAT[action], "window": rule.window},
        hint=N_("Wait a little, then try again."),
    )
    error.retry_after = max(1, -(-((ends or 0) - _now_ms()) // 1000))  # type: ignore[attr-defined]
    return error


def charge(
    session: Session,
    action: str,
    *,
    participant: int | None = None,
    invite: int | None = None,
    account: str | None = None,
) -> None:
    """Count one ``action`` against each of its keys; :class:`RateLimited` when one is full."""
    if not _enabled:
        return
    subjects: dict[str, object] = {"participant": participant, "invite": invite, "account": account}
    counted: list[str] = []
    for who, key, rule in _keys(action, subjects):
        if _hit(session, key, rule) is None:
            # Take back what this call counted: a refused action leaves the counts as they
            # were, even in a transaction that goes on (the group commit's votes).
            _take_back(session, counted)
            raise _refused(session, action, who, key, rule)
        counted.append(key)


def charge_now(store: Store, action: str, **subjects: int | str | None) -> None:
    """:func:`charge` in a transaction of its own (committed even if what follows fails)."""
    if not _enabled:
        return
    with store.write() as session:
        charge(session, action, **subjects)  # type: ignore[arg-type]


def refund(session: Session, action: str, **subjects: int | str | None) -> None:
    """Take back one hit of ``action`` (e.g. an invite link that turned out to be valid)."""
    if not _enabled:
        return
    _take_back(session, [key for _, key, _rule in _keys(action, dict(subjects))])


def _take_back(session: Session, keys: list[str]) -> None:
    for key in keys:
        session.execute(
            update(RateCounter)
            .where(RateCounter.key == key, RateCounter.hits > 0)
            .values(hits=RateCounter.hits - 1)
        )


def clear(session: Session, action: str, **subjects: int | str | None) -> None:
    """Forget the counts of ``action`` for the given subjects (not the address's)."""
    for who, key, _rule in _keys(action, dict(subjects)):
        if who != "address":
            session.execute(delete(RateCounter).where(RateCounter.key == key))


def prune(session: Session, older_than_seconds: int = 3600) -> None:
    """Delete counts whose window ended more than ``older_than_seconds`` ago."""
    cutoff = _now_ms() - older_than_seconds * 1000
    session.execute(delete(RateCounter).where(RateCounter.window_ends_ms < cutoff))
