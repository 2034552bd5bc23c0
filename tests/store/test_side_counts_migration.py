"""The migration to per-side counts backfills them from the votes already stored."""

from __future__ import annotations

from sqlalchemy import select

from alteram.service.participation import record_vote
from alteram.store.database import Store
from alteram.store.migrate import downgrade, upgrade
from alteram.store.schema import Round, StatementSideCount
from tests.factories import make_world, statement


def _counts(store: Store) -> set[tuple[int, int, int, int, int]]:
    with store.read() as s:
        return {
            (c.statement_id, c.side_id, c.agree, c.disagree, c.passes)
            for c in s.scalars(select(StatementSideCount))
        }


def test_upgrading_backfills_the_latest_votes_by_side(store: Store) -> None:
    w = make_world(store)
    sid = statement(store, w, "a1", "Counted again after the migration.")
    record_vote(store, participant_id=w.people["b1"], statement_id=sid, value=1)
    record_vote(store, participant_id=w.people["b1"], statement_id=sid, value=-1)  # latest
    record_vote(store, participant_id=w.people["b2"], statement_id=sid, value=0)
    record_vote(store, participant_id=w.people["a2"], statement_id=sid, value=1)
    kept = _counts(store)
    assert kept == {(sid, w.sides[1], 0, 1, 1), (sid, w.sides[0], 1, 0, 0)}
    downgrade(store, "0011")  # the revision before the side counts
    upgrade(store)
    assert _counts(store) == kept
    with store.read() as s:
        assert s.scalars(select(Round.feedback_at)).all() == ["published"]
