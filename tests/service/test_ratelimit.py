"""Limits on flooding and guessing, counted in the database, on both stores.

Each limit is exact (the limit passes, the next is refused), is kept per participant and per
network address (so joining again does not reset it), and ``configure(enabled=False)``
(``ALTERAM_RATE_LIMITS=off``) turns them all off.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from alteram.errors import Forbidden, NotFound, RateLimited
from alteram.service import ratelimit
from alteram.service.accounts import create_facilitator, sign_in
from alteram.service.dialogues import create_dialogue
from alteram.service.participation import add_statement, admit, record_vote
from alteram.store.database import Store
from alteram.store.schema import Participant, RateCounter, Statement, Vote
from tests.factories import make_world, statement

PASSWORD = "a long enough passphrase"


@pytest.fixture(autouse=True)
def limits_on() -> Iterator[None]:
    ratelimit.configure(enabled=True)
    yield
    ratelimit.configure(enabled=True)


@pytest.fixture
def few_sign_ins(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lower sign-in limits (each attempt costs an argon2 hash: keep the tests short)."""
    monkeypatch.setitem(
        ratelimit.LIMITS,
        "sign_in",
        {
            "account": ratelimit.Rule(3, 900, "15 minutes"),
            "address": ratelimit.Rule(5, 900, "15 minutes"),
        },
    )


def test_votes_per_participant_stop_exactly_at_the_limit(store: Store) -> None:
    w = make_world(store)
    sid = statement(store, w, "a1", "Rivers need both banks.")
    limit = ratelimit.LIMITS["vote"]["participant"].limit
    for _ in range(limit):
        record_vote(store, participant_id=w.people["b1"], statement_id=sid, value=1)
    with pytest.raises(RateLimited, match=f"{limit} votes in the last minute") as refused:
        record_vote(store, participant_id=w.people["b1"], statement_id=sid, value=1)
    assert 1 <= refused.value.retry_after <= 60  # type: ignore[attr-defined]
    # Another participant has a budget of their own.
    record_vote(store, participant_id=w.people["b2"], statement_id=sid, value=1)
    with store.read() as s:
        assert s.scalar(select(func.count(Vote.id))) == limit + 1


def test_joining_again_does_not_reset_the_limits_of_an_address(store: Store) -> None:
    w = make_world(store)
    per_person = ratelimit.LIMITS["statement"]["participant"].limit
    per_address = ratelimit.LIMITS["statement"]["address"].limit
    written = 0
    refused_first = 0
    with ratelimit.asking_from("198.51.100.7"):
        for n in range(per_address // per_person + 2):
            person = admit(store, token=w.tokens[w.sides[0]], display_name=f"again {n}")
            for i in range(per_person + 1):
                try:
                    add_statement(
                        store,
                        participant_id=person.participant_id,
                        round_id=w.round_id,
                        text=f"Joined {n} times, statement {i}",
                        read_move=False,
                    )
                    written += 1
                except RateLimited:
                    refused_first += i == 0
                    break
    assert written == per_address
    assert refused_first >= 1  # a fresh participant from the same address was refused at once
    # From another address the same person's side can still write.
    with ratelimit.asking_from("198.51.100.8"):
        fresh = admit(store, token=w.tokens[w.sides[0]]).participant_id
        add_statement(store, participant_id=fresh, round_id=w.round_id, text="Hi", read_move=False)
    with store.read() as s:
        assert s.scalar(select(func.count(Statement.id))) == per_address + 1


def test_joins_per_link_and_per_address(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    created = create_dialogue(store, title="Joins", sides=["A", "B"])
    token = created.invite_tokens[created.side_ids[0]]
    per_address = ratelimit.LIMITS["join"]["address"].limit
    with ratelimit.asking_from("198.51.100.20"):
        for _ in range(per_address):
            admit(store, token=token)
        with pytest.raises(RateLimited, match="network address"):
            admit(store, token=token)
    # A link's own limit, lowered here so that the test stays short.
    rules = dict(ratelimit.LIMITS["join"])
    monkeypatch.setitem(
        ratelimit.LIMITS, "join", {**rules, "invite": ratelimit.Rule(3, 600, "10 minutes")}
    )
    other = created.invite_tokens[created.side_ids[1]]
    for n in range(3):
        with ratelimit.asking_from(f"198.51.100.{30 + n}"):
            admit(store, token=other)
    with ratelimit.asking_from("198.51.100.40"), pytest.raises(RateLimited, match="invite link"):
        admit(store, token=other)
    with store.read() as s:
        assert s.scalar(select(func.count(Participant.id))) == per_address + 3


def test_guessing_invite_links_is_limited_per_address(store: Store) -> None:
    created = create_dialogue(store, title="Guesses", sides=["A", "B"])
    token = created.invite_tokens[created.side_ids[0]]
    limit = ratelimit.LIMITS["guess"]["address"].limit
    with ratelimit.asking_from("203.0.113.5"):
        admit(store, token=token)  # a valid link is not a guess
        for n in range(limit):
            with pytest.raises(NotFound):
                admit(store, token=f"guess-{n}")
        # Now even the right link is refused from this address for a while ...
        with pytest.raises(RateLimited, match="unknown invite links"):
            admit(store, token=token)
    # ... but not from another one.
    with ratelimit.asking_from("203.0.113.6"):
        admit(store, token=token)


@pytest.mark.usefixtures("few_sign_ins")
def test_sign_in_attempts_are_limited_per_account_and_per_address(store: Store) -> None:
    create_facilitator(store, email="f@example.org", password=PASSWORD)
    per_account = ratelimit.LIMITS["sign_in"]["account"].limit
    for n in range(per_account):
        with ratelimit.asking_from(f"192.0.2.{n + 1}"), pytest.raises(Forbidden):
            sign_in(store, email="f@example.org", password=f"wrong {n}")
    with ratelimit.asking_from("192.0.2.200"), pytest.raises(RateLimited, match="email address"):
        sign_in(store, email="F@Example.org", password=PASSWORD)  # even the right one, for now
    # An unknown email is limited in the same way: the answers tell nothing about accounts.
    for n in range(per_account):
        with ratelimit.asking_from(f"192.0.2.{n + 1}"), pytest.raises(Forbidden):
            sign_in(store, email="nobody@example.org", password=f"wrong {n}")
    with ratelimit.asking_from("192.0.2.201"), pytest.raises(RateLimited, match="email address"):
        sign_in(store, email="nobody@example.org", password="x")
    per_address = ratelimit.LIMITS["sign_in"]["address"].limit
    with ratelimit.asking_from("192.0.2.250"):
        for n in range(per_address):
            with pytest.raises(Forbidden):
                sign_in(store, email=f"guess{n}@example.org", password="x")
        with pytest.raises(RateLimited, match="network address"):
            sign_in(store, email="other@example.org", password="x")


@pytest.mark.usefixtures("few_sign_ins")
def test_a_successful_sign_in_clears_the_account_count(store: Store) -> None:
    create_facilitator(store, email="g@example.org", password=PASSWORD)
    per_account = ratelimit.LIMITS["sign_in"]["account"].limit
    for n in range(per_account - 1):
        with ratelimit.asking_from(f"192.0.2.{n + 1}"), pytest.raises(Forbidden):
            sign_in(store, email="g@example.org", password="wrong")
    assert sign_in(store, email="g@example.org", password=PASSWORD)
    for n in range(per_account - 1):
        with ratelimit.asking_from(f"192.0.2.{n + 1}"), pytest.raises(Forbidden):
            sign_in(store, email="g@example.org", password="wrong")


def test_off_turns_every_limit_off(store: Store) -> None:
    w = make_world(store)
    sid = statement(store, w, "a1", "No limits for load tests.")
    with store.read() as s:
        counters = s.scalar(select(func.count()).select_from(RateCounter))
    ratelimit.configure(enabled=False)
    limit = ratelimit.LIMITS["vote"]["participant"].limit
    for _ in range(limit + 5):
        record_vote(store, participant_id=w.people["b1"], statement_id=sid, value=0)
    for n in range(ratelimit.LIMITS["statement"]["participant"].limit + 2):
        statement(store, w, "a2", f"Many statements {n}")
    with store.read() as s:
        assert s.scalar(select(func.count(Vote.id))) == limit + 5
        assert s.scalar(select(func.count()).select_from(RateCounter)) == counters
