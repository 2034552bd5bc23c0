"""The checks every machine translation passes: worked cases and a property."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alteram.backends.errors import BackendAnswerInvalid
from alteram.backends.validate import (
    check_translation,
    chinese_numerals,
    language_base,
    numbers_in,
)
from alteram.moves.language import detect_language
from tests.conftest import REPO


def check(text: str, result: str, target: str = "zh", **options: object) -> str:
    source = "zh" if target == "en" else "en"
    return check_translation(
        text, result, source=source, target=target, backend="B", url="http://b", **options
    )  # type: ignore[arg-type]


def refused(text: str, result: str, target: str = "zh", **options: object) -> str:
    with pytest.raises(BackendAnswerInvalid) as caught:
        check(text, result, target, **options)
    message = str(caught.value)
    assert message.startswith("B at http://b gave an unusable translation: ")
    return message


def test_good_translations_pass_stripped() -> None:
    assert check("Hello, world.", "  你好，世界。\n") == "你好，世界。"
    assert check("我们想了解贵方的看法。", "We would like to know your view.", "en") == (
        "We would like to know your view."
    )
    assert check("WTO rules since 1990", "1990年以来的WTO规则", "zh-Hans") == "1990年以来的WTO规则"


def test_numbers_written_in_digits_must_all_be_kept() -> None:
    text = "Since 1990, 21 rounds; 3.5% of 1,000 people."
    assert check(text, "自1990年以来，21轮；1000人中的3.5%。")  # 1,000 == 1000
    assert check(text, "自１９９０年以来，２１轮；1,000人中的3.5%。")  # full-width digits
    message = refused(text, "自一九九〇年以来，21轮；一千人中的百分之三点五。")
    assert "the number(s) 1000, 1990, 3.5 of the original are missing" in message
    assert numbers_in("第1990，21年") == {"1990", "21"}


def test_small_whole_numbers_may_be_chinese_numerals_in_chinese() -> None:
    assert check("Round 1: rights", "第一轮：权利") == "第一轮：权利"
    assert check("The 2 sides met 21 times.", "两方见面二十一次。")
    assert "the number(s) 1 of" in refused("我们第1次见面。", "We met for the first time.", "en")
    assert chinese_numerals("100") == chinese_numerals("2.5") == set()
    assert chinese_numerals("0") == {"零"} and chinese_numerals("40") == {"四十"}


def test_the_demo_dialogues_human_translations_pass() -> None:
    # 126 translations written by people (kind author or translator): no false alarm
    path = REPO / "src" / "alteram" / "service" / "data" / "demo_translations.json"
    entries = json.loads(path.read_text(encoding="utf-8"))
    assert len(entries) > 100
    for entry in entries:
        source = detect_language(entry["original"])
        assert check(entry["original"], entry["text"], entry["language"])
        assert source != entry["language"]


@pytest.mark.parametrize("result", ["", "   ", "\n\t"])
def test_empty_is_refused(result: str) -> None:
    assert "it is empty" in refused("Hello", result)


def test_no_words_for_words() -> None:
    assert "no words" in refused("Hello, world.", "……")
    assert check("2011", "2011") == "2011"  # nothing to translate but the number


def test_wrong_language() -> None:
    assert "it is in 'en', not in 'zh'" in refused("Hello, world.", "Hello, world.")
    assert "it is in 'zh', not in 'en'" in refused("你好", "你好", "en")
    # languages detect_language cannot tell apart are not checked
    assert check("Hello", "Bonjour", "fr") == "Bonjour"


@pytest.mark.parametrize(
    "result",
    [
        "I'm sorry, but I can't translate that.",
        "As an AI language model, I cannot help with this.",
        "作为一个人工智能，我无法提供翻译。",
        "抱歉，我不能翻译这段内容。",
    ],
)
def test_refusals(result: str) -> None:
    target = "en" if result.isascii() else "zh"
    text = "这是原文。" if target == "en" else "This is the text."
    assert "refusal" in refused(text, result, target)


def test_an_apology_in_the_original_is_no_refusal() -> None:
    text = "I'm sorry, but I cannot accept that my family's rights come second."
    assert check(text, "我很抱歉，但我不能接受我家庭的权利排在第二位。")
    zh = "抱歉，我不能同意这一点。"
    assert check(zh, "Sorry, I cannot agree with this.", "en")


@pytest.mark.parametrize(
    "result",
    ["Here is the translation: 你好，世界。", "以下是译文：你好，世界。", "译文：你好，世界。"],
)
def test_commentary(result: str) -> None:
    target = "zh"
    assert "commentary" in refused("Hello, world.", result, target)


def test_prompt_echoed() -> None:
    prompt = "You translate for a dialogue between two groups.\nTranslate faithfully, keep names."
    assert "repeats the prompt" in refused(
        "Hello", "你好 You translate for a dialogue between two groups.", prompt=prompt
    )
    assert check("Hello", "你好", prompt=prompt) == "你好"


def test_length_limits() -> None:
    text = "Hello, world."  # 13 characters: at most 4 * 13 + 100 = 152
    assert check(text, "你" * 152)
    assert "153 characters for an original of 13 (limit 152)" in refused(text, "你" * 153)
    assert "over the limit of 10" in refused(text, "你" * 11, max_length=10)


def test_language_base() -> None:
    assert [language_base(c) for c in ("zh-Hans", "en_GB", " ZH ", "en")] == [
        "zh",
        "en",
        "zh",
        "en",
    ]


@given(text=st.text(min_size=1, max_size=40), result=st.text(max_size=200))
def test_never_returns_an_empty_translation(text: str, result: str) -> None:
    try:
        got = check(text, result)
    except BackendAnswerInvalid:
        return
    assert got.strip() and got == got.strip()
    for number in numbers_in(text) - numbers_in(got):
        assert any(form in got for form in chinese_numerals(number))


def test_doctests() -> None:
    import doctest

    from alteram.backends import validate

    result = doctest.testmod(validate, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0
