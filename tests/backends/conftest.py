"""Real local HTTP servers that speak each backend's API, and clients with short timeouts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from alteram.backends.chat import ChatClient
from alteram.backends.doubles import ChatDouble, LibreTranslateDouble
from alteram.backends.libretranslate import LibreTranslateTranslator
from alteram.backends.llm_translate import ChatTranslator

# Short enough to keep the suite quick, long enough for a loaded 2-core machine.
TIMEOUT = 0.5
BACKOFF = 0.01


@pytest.fixture
def lt() -> Iterator[LibreTranslateDouble]:
    with LibreTranslateDouble() as double:
        yield double


@pytest.fixture
def llm() -> Iterator[ChatDouble]:
    with ChatDouble() as double:
        yield double


@pytest.fixture
def make_libretranslate(
    lt: LibreTranslateDouble,
) -> Iterator[Callable[..., LibreTranslateTranslator]]:
    made: list[LibreTranslateTranslator] = []

    def make(**options: Any) -> LibreTranslateTranslator:
        settings: dict[str, Any] = {
            "base_url": lt.url,
            "timeout": TIMEOUT,
            "retries": 2,
            "backoff": BACKOFF,
        }
        translator = LibreTranslateTranslator(**{**settings, **options})
        made.append(translator)
        return translator

    yield make
    for translator in made:
        translator.close()


@pytest.fixture
def make_chat(llm: ChatDouble) -> Iterator[Callable[..., ChatClient]]:
    made: list[ChatClient] = []

    def make(**options: Any) -> ChatClient:
        settings: dict[str, Any] = {
            "base_url": llm.url,
            "model": "test-model",
            "timeout": TIMEOUT,
            "retries": 2,
            "backoff": BACKOFF,
        }
        client = ChatClient(**{**settings, **options})
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def chat_translator(make_chat: Callable[..., ChatClient]) -> ChatTranslator:
    return ChatTranslator(make_chat())
