from __future__ import annotations

import csv
from pathlib import Path

import pytest

from alteram.moves import MOVES, MoveResult, classify, kind_of, split_sentences

from .cases import CASES

REPO = Path(__file__).resolve().parents[2]


def test_cases_are_not_training_examples() -> None:
    trained = set()
    for language in ("en", "zh"):
        path = REPO / "training" / "moves" / f"examples_{language}.tsv"
        with path.open(encoding="utf-8", newline="") as handle:
            trained |= {row["text"] for row in csv.DictReader(handle, delimiter="\t")}
    assert not trained & {text for _, text in CASES}


@pytest.fixture(scope="module")
def results() -> list[MoveResult]:
    return classify([text for _, text in CASES])


def test_clear_examples(results: list[MoveResult]) -> None:
    """Nearly every clear example reads as its move, and every miss is named.

    Since the retraining on real General Debate sentences (issue #14) the model no longer
    reads all of the project's hand-written cases right (2 of 36 missed when retrained,
    see benchmarks/RESULTS-moves.md); more than three misses is a regression.
    """
    missed = [
        (move, result.move, text)
        for (move, text), result in zip(CASES, results, strict=True)
        if result.move != move
    ]
    assert len(missed) <= 3, missed


def test_every_move_and_language_is_covered() -> None:
    assert {move for move, _ in CASES} == set(MOVES)


def test_result_fields(results: list[MoveResult]) -> None:
    for (_, text), result in zip(CASES, results, strict=True):
        assert result.kind == kind_of(result.move)
        assert 0.0 <= result.pressure_probability <= 1.0
        if result.kind == "pressure":
            assert result.pressure_probability >= result.confidence - 1e-4
        assert 0.0 <= result.confidence <= 1.0
        assert result.language == ("zh" if any("\u4e00" <= c <= "\u9fff" for c in text) else "en")
    with pytest.raises(AttributeError):
        results[0].move = "other"  # type: ignore[misc]


def test_batch_and_single_agree(results: list[MoveResult]) -> None:
    for (_, text), batched in zip(CASES[::5], results[::5], strict=True):
        (single,) = classify([text])
        assert single.move == batched.move
        assert single.confidence == pytest.approx(batched.confidence, abs=1e-3)


def test_deterministic() -> None:
    texts = [text for _, text in CASES[:8]]
    assert classify(texts) == classify(texts)


def test_empty_inputs() -> None:
    assert classify([]) == []
    (result,) = classify([""])
    assert result.move in MOVES


def test_one_pressure_sentence_decides_a_polite_paragraph() -> None:
    text = (
        "Thank you for your explanation of the new regulations. We have listened carefully. "
        "You are lying about what happens in those camps."
    )
    (result,) = classify([text])
    assert result.kind == "pressure"


def test_formal_cooperation_is_not_pressure() -> None:
    # The trap of register: formal offers of cooperation must not read as pressure.
    texts = [
        "Our government stands ready to deepen cooperation with your country in the fields "
        "of education and public health.",
        "中方愿同各方一道，加强交流，增进互信，共同推动人权事业健康发展。",
        "We take note with appreciation of the progress achieved since the last round.",
    ]
    assert [r.kind for r in classify(texts)] == ["dialogue"] * 3


def test_split_sentences() -> None:
    assert split_sentences("One. Two? Three!") == ["One.", "Two?", "Three!"]
    assert split_sentences("第一。第二！第三？") == ["第一。", "第二！", "第三？"]
    assert split_sentences("Hi.") == ["Hi."]
    assert split_sentences("") == []


def test_hint_only_for_a_confident_pressure_move() -> None:
    from alteram.moves.thresholds import HINT_CONFIDENCE, UNSURE_BELOW
    from alteram.service.moves import assess_many

    texts = [
        "Free speech is the foundation of every other right.",  # the false alarm
        "Unless you withdraw your troops, we will impose sanctions.",
        "We would like to understand your view.",
    ]
    read = classify(texts)
    assessed = assess_many(texts)
    for r, a in zip(read, assessed, strict=True):
        assert a is not None and a.move == r.move
        assert (a.hint is not None) == (
            r.kind == "pressure" and r.pressure_probability >= HINT_CONFIDENCE
        )
        assert a.unsure == (r.confidence < UNSURE_BELOW)
    assert assessed[0] is not None and assessed[0].hint is None
    assert assessed[1] is not None and assessed[1].hint is not None
    assert assessed[2] is not None and assessed[2].hint is None
