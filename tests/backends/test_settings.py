"""The backend settings: off by default, validated at start-up, secrets never shown."""

from __future__ import annotations

import pytest

from alteram.backends.libretranslate import LibreTranslateTranslator
from alteram.backends.llm_translate import ChatTranslator
from alteram.backends.translate import check_request, translator_from_settings
from alteram.config import SETTINGS_HELP, load_settings
from alteram.errors import ConfigurationError, InvalidInput

BACKEND_SETTINGS = [
    name
    for name in SETTINGS_HELP
    if "BACKEND" in name or "_LLM_" in name or "LIBRETRANSLATE" in name
]


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in BACKEND_SETTINGS:
        monkeypatch.delenv(name, raising=False)


def test_off_by_default() -> None:
    settings = load_settings()
    assert settings.translation_backend == "off"
    assert settings.llm_url is None and settings.libretranslate_url is None
    assert settings.backend_timeout == 20 and settings.backend_retries == 3
    assert translator_from_settings(settings) is None


def test_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALTERAM_TRANSLATION_BACKEND", " LLM ")
    monkeypatch.setenv("ALTERAM_LLM_URL", "http://127.0.0.1:11434/v1/")
    monkeypatch.setenv("ALTERAM_LLM_MODEL", "qwen2.5:7b")
    monkeypatch.setenv("ALTERAM_LLM_API_KEY", "sk-abc123")
    monkeypatch.setenv("ALTERAM_BACKEND_TIMEOUT", "2.5")
    monkeypatch.setenv("ALTERAM_BACKEND_RETRIES", "0")
    settings = load_settings()
    assert settings.translation_backend == "llm"
    assert settings.llm_url == "http://127.0.0.1:11434/v1"
    assert settings.backend_timeout == 2.5 and settings.backend_retries == 0
    assert "sk-abc123" not in repr(settings) and "sk-abc123" not in str(settings)
    translator = translator_from_settings(settings)
    assert isinstance(translator, ChatTranslator)
    assert translator.engine == "llm:qwen2.5:7b"
    assert translator.client.http.timeout == 2.5 and translator.client.http.retries == 0
    translator.close()


def test_libretranslate_from_settings() -> None:
    settings = load_settings(
        translation_backend="libretranslate",
        libretranslate_url="https://lt.example.org",
        libretranslate_api_key="k-1",
    )
    translator = translator_from_settings(settings)
    assert isinstance(translator, LibreTranslateTranslator)
    assert translator.label == "LibreTranslate at https://lt.example.org"
    translator.close()


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            {"translation_backend": "deepl"},
            "ALTERAM_TRANSLATION_BACKEND ('deepl'): Input should be",
        ),
        ({"translation_backend": "libretranslate"}, "needs ALTERAM_LIBRETRANSLATE_URL"),
        ({"translation_backend": "llm"}, "needs ALTERAM_LLM_URL"),
        ({"llm_url": "http://h/v1"}, "ALTERAM_LLM_URL is set but ALTERAM_LLM_MODEL is not"),
        ({"llm_url": "127.0.0.1:11434", "llm_model": "m"}, "ALTERAM_LLM_URL ('127.0.0.1:11434')"),
        ({"libretranslate_url": "ftp://h"}, "ALTERAM_LIBRETRANSLATE_URL ('ftp://h'): must be"),
        ({"libretranslate_url": "http://h:99999"}, "invalid port"),
        ({"libretranslate_url": "http://h/translate"}, "without the endpoint path"),
        ({"llm_url": "http://h/v1/chat/completions", "llm_model": "m"}, "without the endpoint"),
        ({"llm_url": "http://h/v1?key=1", "llm_model": "m"}, "without '?query'"),
        ({"backend_timeout": "0"}, "ALTERAM_BACKEND_TIMEOUT ('0'): Input should be greater than 0"),
        ({"backend_timeout": "soon"}, "ALTERAM_BACKEND_TIMEOUT ('soon')"),
        ({"backend_retries": "-1"}, "ALTERAM_BACKEND_RETRIES ('-1')"),
        ({"backend_retries": "11"}, "ALTERAM_BACKEND_RETRIES ('11'): Input should be less than"),
    ],
)
def test_bad_settings_are_one_clear_error(values: dict[str, object], expected: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_settings(**values)
    assert expected in str(caught.value)
    assert str(caught.value).startswith("invalid settings: ")


def test_a_password_in_a_url_is_refused_and_not_repeated() -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_settings(llm_url="http://me:hunter2@h/v1", llm_model="m")
    assert "must not carry a user or password" in str(caught.value)
    assert "hunter2" not in str(caught.value)


def test_blank_values_count_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALTERAM_LLM_URL", "")
    monkeypatch.setenv("ALTERAM_LLM_API_KEY", " ")
    settings = load_settings()
    assert settings.llm_url is None and settings.llm_api_key is None


def test_requests_that_make_no_sense() -> None:
    with pytest.raises(InvalidInput, match="empty"):
        check_request("  ", source="en", target="zh")
    with pytest.raises(InvalidInput, match="same language"):
        check_request("Hi", source="zh", target="zh-Hans")
