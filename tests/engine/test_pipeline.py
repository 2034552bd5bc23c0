from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score

from alteram.engine import AnalysisResult, analyze
from alteram.errors import InvalidInput
from tests.engine.conftest import Planted, make_planted


def groups_of(d: dict[str, Any]) -> dict[Any, int | None]:
    return {p["id"]: p["group"] for p in d["participants"]}


def same_partition(a: dict[Any, int | None], b: dict[Any, int | None]) -> bool:
    """The same participants, grouped the same way up to the names of the groups."""
    if a.keys() != b.keys():
        return False
    pairs = {(a[k], b[k]) for k in a}
    return len(pairs) == len({x for x, _ in pairs}) == len({y for _, y in pairs})


def test_result_shape_and_json(planted: Planted) -> None:
    votes, truth = planted(n_participants=90, n_groups=3)
    result = analyze(votes)
    assert isinstance(result, AnalysisResult)
    d = result.to_dict()
    json.dumps(d, allow_nan=False)
    assert [p["id"] for p in d["participants"]] == list(range(90))
    assert {p["group"] for p in d["participants"]} == {0, 1, 2}
    assert [g["id"] for g in d["groups"]] == [0, 1, 2]
    assert sum(g["size"] for g in d["groups"]) == 90
    assert all(1 <= len(g["representative"]) <= 5 for g in d["groups"])
    assert {"id", "consensus", "group_informed_consensus", "bridging"} <= set(d["statements"][0])
    labels = [p["group"] for p in d["participants"]]
    assert adjusted_rand_score(truth, labels) == 1.0
    assert "sides" not in d and "perception" not in d


def test_unclustered_participants_have_no_group(planted: Planted) -> None:
    votes, _ = planted(n_participants=30, n_groups=2)
    extra = pd.DataFrame(
        {"participant": [999] * 3, "statement": [0, 1, 2], "vote": [1, 1, 1], "time": [10**6] * 3}
    )
    d = analyze(pd.concat([votes, extra])).to_dict()
    assert groups_of(d)[999] is None
    assert sum(g["size"] for g in d["groups"]) == 30


def test_moderated_out_statements_are_never_representative(planted: Planted) -> None:
    votes, _ = planted(n_participants=60, n_groups=2, n_statements=12)
    d = analyze(votes, moderated_out=list(range(6))).to_dict()
    for g in d["groups"]:
        assert all(s >= 6 for s in g["representative"])
    assert [s["moderated_out"] for s in d["statements"]] == [True] * 6 + [False] * 6
    assert d["statements"][0]["consensus"] is None
    assert d["statements"][0]["bridging"] is None
    assert d["statements"][6]["group_informed_consensus"] is not None


def test_sides_common_ground_and_divisive() -> None:
    votes, truth = make_planted(n_participants=100, n_statements=20, n_groups=2, seed=3)
    sides = {p: ("east", "west")[int(truth[p])] for p in range(100)}
    d = analyze(votes, sides=sides).to_dict()
    assert d["side_ids"] == ["east", "west"]
    assert len(d["sides"]) == 2 * 20
    # statements 0 and 1 are planted as agreed by everyone
    cg = [c["statement"] for c in d["common_ground"]]
    assert {0, 1} <= set(cg)
    scores = [c["score"] for c in d["common_ground"]]
    assert scores == sorted(scores, reverse=True)
    assert d["divisive"] and d["divisive"][0]["statement"] not in cg


def test_perception_through_analyze() -> None:
    votes, truth = make_planted(n_participants=80, n_statements=6, n_groups=2, seed=4)
    sides = {p: ("A", "B")[int(truth[p])] for p in range(80)}
    rows = [(p, s, "B" if sides[p] == "A" else "A", 50.0) for p in range(80) for s in range(6)]
    pred = pd.DataFrame(rows, columns=["participant", "statement", "target_side", "predicted"])
    d = analyze(votes, sides=sides, predictions=pred).to_dict()
    json.dumps(d, allow_nan=False)
    pairs = {(r["predicting_side"], r["predicted_side"]) for r in d["perception"]["pairs"]}
    assert pairs == {("A", "B"), ("B", "A")}
    rec = d["perception"]["statements"][0]
    assert rec["enough_data"] is True and rec["statement"] == 0
    assert rec["predicted"]["value"] == 50.0


@pytest.mark.parametrize(
    ("frame", "kwargs", "message"),
    [
        (
            pd.DataFrame(
                {"participant": [0], "statement": [0], "target_side": ["X"], "predicted": [50]}
            ),
            {"sides": {0: "A"}},
            "not one of the sides",
        ),
        (
            pd.DataFrame(
                {"participant": [0], "statement": [0], "target_side": ["A"], "predicted": [150]}
            ),
            {"sides": {0: "A"}},
            "from 0 to 100",
        ),
        (pd.DataFrame({"participant": [0]}), {"sides": {0: "A"}}, "missing the column"),
        (pd.DataFrame({"participant": [0]}), {}, "need sides"),
    ],
)
def test_bad_predictions(frame: pd.DataFrame, kwargs: dict[str, Any], message: str) -> None:
    votes = pd.DataFrame({"participant": [0], "statement": [0], "vote": [1], "time": [0]})
    with pytest.raises(InvalidInput, match=message):
        analyze(votes, predictions=frame, **kwargs)


def test_deterministic_bit_for_bit(planted: Planted) -> None:
    votes, _ = planted(n_participants=150, n_groups=4, p_vote=0.5, seed=7)
    a, b = analyze(votes).to_dict(), analyze(votes).to_dict()
    assert json.dumps(a) == json.dumps(b)


# The property is invariance; a bridging fit that stops at max_iter still must be invariant.
@pytest.mark.filterwarnings("ignore::alteram.engine.bridging.BridgingConvergenceWarning")
@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10**6), k=st.integers(2, 4), rnd=st.randoms(use_true_random=False))
def test_row_order_does_not_matter(seed: int, k: int, rnd: Any) -> None:
    votes, _ = make_planted(n_participants=40, n_statements=12, n_groups=k, p_vote=0.6, seed=seed)
    order = list(range(len(votes)))
    rnd.shuffle(order)
    a = analyze(votes).to_dict()
    b = analyze(votes.iloc[order].reset_index(drop=True)).to_dict()
    assert json.dumps(a) == json.dumps(b)


# The property is invariance; a bridging fit that stops at max_iter still must be invariant.
@pytest.mark.filterwarnings("ignore::alteram.engine.bridging.BridgingConvergenceWarning")
@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10**6), rnd=st.randoms(use_true_random=False))
def test_ids_do_not_matter(seed: int, rnd: Any) -> None:
    votes, _ = make_planted(n_participants=45, n_statements=15, n_groups=3, seed=seed)
    base = analyze(votes).to_dict()
    # any relabelling of participants and statements, order not preserved
    pnames = [f"p{i}" for i in range(45)]
    snames = [f"s{i}" for i in range(15)]
    rnd.shuffle(pnames)
    rnd.shuffle(snames)
    renamed = votes.assign(
        participant=[pnames[p] for p in votes["participant"]],
        statement=[snames[s] for s in votes["statement"]],
    )
    other = analyze(renamed).to_dict()
    back = {pnames[p]: g for p, g in groups_of(base).items()}
    assert same_partition(back, groups_of(other))
    gac = {snames[s["id"]]: s["group_informed_consensus"] for s in base["statements"]}
    for s in other["statements"]:
        assert s["group_informed_consensus"] == pytest.approx(gac[s["id"]], rel=1e-9)


def test_planted_groups_are_found_across_seeds() -> None:
    for seed in range(5):
        votes, truth = make_planted(
            n_participants=200, n_statements=40, n_groups=3, p_vote=0.6, seed=seed
        )
        labels = [p["group"] for p in analyze(votes).to_dict()["participants"]]
        clustered = [i for i, g in enumerate(labels) if g is not None]
        assert len(clustered) >= 190
        assert adjusted_rand_score(truth[clustered], [labels[i] for i in clustered]) >= 0.95
