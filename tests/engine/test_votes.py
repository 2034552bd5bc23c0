from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pytest

from alteram.engine.votes import build_vote_matrix
from alteram.errors import InvalidInput


def frame(rows: Sequence[tuple[object, object, int, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["participant", "statement", "vote", "time"])


def test_latest_vote_wins_by_time_not_row_order() -> None:
    votes = frame([("a", 1, 1, 5.0), ("a", 1, -1, 2.0), ("b", 2, 0, 1.0), ("a", 2, 1, 3.0)])
    vm = build_vote_matrix(votes)
    assert vm.participant_ids.tolist() == ["a", "b"]
    assert vm.statement_ids.tolist() == [1, 2]
    assert vm.matrix.toarray().tolist() == [[1.0, 1.0], [0.0, 0.0]]
    # the pass of b on 2 is stored explicitly: it is a vote, not a missing entry
    assert vm.matrix.nnz == 3
    assert vm.n_votes.tolist() == [2, 1]


def test_same_time_ties_resolved_by_row_order() -> None:
    vm = build_vote_matrix(frame([("a", 1, 1, 1.0), ("a", 1, -1, 1.0)]))
    assert vm.matrix.toarray().tolist() == [[-1.0]]


def test_datetime_times() -> None:
    votes = frame([("a", 1, 1, 0.0), ("a", 1, -1, 0.0)])
    votes["time"] = pd.to_datetime(["2024-01-02", "2024-01-01"])
    assert build_vote_matrix(votes).matrix.toarray().tolist() == [[1.0]]


def test_moderated_statements_are_empty_columns_but_count_as_votes() -> None:
    votes = frame([("a", 1, 1, 1), ("a", 2, -1, 2), ("b", 2, 1, 3)])
    vm = build_vote_matrix(votes, moderated_out=[2, 99])
    assert vm.statement_ids.tolist() == [1, 2]
    assert vm.moderated.tolist() == [False, True]
    assert vm.matrix.toarray().tolist() == [[1.0, 0.0], [0.0, 0.0]]
    assert vm.matrix.nnz == 1
    assert vm.n_votes.tolist() == [2, 1]


def test_clustered_threshold_is_min_of_seven_and_statements() -> None:
    # participant 2 votes first on all 6 statements, then 0 and 1 vote on 1 and 3 of them
    rows = [(p, s, 1, float((2 - p) * 10 + s)) for p in range(3) for s in range((1, 3, 6)[p])]
    vm = build_vote_matrix(frame(rows))
    # 6 statements in all, so the threshold is 6: only participant 2 (6 votes) qualifies
    assert vm.n_votes.tolist() == [1, 3, 6]
    assert vm.ever_clustered.tolist() == [False, False, True]
    rows = [(p, s, 1, float(s)) for p in range(2) for s in range(10 if p else 7)]
    assert build_vote_matrix(frame(rows)).ever_clustered.tolist() == [True, True]


def test_early_participant_stays_clustered() -> None:
    # 'early' voted on both statements that existed, before 8 more arrived
    rows = [("early", 0, 1, 1.0), ("early", 1, -1, 2.0)]
    rows += [("late", s, 1, 10.0 + s) for s in range(10)]
    rows += [("later", s, 1, 30.0 + s) for s in range(3)]
    vm = build_vote_matrix(frame(rows))
    got = dict(zip(vm.participant_ids.tolist(), vm.ever_clustered.tolist(), strict=True))
    assert got == {"early": True, "late": True, "later": False}


def test_mixed_id_types_sort_deterministically() -> None:
    votes = frame([("x", 2, 1, 1), (3, "s", -1, 2), (1, 2, 1, 3)])
    vm = build_vote_matrix(votes)
    assert vm.participant_ids.tolist() == [1, 3, "x"]
    assert vm.statement_ids.tolist() == [2, "s"]


def test_matrix_is_sparse_in_the_number_of_votes() -> None:
    rng = np.random.default_rng(0)
    n = 20000
    votes = pd.DataFrame(
        {
            "participant": rng.integers(0, 10000, n),
            "statement": rng.integers(0, 5000, n),
            "vote": rng.choice([-1, 0, 1], n),
            "time": np.arange(n),
        }
    )
    vm = build_vote_matrix(votes)
    assert vm.matrix.nnz <= n
    assert vm.matrix.data.nbytes + vm.matrix.indices.nbytes <= 16 * n


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.drop(columns="vote"), "missing the column"),
        (lambda f: f.assign(vote=[1, 2]), "row 1 has vote 2"),
        (lambda f: f.assign(vote=["1", "yes"]), "row 1 has vote 'yes'"),
        (lambda f: f.assign(participant=["a", None]), "row 1 has no participant"),
        (lambda f: f.assign(time=[1.0, None]), "without a time"),
        (lambda f: f.assign(time=["a", "b"]), "neither a number nor a datetime"),
    ],
)
def test_invalid_votes_are_named(change: object, message: str) -> None:
    good = frame([("a", 1, 1, 1.0), ("b", 1, -1, 2.0)])
    assert callable(change)
    with pytest.raises(InvalidInput, match=message):
        build_vote_matrix(change(good))


def test_not_a_dataframe() -> None:
    with pytest.raises(InvalidInput, match="must be a pandas DataFrame"):
        build_vote_matrix([1, 2])  # type: ignore[arg-type,unused-ignore]


@pytest.mark.parametrize("seed", range(3))
def test_latest_matches_a_pandas_oracle(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 3000
    votes = pd.DataFrame(
        {
            "participant": rng.integers(0, 60, n),
            "statement": rng.integers(0, 40, n),
            "vote": rng.choice([-1, 0, 1], n),
            "time": rng.integers(0, 500, n),  # many ties: row order breaks them
        }
    )
    want = (
        votes.reset_index()
        .sort_values(["time", "index"])
        .drop_duplicates(["participant", "statement"], keep="last")
        .pivot(index="participant", columns="statement", values="vote")
    )
    vm = build_vote_matrix(votes)
    got = pd.DataFrame(
        vm.matrix.toarray(), index=vm.participant_ids.tolist(), columns=vm.statement_ids.tolist()
    )
    seen = want.notna().to_numpy()
    assert (got.to_numpy()[seen] == want.to_numpy()[seen]).all()
    assert vm.matrix.nnz == int(seen.sum())


def test_votes_already_in_key_order_take_the_fast_path() -> None:
    rows = [(p, s, (p + s) % 3 - 1, float(p * 10 + s)) for p in range(4) for s in range(3)]
    vm = build_vote_matrix(frame(rows))
    assert vm.matrix.toarray().tolist() == [
        [float((p + s) % 3 - 1) for s in range(3)] for p in range(4)
    ]
    assert vm.matrix.indices.dtype == np.int32


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint16, np.int8])
def test_integer_ids_give_the_same_matrix_as_other_ids(dtype: type) -> None:
    # integer ids take a counting fast path; gaps and unsorted ids must not change anything
    rng = np.random.default_rng(int(np.dtype(dtype).itemsize))
    n = 500
    pid = rng.choice([3, 9, 10, 11, 40, 90, 127], n)
    sid = rng.choice([0, 2, 5, 6, 100], n)
    votes = pd.DataFrame(
        {
            "participant": pid.astype(dtype),
            "statement": sid.astype(dtype),
            "vote": rng.choice([-1, 0, 1], n).astype(np.int8),
            "time": rng.permutation(n),
        }
    )
    as_float = votes.assign(
        participant=pid.astype(float), statement=sid.astype(float), vote=votes["vote"] * 1.0
    )
    a, b = (
        build_vote_matrix(votes, moderated_out=[5]),
        build_vote_matrix(as_float, moderated_out=[5.0]),
    )
    assert a.participant_ids.tolist() == b.participant_ids.tolist()
    assert all(type(p) is int for p in a.participant_ids)
    assert a.statement_ids.tolist() == b.statement_ids.tolist()
    assert (a.matrix != b.matrix).nnz == 0 and a.matrix.nnz == b.matrix.nnz
    assert a.n_votes.tolist() == b.n_votes.tolist()
    assert a.ever_clustered.tolist() == b.ever_clustered.tolist()


def test_huge_sparse_integer_ids() -> None:
    votes = frame([(10**15, -(10**12), 1, 1.0), (3, 7, -1, 2.0), (10**15, 7, 0, 3.0)])
    vm = build_vote_matrix(votes)
    assert vm.participant_ids.tolist() == [3, 10**15]
    assert vm.statement_ids.tolist() == [-(10**12), 7]
    assert vm.matrix.toarray().tolist() == [[0.0, -1.0], [1.0, 0.0]]
