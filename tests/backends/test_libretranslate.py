"""LibreTranslate over real HTTP: codes of either version, keys, every failure mode."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from alteram.backends.doubles import LibreTranslateDouble
from alteram.backends.errors import (
    BackendAnswerInvalid,
    BackendRejected,
    BackendTimeout,
    BackendUnavailable,
)
from alteram.backends.libretranslate import LibreTranslateTranslator
from alteram.backends.validate import numbers_in
from alteram.moves.language import detect_language
from tests.backends.conftest import BACKOFF, TIMEOUT

MakeLT = Callable[..., LibreTranslateTranslator]
KEY = "lt-secret-key-9090"
SENTENCE = "The delegations met 3 times in 2011 and talked for 12.5 hours."


@pytest.mark.parametrize("zh_code", ["zh", "zh-Hans"])
def test_both_namings_of_chinese(zh_code: str) -> None:
    with LibreTranslateDouble(zh_code=zh_code) as double:
        translator = LibreTranslateTranslator(base_url=double.url, timeout=TIMEOUT)
        with_known = translator.translate(
            "We would like to know how you see this.", source="en", target="zh"
        )
        back = translator.translate("我们想了解贵方的看法。", source="zh", target="en")
        translator.close()
        sent = [r.json for r in double.main_requests()]
        languages_calls = [r for r in double.requests if r.path == "/languages"]
    assert with_known == "我们想了解贵方的看法。"
    assert back == "We would like to know how you see this."
    assert [(s["source"], s["target"]) for s in sent] == [("en", zh_code), (zh_code, "en")]
    assert all(s["format"] == "text" and "api_key" not in s for s in sent)
    assert len(languages_calls) == 1  # read once


def test_unknown_sentence_gets_a_translation_that_keeps_its_numbers(
    lt: LibreTranslateDouble, make_libretranslate: MakeLT
) -> None:
    result = make_libretranslate().translate(SENTENCE, source="en", target="zh")
    assert detect_language(result) == "zh"
    assert numbers_in(result) == {"3", "2011", "12.5"}
    assert lt.main_requests()[0].json["q"] == SENTENCE


def test_server_without_languages_gets_the_codes_as_written(make_libretranslate: MakeLT) -> None:
    with LibreTranslateDouble(zh_code="zh", languages=False) as old:
        result = make_libretranslate(base_url=old.url).translate(
            "Hello, world.", source="en", target="zh-Hans"
        )
        assert result == "你好，世界。"
        assert old.main_requests()[0].json["target"] == "zh"


def test_a_language_the_server_lacks(make_libretranslate: MakeLT) -> None:
    with pytest.raises(BackendRejected) as caught:
        make_libretranslate().translate("Hello", source="en", target="fr")
    message = str(caught.value)
    assert "does not offer the language 'fr'" in message and "en, zh-Hans" in message


def test_api_key_is_sent_and_a_wrong_one_never_shown() -> None:
    with LibreTranslateDouble(api_key=KEY) as guarded:
        good = LibreTranslateTranslator(base_url=guarded.url, api_key=KEY, timeout=TIMEOUT)
        assert good.translate("Hello, world.", source="en", target="zh") == "你好，世界。"
        assert guarded.main_requests()[0].json["api_key"] == KEY
        bad = LibreTranslateTranslator(base_url=guarded.url, api_key="wrong-key-1", timeout=TIMEOUT)
        with pytest.raises(BackendRejected) as caught:
            bad.translate("Hello, world.", source="en", target="zh")
        assert len(guarded.main_requests()) == 2  # a 403 is not retried
        good.close()
        bad.close()
    message = str(caught.value)
    assert "HTTP 403" in message and "ALTERAM_LIBRETRANSLATE_API_KEY" in message
    assert "wrong-key-1" not in message and KEY not in message


def test_hang_is_a_timeout_within_the_configured_time(
    lt: LibreTranslateDouble, make_libretranslate: MakeLT
) -> None:
    translator = make_libretranslate(retries=1)
    translator.languages()  # read before the double starts hanging
    lt.set_mode("hang")
    started = time.monotonic()
    with pytest.raises(BackendTimeout):
        translator.translate("Hello, world.", source="en", target="zh")
    assert time.monotonic() - started < 2 * TIMEOUT + 2 * BACKOFF + 1.0
    assert len(lt.main_requests()) == 2


@pytest.mark.parametrize("status", [500, 503])
def test_fail_is_retried_then_a_clear_error(
    lt: LibreTranslateDouble, make_libretranslate: MakeLT, status: int
) -> None:
    lt.set_mode("fail", status=status)
    with pytest.raises(BackendUnavailable) as caught:
        make_libretranslate(retries=2).translate("Hello, world.", source="en", target="zh")
    assert len(lt.main_requests()) == 3
    assert f"LibreTranslate at {lt.url}/translate answered HTTP {status} (3 attempts)" in str(
        caught.value
    )


def test_die_mid_answer_is_retried(lt: LibreTranslateDouble, make_libretranslate: MakeLT) -> None:
    lt.set_mode("die", times=2)
    translator = make_libretranslate(retries=2)
    assert translator.translate("Hello, world.", source="en", target="zh") == "你好，世界。"
    lt.set_mode("die")
    with pytest.raises(BackendUnavailable, match="broke off the connection"):
        translator.translate("Hello, world.", source="en", target="zh")
    assert [r.mode for r in lt.main_requests()] == ["die", "die", "ok", "die", "die", "die"]


@pytest.mark.parametrize("kind", LibreTranslateDouble.GARBAGE)
def test_every_garbage_kind_is_invalid_never_empty(
    lt: LibreTranslateDouble, make_libretranslate: MakeLT, kind: str
) -> None:
    lt.set_mode("garbage", garbage=kind)
    with pytest.raises(BackendAnswerInvalid) as caught:
        make_libretranslate().translate(SENTENCE, source="en", target="zh")
    assert f"LibreTranslate at {lt.url}/translate" in str(caught.value)
    assert len(lt.main_requests()) == 1


def test_caller_limit_on_length(make_libretranslate: MakeLT) -> None:
    with pytest.raises(BackendAnswerInvalid, match="over the limit of 5"):
        make_libretranslate().translate(SENTENCE, source="en", target="zh", max_length=5)
