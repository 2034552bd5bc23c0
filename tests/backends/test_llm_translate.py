"""Translation by the language model: the prompt it sends, and every bad answer refused."""

from __future__ import annotations

import pytest

from alteram.backends.doubles import ChatDouble, fake_translate
from alteram.backends.errors import BackendAnswerInvalid
from alteram.backends.llm_translate import (
    ChatTranslator,
    language_name,
    prompt_template,
    translation_prompt,
)
from alteram.backends.validate import numbers_in
from alteram.moves.language import detect_language
from tests.conftest import REPO

SENTENCE = 'The WTO met 3 times in 2011; Ms Li said: "rights come first".'


def test_the_prompt_is_a_file_in_the_package() -> None:
    path = REPO / "src" / "alteram" / "backends" / "prompts" / "translate.md"
    assert prompt_template().template == path.read_text(encoding="utf-8")
    prompt = translation_prompt(source="en", target="zh")
    assert "from English into Chinese (Simplified)" in prompt
    assert prompt.rstrip().endswith("Target language: Chinese (Simplified) (zh)")
    for rule in ("name", "number", "quotation", "register", "translation only"):
        assert rule in prompt
    assert "$" not in prompt


def test_language_names() -> None:
    assert language_name("en") == "English"
    assert language_name("zh") == language_name("zh-Hans") == "Chinese (Simplified)"
    assert language_name("zh-Hant") == "Chinese (Traditional)"
    assert language_name("xx-nonsense") == "xx-nonsense"


def test_request_is_the_prompt_then_the_text_alone(
    llm: ChatDouble, chat_translator: ChatTranslator
) -> None:
    result = chat_translator.translate(SENTENCE, source="en", target="zh")
    assert result == fake_translate(SENTENCE, "zh")
    assert detect_language(result) == "zh" and numbers_in(result) == {"3", "2011"}
    (sent,) = llm.main_requests()
    assert sent.json["messages"] == [
        {"role": "system", "content": translation_prompt(source="en", target="zh")},
        {"role": "user", "content": SENTENCE},
    ]
    assert sent.json["temperature"] == 0.0
    assert sent.json["max_tokens"] == 4 * len(SENTENCE) + 256
    assert chat_translator.engine == "llm:test-model"


def test_both_directions(chat_translator: ChatTranslator) -> None:
    zh = "对我的家庭来说，权利首先意味着孩子能上好学校。"
    en = chat_translator.translate(zh, source="zh", target="en")
    assert en.startswith("For my family, rights mean")
    assert chat_translator.translate(en, source="en", target="zh") == zh


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("```\n你好，世界。\n```", "你好，世界。"),
        ("“你好，世界。”", "你好，世界。"),
        ('"你好，世界。"', "你好，世界。"),
        ("  你好，世界。\n", "你好，世界。"),
    ],
)
def test_a_fence_or_quotes_around_the_whole_reply_go(
    llm: ChatDouble, chat_translator: ChatTranslator, reply: str, expected: str
) -> None:
    llm.set_reply(reply)
    assert chat_translator.translate("Hello, world.", source="en", target="zh") == expected


def test_quotes_of_the_original_stay(llm: ChatDouble, chat_translator: ChatTranslator) -> None:
    llm.set_reply("“权利优先。”")
    assert chat_translator.translate('"Rights first."', source="en", target="zh") == "“权利优先。”"


@pytest.mark.parametrize("kind", ChatDouble.GARBAGE)
def test_every_garbage_kind_is_invalid_never_empty(
    llm: ChatDouble, chat_translator: ChatTranslator, kind: str
) -> None:
    llm.set_mode("garbage", garbage=kind)
    with pytest.raises(BackendAnswerInvalid) as caught:
        chat_translator.translate(SENTENCE, source="en", target="zh")
    assert "the language model 'test-model'" in str(caught.value)


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        ("Here is the translation: 世贸组织在2011年开会3次。", "commentary"),
        ("作为一个人工智能，我无法翻译这段话。", "refusal"),
        ("世贸组织开会三次。", "missing"),
    ],
)
def test_bad_replies_are_refused_with_the_reason(
    llm: ChatDouble, chat_translator: ChatTranslator, reply: str, reason: str
) -> None:
    llm.set_reply(reply)
    with pytest.raises(BackendAnswerInvalid, match=reason):
        chat_translator.translate("The WTO met 3 times in 2011.", source="en", target="zh")
