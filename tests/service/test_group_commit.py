"""Group commit: concurrent votes share a transaction, each keeps its own outcome."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from alteram.errors import N_, Conflict, Forbidden, InvalidInput
from alteram.service import group_commit
from alteram.service.group_commit import PendingVote, commit_votes
from alteram.service.participation import VoteRecorded, moderate_statement
from alteram.service.side_counts import recount
from alteram.store.database import Store
from alteram.store.schema import Participant, Prediction, StatementSideCount, Vote, utcnow
from tests.factories import make_world, statement


def _counts(store: Store) -> dict[tuple[int, int], tuple[int, int, int]]:
    with store.read() as s:
        return {
            (c.statement_id, c.side_id): (c.agree, c.disagree, c.passes)
            for c in s.scalars(select(StatementSideCount))
        }


def _recounted(store: Store, round_id: int) -> dict[tuple[int, int], tuple[int, int, int]]:
    """The counts rebuilt from the votes table (then put back as they were)."""
    with store.write() as s:
        recount(s, round_ids=[round_id])
        rebuilt = {
            (c.statement_id, c.side_id): (c.agree, c.disagree, c.passes)
            for c in s.scalars(select(StatementSideCount))
        }
        s.rollback()
    return {k: v for k, v in rebuilt.items() if any(v)}


def test_concurrent_votes_are_all_stored_acknowledged_and_counted(store: Store) -> None:
    w = make_world(store)
    statements = [statement(store, w, "a1", f"Share the river, part {i}.") for i in range(4)]
    voters = ["a2", "b1", "b2"]
    jobs = [(voters[i % 3], statements[i % 4], (-1, 0, 1)[i % 3], i % 7 == 0) for i in range(120)]

    def vote(job: tuple[str, int, int, bool]) -> VoteRecorded:
        who, sid, value, predict = job
        other = w.sides[0] if who.startswith("b") else w.sides[1]
        return group_commit.record_vote(
            store,
            participant_id=w.people[who],
            statement_id=sid,
            value=value,
            predictions={other: 40} if predict else None,
        )

    with ThreadPoolExecutor(24) as pool:
        recorded = list(pool.map(vote, jobs))
    ids = [r.vote_id for r in recorded]
    assert len(set(ids)) == len(jobs)
    with store.read() as s:
        stored = set(s.scalars(select(Vote.id)))
        n_predictions = s.scalar(select(func.count(Prediction.id)))
    assert stored == set(ids)  # every acknowledged vote is stored, nothing more
    assert n_predictions == sum(1 for j in jobs if j[3])
    # The per-side counts kept batch by batch equal those rebuilt from the votes.
    assert {k: v for k, v in _counts(store).items() if any(v)} == _recounted(store, w.round_id)


def test_a_refused_vote_in_a_batch_does_not_fail_the_others(store: Store) -> None:
    w = make_world(store, moderation="post")
    good = statement(store, w, "a1", "Share the river.")
    rejected = statement(store, w, "a2", "Close the river.")
    moderate_statement(store, statement_id=rejected, accept=False, reason="off topic")
    with store.write() as s:
        removed = s.get(Participant, w.people["b2"])
        assert removed is not None
        removed.removed_at = utcnow()
    batch = [
        PendingVote(w.people["b1"], good, 1, {w.sides[0]: 70}, None),
        PendingVote(w.people["b1"], rejected, 1, None, None),  # moderated out
        PendingVote(w.people["a2"], good, -1, {w.sides[0]: 50}, None),  # own side: invalid
        PendingVote(w.people["b2"], good, 1, None, None),  # removed from the dialogue
        PendingVote(w.people["b1"], good, -1, None, None),  # replaces the first, same batch
        PendingVote(w.people["a2"], good, 0, None, None),
    ]
    outcomes = commit_votes(store, batch)
    kinds = [VoteRecorded, Conflict, InvalidInput, Forbidden, VoteRecorded, VoteRecorded]
    assert [isinstance(o, k) for o, k in zip(outcomes, kinds, strict=True)] == [True] * 6
    first, replaced, last = outcomes[0], outcomes[4], outcomes[5]
    assert isinstance(first, VoteRecorded) and isinstance(replaced, VoteRecorded)
    assert isinstance(last, VoteRecorded)
    assert (first.replaced_earlier_vote, replaced.replaced_earlier_vote) == (False, True)
    assert "rejected" in str(outcomes[1]) and "another side" in str(outcomes[2])
    with store.read() as s:
        rows = s.execute(select(Vote.participant_id, Vote.value).order_by(Vote.id)).all()
        predictions = s.execute(select(Prediction.vote_id, Prediction.share)).all()
    assert sorted(rows) == sorted([(w.people["b1"], 1), (w.people["b1"], -1), (w.people["a2"], 0)])
    assert predictions == [(first.vote_id, 70)]
    # b1's latest is a disagree (side 1), a2's a pass (side 0).
    assert _counts(store) == {(good, w.sides[1]): (0, 1, 0), (good, w.sides[0]): (0, 0, 1)}


def test_a_vote_refused_before_the_batch_is_not_queued(store: Store) -> None:
    w = make_world(store)
    sid = statement(store, w, "a1", "Share the river.")
    with pytest.raises(InvalidInput, match="agree"):
        group_commit.record_vote(store, participant_id=w.people["b1"], statement_id=sid, value=2)
    with store.read() as s:
        assert s.scalar(select(func.count(Vote.id))) == 0


def test_when_the_batch_transaction_fails_every_vote_in_it_gets_a_503(store: Store) -> None:
    w = make_world(store)
    sid = statement(store, w, "a1", "Share the river.")
    batch = [PendingVote(w.people[p], sid, 1, None, None) for p in ("a2", "b1", "b2")]
    store.dispose()
    broken = Store(store.url + ("_gone" if store.dialect == "postgresql" else ""))
    if broken.dialect == "sqlite":
        assert broken.path is not None
        broken.path.unlink()
        broken.path.mkdir()  # the database file is gone: a folder stands in its place
    outcomes = commit_votes(broken, batch)
    broken.dispose()
    assert all(type(o).__name__ == "StoreUnavailable" for o in outcomes)
    assert all(o.status == 503 for o in outcomes if not isinstance(o, VoteRecorded))


def test_the_committer_counts_a_vote_against_the_voter_s_address(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The committer runs in a thread of its own: the address the web layer set for the
    request must still be counted (per-address limits stay on)."""
    from alteram.errors import RateLimited
    from alteram.service import ratelimit

    w = make_world(store)
    sid = statement(store, w, "a1", "Rivers need both banks.")
    monkeypatch.setitem(ratelimit.LIMITS, "vote", {"address": ratelimit.Rule(3, 60, "minute")})
    ratelimit.configure(enabled=True)
    voters = ["a2", "b1", "b2"]
    with ratelimit.asking_from("203.0.113.7"):
        for who in voters:
            group_commit.record_vote(store, participant_id=w.people[who], statement_id=sid, value=1)
        with pytest.raises(RateLimited, match="network address"):
            group_commit.record_vote(
                store, participant_id=w.people["b1"], statement_id=sid, value=-1
            )
    with ratelimit.asking_from("198.51.100.9"):  # another address has a budget of its own
        group_commit.record_vote(store, participant_id=w.people["b1"], statement_id=sid, value=-1)


def test_a_batch_takes_no_savepoint_per_vote_when_refusals_write_nothing(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Refusals (here a per-address limit reached by the second key of two) write nothing,
    so a batch with refused votes is still run once, without savepoints."""
    from alteram.errors import RateLimited
    from alteram.service import ratelimit
    from alteram.store.schema import RateCounter

    w = make_world(store)
    sid = statement(store, w, "a1", "Rivers need both banks.")
    rules = {"participant": ratelimit.Rule(5, 60, "minute"), "address": ratelimit.Rule(2, 60, "m")}
    monkeypatch.setitem(ratelimit.LIMITS, "vote", rules)
    ratelimit.configure(enabled=True)
    runs: list[bool] = []
    real = group_commit._in_one_transaction

    def counted(store: Store, batch: list[PendingVote], *, savepoints: bool) -> object:
        runs.append(savepoints)
        return real(store, batch, savepoints=savepoints)

    monkeypatch.setattr(group_commit, "_in_one_transaction", counted)
    address = "203.0.113.8"
    batch = [
        PendingVote(w.people[p], sid, 1, None, None, address=address) for p in ("a2", "b1", "b2")
    ]
    outcomes = commit_votes(store, batch)
    assert runs == [False]
    assert [type(o) for o in outcomes] == [VoteRecorded, VoteRecorded, RateLimited]
    with store.read() as s:
        hits = {k: n for k, n in s.execute(select(RateCounter.key, RateCounter.hits))}
        assert s.scalar(select(func.count(Vote.id))) == 2
    # The refused voter's own count was taken back when the address refused the vote.
    assert hits[f"vote:participant:{w.people['b2']}"] == 0
    assert hits[f"vote:address:{address}"] == 2


def test_a_vote_refused_after_writing_sends_the_batch_round_again_with_savepoints(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should a vote be refused once it has written, the batch is run again with one
    SAVEPOINT per vote: the refused vote leaves nothing, the others are all stored."""
    from alteram.service import participation, vote_sql

    w = make_world(store)
    sid = statement(store, w, "a1", "Share the river.")
    runs: list[bool] = []
    real_run, real_batch = vote_sql.run, group_commit._in_one_transaction

    def refuse_b1_after_its_insert(conn: object, stmt: object, params: object) -> object:
        result = real_run(conn, stmt, params)  # type: ignore[arg-type]
        predicted = (  # on SQLite a statement of their own; on PostgreSQL in the vote's
            params[0]["share"]  # type: ignore[index]
            if stmt is vote_sql.NEW_PREDICTIONS
            else params["shares"]  # type: ignore[index]
            if stmt is vote_sql.WRITTEN_IN_ONE
            else None
        )
        if predicted in (31, [31]):
            raise Conflict(N_("refused after writing, for this test."))
        return result

    def counted(store: Store, batch: list[PendingVote], *, savepoints: bool) -> object:
        runs.append(savepoints)
        return real_batch(store, batch, savepoints=savepoints)

    monkeypatch.setattr(participation.vote_sql, "run", refuse_b1_after_its_insert)
    monkeypatch.setattr(group_commit, "_in_one_transaction", counted)
    batch = [
        PendingVote(w.people[p], sid, 1, {w.sides[0]: n}, None) for p, n in [("b1", 31), ("b2", 30)]
    ]
    batch.append(PendingVote(w.people["a2"], sid, -1, None, None))
    outcomes = commit_votes(store, batch)
    assert runs == [False, True]
    assert [type(o) for o in outcomes] == [Conflict, VoteRecorded, VoteRecorded]
    with store.read() as s:
        voters = set(s.scalars(select(Vote.participant_id)))
        assert s.scalar(select(func.count(Prediction.id))) == 1  # b2's
    assert voters == {w.people["b2"], w.people["a2"]}
    assert {k: v for k, v in _counts(store).items() if any(v)} == _recounted(store, w.round_id)
