"""A real HTTP server that speaks the OpenAI chat-completions API, for tests and benchmarks.

    with ChatDouble() as llm:
        client = ChatClient(base_url=llm.url, model="test-model", timeout=1)
        llm.set_reply("Both sides agree on schools [s12].")   # the exact content returned
        client.complete([user("Summarise.")]).content
        llm.main_requests()[0].json["messages"]              # what was sent

``POST /v1/chat/completions`` answers like Ollama, llama.cpp's server and vLLM do:
``{"id", "object": "chat.completion", "model", "choices": [{"index": 0, "message":
{"role": "assistant", "content"}, "finish_reason": "stop"}], "usage"}``. The content is, in
this order: the next of the replies given with :meth:`ChatDouble.set_replies` (the last
one stays), what :meth:`ChatDouble.set_responder` computes from the messages, or, for a
translation request (a system message with ``Target language: NAME (CODE)``, as alteram's
prompt ends), :func:`~alteram.backends.doubles.texts.fake_translate` of the user's text;
otherwise a short simulated reply. A request without ``model`` or ``messages`` is HTTP 400,
and with ``api_key`` set a missing or wrong bearer token is HTTP 401, as OpenAI sends them.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from typing import Any

from alteram.backends.doubles.server import DoubleServer, Response
from alteram.backends.doubles.texts import fake_translate

Responder = Callable[[list[dict[str, Any]]], str]

_TARGET = re.compile(
    r"^Target language:.*\(([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)\)\s*$", re.MULTILINE
)

REFUSAL = "I'm sorry, but I can't help with translating this text."


class ChatDouble(DoubleServer):
    """A chat-completions server in a thread; see :class:`DoubleServer` for the modes."""

    MAIN = ("POST", "/v1/chat/completions")
    GARBAGE = (
        "html",
        "not_json",
        "wrong_shape",
        "null_content",
        "empty",
        "wrong_language",
        "numbers",
        "long",
        "refusal",
        "prompt_echo",
        "cut_off",
    )

    def __init__(self, *, api_key: str | None = None) -> None:
        super().__init__()
        self.api_key = api_key
        self._replies: list[str] = []
        self._responder: Responder | None = None
        self._reply_lock = threading.Lock()

    def __enter__(self) -> ChatDouble:
        self.start()
        return self

    @property
    def url(self) -> str:
        """The base URL to give as ``ALTERAM_LLM_URL`` (ends in ``/v1``)."""
        return self.origin + "/v1"

    def set_reply(self, content: str | None) -> None:
        """Return exactly ``content`` from now on (None: back to the default answers)."""
        self.set_replies([] if content is None else [content])

    def set_replies(self, contents: Sequence[str]) -> None:
        """Return these contents one per request; the last one stays."""
        with self._reply_lock:
            self._replies = list(contents)

    def set_responder(self, responder: Responder | None) -> None:
        """Compute each reply from the request's messages (None: back to the default)."""
        with self._reply_lock:
            self._responder = responder

    # -- answers --------------------------------------------------------------------------

    def answer(self, method: str, path: str, body: Any, headers: dict[str, str]) -> Response:
        if (method, path) != self.MAIN:
            return _error(404, f"unknown endpoint {method} {path}", "not_found")
        if self.api_key is not None and headers.get("authorization") != f"Bearer {self.api_key}":
            return _error(401, "Incorrect API key provided.", "invalid_api_key")
        messages = body.get("messages") if isinstance(body, dict) else None
        if not isinstance(messages, list) or not messages or not body.get("model"):
            return _error(400, "'model' and a non-empty 'messages' are required", "invalid")
        return _completion(str(body["model"]), self.content(messages))

    def content(self, messages: list[dict[str, Any]]) -> str:
        """The proper reply to ``messages``."""
        with self._reply_lock:
            if self._replies:
                return self._replies.pop(0) if len(self._replies) > 1 else self._replies[0]
            responder = self._responder
        if responder is not None:
            return responder(messages)
        text = _last(messages, "user")
        target = _TARGET.search(_last(messages, "system"))
        if target is not None:
            return fake_translate(text, target.group(1))
        return f"(simulated reply) {text[:200]}"

    def garbage_answer(self, kind: str, body: Any, headers: dict[str, str]) -> Response:
        if kind == "html":
            page = "<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>"
            return Response.of_text(page, content_type="text/html")
        if kind == "not_json":
            return Response.of_text('data: {"choices": [')
        if kind == "wrong_shape":
            return Response.of_json({"object": "chat.completion", "choices": []})
        messages = body.get("messages") if isinstance(body, dict) else None
        messages = messages if isinstance(messages, list) else []
        model = str(body.get("model", "?")) if isinstance(body, dict) else "?"
        if kind == "null_content":
            return _completion(model, None)
        if kind == "cut_off":
            return _completion(model, self.content(messages)[:10], finish="length")
        good = self.content(messages) if messages else ""
        text = {
            "empty": "\n \n",
            "wrong_language": _last(messages, "user"),
            "numbers": "".join(c for c in good if not c.isdigit()),
            "long": good * 10 + " ..." * 50,
            "refusal": REFUSAL,
            "prompt_echo": _last(messages, "system"),
        }[kind]
        return _completion(model, text)


def _last(messages: list[dict[str, Any]], role: str) -> str:
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == role:
            return str(message.get("content", ""))
    return ""


def _completion(model: str, content: str | None, *, finish: str = "stop") -> Response:
    return Response.of_json(
        {
            "id": "chatcmpl-double",
            "object": "chat.completion",
            "created": 0,
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": finish,
                }
            ],
            "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        }
    )


def _error(status: int, message: str, code: str) -> Response:
    return Response.of_json(
        {"error": {"message": message, "type": "invalid_request_error", "code": code}}, status
    )


__all__ = ["REFUSAL", "ChatDouble", "Responder"]
