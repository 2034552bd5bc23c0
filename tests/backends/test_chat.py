"""The chat-completions client against a real local server that speaks the API."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from alteram.backends.chat import ChatClient, chat_client_from_settings, system, user
from alteram.backends.doubles import ChatDouble
from alteram.backends.errors import (
    BackendAnswerInvalid,
    BackendRejected,
    BackendTimeout,
    BackendUnavailable,
)
from alteram.config import load_settings
from tests.backends.conftest import TIMEOUT

MakeChat = Callable[..., ChatClient]
KEY = "sk-chat-secret-777"


def test_round_trip_sends_an_openai_request(llm: ChatDouble, make_chat: MakeChat) -> None:
    llm.set_reply("Both sides agree on schools [s12].")
    client = make_chat(api_key=KEY, temperature=0.2)
    reply = client.complete([system("You summarise."), user("What happened?")], max_tokens=50)
    assert reply.content == "Both sides agree on schools [s12]."
    assert reply.model == "test-model" and reply.finish_reason == "stop"
    (sent,) = llm.requests
    assert (sent.method, sent.path) == ("POST", "/v1/chat/completions")
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert sent.json == {
        "model": "test-model",
        "messages": [
            {"role": "system", "content": "You summarise."},
            {"role": "user", "content": "What happened?"},
        ],
        "temperature": 0.2,
        "max_tokens": 50,
        "stream": False,
    }


def test_no_key_no_authorization_header_and_no_max_tokens(
    llm: ChatDouble, make_chat: MakeChat
) -> None:
    make_chat().complete([user("Hi")], temperature=0.7)
    (sent,) = llm.requests
    assert "authorization" not in sent.headers
    assert "max_tokens" not in sent.json and sent.json["temperature"] == 0.7


def test_replies_in_turn_then_the_last_stays(llm: ChatDouble, make_chat: MakeChat) -> None:
    llm.set_replies(["draft one [s1]", "draft two [s2]"])
    client = make_chat()
    got = [client.complete([user("draft")]).content for _ in range(3)]
    assert got == ["draft one [s1]", "draft two [s2]", "draft two [s2]"]


def test_a_responder_sees_the_messages(llm: ChatDouble, make_chat: MakeChat) -> None:
    def count(messages: list[dict[str, Any]]) -> str:
        return f"{len(messages)} messages, last: {messages[-1]['content']}"

    llm.set_responder(count)
    assert make_chat().complete([system("s"), user("u")]).content == "2 messages, last: u"


def test_a_reasoning_block_is_dropped(llm: ChatDouble, make_chat: MakeChat) -> None:
    llm.set_reply("<think>\nThe user wants OK.\n</think>\n\nOK")
    assert make_chat().complete([user("?")]).content == "OK"
    llm.set_reply("<think>only thinking</think>")
    with pytest.raises(BackendAnswerInvalid, match="empty reply"):
        make_chat().complete([user("?")])


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("html", "an HTML page"),
        ("not_json", "not JSON"),
        ("wrong_shape", "no choices"),
        ("null_content", "content is null"),
        ("empty", "empty reply"),
        ("cut_off", "cut off at max_tokens"),
    ],
)
def test_answers_of_the_wrong_shape_are_invalid(
    llm: ChatDouble, make_chat: MakeChat, kind: str, reason: str
) -> None:
    llm.set_mode("garbage", garbage=kind)
    with pytest.raises(BackendAnswerInvalid) as caught:
        make_chat().complete([user("Hello")])
    message = str(caught.value)
    assert reason in message
    assert f"{llm.url}/chat/completions" in message and "ALTERAM_LLM_URL" in message


def test_wrong_key_is_rejected_once_without_the_key(make_chat: MakeChat) -> None:
    with ChatDouble(api_key="the-right-key") as guarded:
        client = make_chat(base_url=guarded.url, api_key=KEY)
        with pytest.raises(BackendRejected) as caught:
            client.complete([user("Hi")])
        assert len(guarded.requests) == 1
    message = str(caught.value)
    assert "HTTP 401" in message and "Incorrect API key" in message
    assert "ALTERAM_LLM_API_KEY" in message and KEY not in message


def test_hang_is_a_timeout_in_bounded_time(llm: ChatDouble, make_chat: MakeChat) -> None:
    llm.set_mode("hang")
    started = time.monotonic()
    with pytest.raises(BackendTimeout):
        make_chat(retries=1).complete([user("Hi")])
    assert time.monotonic() - started < 2 * TIMEOUT + 1.0
    assert len(llm.main_requests()) == 2


def test_fail_then_recover_and_fail_for_good(llm: ChatDouble, make_chat: MakeChat) -> None:
    llm.set_mode("fail", status=503, times=2)
    assert make_chat().complete([user("Hi")]).content.startswith("(simulated reply)")
    llm.set_mode("die")
    with pytest.raises(BackendUnavailable, match="broke off"):
        make_chat().complete([user("Hi")])
    assert len(llm.main_requests()) == 3 + 3


def test_client_from_settings(monkeypatch: pytest.MonkeyPatch, llm: ChatDouble) -> None:
    for name in ("ALTERAM_LLM_URL", "ALTERAM_LLM_MODEL", "ALTERAM_LLM_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    assert chat_client_from_settings(load_settings()) is None
    settings = load_settings(
        llm_url=llm.url + "/", llm_model="qwen2.5:7b", llm_api_key=KEY, backend_timeout=3
    )
    client = chat_client_from_settings(settings)
    assert client is not None
    with client:
        assert client.model == "qwen2.5:7b" and client.base_url == llm.url
        assert client.http.timeout == 3 and client.http.retries == 3
        client.complete([user("ping")])
    assert llm.requests[0].headers["authorization"] == f"Bearer {KEY}"
