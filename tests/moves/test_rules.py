from __future__ import annotations

import numpy as np
import pytest

from alteram.moves.rules import RULE_NAMES, matched_rules, rule_features
from alteram.moves.sentences import split_sentences


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("The authorities must release the detainees at once.", "must"),
        ("你们必须马上停止。", "must"),
        ("We call on the government to ratify the treaty.", "call_on"),
        ("We strongly urge the other side to reconsider.", "call_on"),
        ("我们敦促对方尽快回应。", "call_on"),
        ("我们要求对方道歉。", "call_on"),
        ("Release them now.", "imperative"),
        ("立即停止一切挑衅。", "imperative"),
        ("Unless you agree, we walk away.", "threat"),
        ("否则我们将退出对话。", "threat"),
        ("This is your last chance.", "ultimatum"),
        ("爱要不要。", "ultimatum"),
        ("We will impose sanctions on the officials.", "sanction"),
        ("我们将采取反制措施。", "sanction"),
        ("Any reasonable person can see this.", "lecture"),
        ("你们应该深刻反省。", "lecture"),
        ("You are lying about the camps.", "accuse"),
        ("这是彻头彻尾的抹黑。", "accuse"),
        ("How do people in your city see this?", "question"),
        ("你们怎么看这个问题？", "question"),
        ("We would like to understand your position.", "understand_request"),
        ("我们想了解贵方的立场。", "understand_request"),
        ("We recognise the progress you have made.", "recognise"),
        ("你说得有道理。", "recognise"),
        ("Let us work on this together.", "together"),
        ("双方可以加强合作。", "together"),
        ("I care about this because my father was a judge.", "own_reason"),
        ("对我们来说，稳定最重要。", "own_reason"),
    ],
)
def test_rule_fires(text: str, rule: str) -> None:
    assert rule in matched_rules(text)


@pytest.mark.parametrize(
    "text",
    [
        "Could you tell us how your courts work?",
        "We appreciate the delegation's openness.",
        "我们很高兴来到这里。",
    ],
)
def test_no_pressure_rule_on_dialogue(text: str) -> None:
    pressure_rules = {"must", "call_on", "imperative", "threat", "ultimatum", "sanction"}
    assert not pressure_rules & set(matched_rules(text))


def test_rule_features_shape_and_values() -> None:
    x = rule_features(["We demand an apology.", "Hello."])
    assert x.shape == (2, len(RULE_NAMES))
    assert set(np.unique(x)) <= {0.0, 1.0}
    assert x[0, RULE_NAMES.index("call_on")] == 1.0
    assert x[1].sum() == 0.0


def test_soft_calls_count_as_calls() -> None:
    assert "call_on" in matched_rules("We encourage the government to ratify the covenant.")
    assert "call_on" in matched_rules("我们鼓励对方继续推进改革。")
    assert "call_on" not in matched_rules("我们建议双方开展联合研究。")


def test_rules_of_sentences_read_within_their_statement_are_the_same() -> None:
    statements = [
        "We hear you. Release them now! Unless you stop, we will respond.",
        "Is it true? 你们必须立即停止。我们想了解原因吗？",
        "You are lying. Let us work together because it matters. Why?",
        "立即放人。否则后果自负。我们理解你们的关切。",
    ]
    sentences = [s for text in statements for s in split_sentences(text)]
    owner = [i for i, text in enumerate(statements) for _ in split_sentences(text)]
    whole = rule_features(statements)
    np.testing.assert_array_equal(
        rule_features(sentences, within=whole[owner]), rule_features(sentences)
    )
