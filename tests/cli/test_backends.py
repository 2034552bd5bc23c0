"""``alteram backends check`` against real local servers that speak each API."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from alteram.backends.doubles import ChatDouble, LibreTranslateDouble
from tests.cli.helpers import alteram

KEY = "sk-never-print-me-31337"
FAST = {"ALTERAM_BACKEND_TIMEOUT": "1", "ALTERAM_BACKEND_RETRIES": "1"}


@pytest.fixture
def lt() -> Iterator[LibreTranslateDouble]:
    with LibreTranslateDouble(api_key=KEY) as double:
        yield double


@pytest.fixture
def llm() -> Iterator[ChatDouble]:
    with ChatDouble(api_key=KEY) as double:
        yield double


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_off_by_default_sends_nothing(tmp_path: Path, lt: LibreTranslateDouble) -> None:
    # a URL is set, but the backend is off: nothing may reach it
    done = alteram(
        "backends", "check", data_dir=tmp_path, env={"ALTERAM_LIBRETRANSLATE_URL": lt.url}
    )
    assert done.returncode == 0, done.stderr
    assert _lines(done.stdout) == [
        "translation: off (ALTERAM_TRANSLATION_BACKEND=off); no text is sent anywhere.",
        "language model: not configured (ALTERAM_LLM_URL is unset).",
    ]
    assert lt.requests == []


def test_libretranslate_and_language_model_answer(
    tmp_path: Path, lt: LibreTranslateDouble, llm: ChatDouble
) -> None:
    env = {
        **FAST,
        "ALTERAM_TRANSLATION_BACKEND": "libretranslate",
        "ALTERAM_LIBRETRANSLATE_URL": lt.url,
        "ALTERAM_LIBRETRANSLATE_API_KEY": KEY,
        "ALTERAM_LLM_URL": llm.url,
        "ALTERAM_LLM_MODEL": "qwen2.5:7b",
        "ALTERAM_LLM_API_KEY": KEY,
    }
    done = alteram("backends", "check", data_dir=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    translation, model = _lines(done.stdout)
    assert translation.startswith(f"translation: LibreTranslate at {lt.url} answers (en->zh in ")
    assert translation.endswith("'这个对话自1990年以来已经进行了21年。'")
    assert model.startswith(f"language model: the language model 'qwen2.5:7b' at {llm.url} answers")
    assert KEY not in done.stdout + done.stderr
    assert len(lt.main_requests()) == 1 and len(llm.main_requests()) == 1


def test_translation_by_the_language_model(tmp_path: Path, llm: ChatDouble) -> None:
    env = {
        **FAST,
        "ALTERAM_TRANSLATION_BACKEND": "llm",
        "ALTERAM_LLM_URL": llm.url,
        "ALTERAM_LLM_MODEL": "m",
        "ALTERAM_LLM_API_KEY": KEY,
    }
    done = alteram("backends", "check", data_dir=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert _lines(done.stdout)[0].startswith("translation: the language model 'm' at ")
    assert len(llm.main_requests()) == 2


def test_a_backend_that_fails_is_one_line_and_exit_1(
    tmp_path: Path, lt: LibreTranslateDouble, llm: ChatDouble
) -> None:
    lt.set_mode("fail", status=503)
    env = {
        **FAST,
        "ALTERAM_TRANSLATION_BACKEND": "libretranslate",
        "ALTERAM_LIBRETRANSLATE_URL": lt.url,
        "ALTERAM_LIBRETRANSLATE_API_KEY": KEY,
        "ALTERAM_LLM_URL": llm.url,
        "ALTERAM_LLM_MODEL": "m",
        "ALTERAM_LLM_API_KEY": "a-wrong-key-555",
    }
    done = alteram("backends", "check", data_dir=tmp_path, env=env)
    assert done.returncode == 1
    translation, model = _lines(done.stdout)
    assert translation.startswith("translation: does not work: LibreTranslate at ")
    assert "answered HTTP 503 (2 attempts)" in translation
    assert model.startswith("language model: does not work: the language model 'm' at ")
    assert "HTTP 401" in model and "ALTERAM_LLM_API_KEY" in model
    assert KEY not in done.stdout + done.stderr and "a-wrong-key-555" not in done.stdout
    assert done.stderr == ""


def test_bad_settings_are_one_error_line(tmp_path: Path) -> None:
    done = alteram(
        "backends", "check", data_dir=tmp_path, env={"ALTERAM_TRANSLATION_BACKEND": "llm"}
    )
    assert done.returncode == 1
    (line,) = _lines(done.stderr)
    assert line.startswith("error: invalid settings: ") and "needs ALTERAM_LLM_URL" in line
