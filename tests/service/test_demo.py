"""The demonstration dialogue has the structure every later analysis needs to show."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import select

from alteram.service.demo import create_demo
from alteram.store.database import Store
from alteram.store.schema import (
    Dialogue,
    Participant,
    Prediction,
    Round,
    RoundEvent,
    Side,
    Statement,
    Vote,
)


def _frames(store: Store, dialogue_id: int) -> dict[str, pd.DataFrame]:
    with store.read() as s:

        def frame(stmt: object) -> pd.DataFrame:
            result = s.execute(stmt)  # type: ignore[call-overload]
            return pd.DataFrame(result.all(), columns=list(result.keys()))

        return {
            "statements": frame(
                select(
                    Statement.id,
                    Statement.round_id,
                    Statement.side_id,
                    Statement.language,
                    Statement.moderation,
                    Statement.text,
                )
                .where(Statement.dialogue_id == dialogue_id)
                .order_by(Statement.id)
            ),
            "votes": frame(
                select(
                    Vote.id,
                    Vote.statement_id,
                    Vote.participant_id,
                    Vote.value,
                    Vote.created_at,
                    Participant.side_id,
                )
                .join(Participant, Participant.id == Vote.participant_id)
                .where(Participant.dialogue_id == dialogue_id)
                .order_by(Vote.id)
            ),
            "predictions": frame(
                select(Prediction.vote_id, Prediction.target_side_id, Prediction.share)
                .join(Vote, Vote.id == Prediction.vote_id)
                .join(Participant, Participant.id == Vote.participant_id)
                .where(Participant.dialogue_id == dialogue_id)
                .order_by(Prediction.id)
            ),
        }


@pytest.fixture
def demo(store: Store) -> tuple[Store, int]:
    return store, create_demo(store).dialogue_id


def test_demo_is_marked_simulated_with_two_sides_and_three_rounds(demo: tuple[Store, int]) -> None:
    store, did = demo
    with store.read() as s:
        dialogue = s.get(Dialogue, did)
        assert dialogue is not None and dialogue.simulated and dialogue.charter
        assert "simulated" in dialogue.charter
        assert len(s.scalars(select(Side).where(Side.dialogue_id == did)).all()) == 2
        rounds = s.scalars(
            select(Round).where(Round.dialogue_id == did).order_by(Round.number)
        ).all()
        assert [r.state for r in rounds] == ["closed", "closed", "open"]
        events = s.scalars(select(RoundEvent).join(Round).where(Round.dialogue_id == did)).all()
        suspensions = [e for e in events if e.kind == "suspended"]
        assert len(suspensions) == 1 and suspensions[0].reason
        years = {e.at.year for e in events}
        assert max(years) - min(years) >= 5
        people = s.scalars(select(Participant).where(Participant.dialogue_id == did)).all()
        assert 200 <= len(people) <= 500
        assert all(p.simulated for p in people)


def test_demo_statements_are_in_both_languages(demo: tuple[Store, int]) -> None:
    store, did = demo
    st = _frames(store, did)["statements"]
    assert 55 <= len(st) <= 65
    languages = st.groupby("side_id")["language"].agg(lambda x: set(x))
    assert sorted(map(sorted, languages)) == [["en"], ["zh"]]
    assert (st["moderation"] == "rejected").sum() >= 1


def _agreement(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    v = (
        frames["votes"]
        .sort_values("id")
        .drop_duplicates(["participant_id", "statement_id"], keep="last")
    )
    v["agree"] = v["value"] == 1
    return v.groupby(["statement_id", "side_id"])["agree"].mean().unstack()


def test_demo_has_common_ground_and_real_divisions(demo: tuple[Store, int]) -> None:
    store, did = demo
    frames = _frames(store, did)
    share = _agreement(frames)
    common = share[(share > 0.6).all(axis=1)]
    assert len(common) >= 8
    gap = (share.iloc[:, 0] - share.iloc[:, 1]).abs()
    divisive = share[gap >= 0.3]
    assert len(divisive) >= 8
    # Opinion groups cut across sides: on divisive statements each side has a real minority.
    assert ((divisive > 0.1) & (divisive < 0.9)).all(axis=None)


def test_demo_keeps_changed_votes_as_history(demo: tuple[Store, int]) -> None:
    store, did = demo
    v = _frames(store, did)["votes"]
    repeats = v.groupby(["participant_id", "statement_id"]).size()
    assert (repeats > 1).sum() > 50
    assert v["created_at"].is_monotonic_increasing or len(v) > 0


def test_demo_perception_gap_narrows_over_rounds(demo: tuple[Store, int]) -> None:
    store, did = demo
    frames = _frames(store, did)
    share = _agreement(frames)
    pred = frames["predictions"].merge(frames["votes"], left_on="vote_id", right_on="id")
    pred["actual"] = [
        100 * share.loc[s, t]
        for s, t in zip(pred["statement_id"], pred["target_side_id"], strict=True)
    ]
    pred = pred.merge(
        frames["statements"][["id", "round_id"]],
        left_on="statement_id",
        right_on="id",
        suffixes=("", "_st"),
    )
    mae = (pred["share"] - pred["actual"]).abs().groupby(pred["round_id"]).mean().sort_index()
    assert list(mae) == sorted(mae, reverse=True)
    assert mae.iloc[0] > 15 and mae.iloc[-1] < 0.6 * mae.iloc[0]


def test_demo_is_the_same_every_time(store: Store, sqlite_store: Store) -> None:
    first = _frames(store, create_demo(store).dialogue_id)
    second = _frames(sqlite_store, create_demo(sqlite_store).dialogue_id)
    for name in ("statements", "votes", "predictions"):
        a, b = first[name], second[name]
        assert len(a) == len(b)
        for column in ("text", "value", "share", "language"):
            if column in a:
                assert list(a[column]) == list(b[column])
    ta = pd.to_datetime(first["votes"]["created_at"]).dt.tz_localize(None)
    tb = pd.to_datetime(second["votes"]["created_at"]).dt.tz_localize(None)
    assert (ta.values == tb.values).all()
