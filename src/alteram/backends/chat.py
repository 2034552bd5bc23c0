"""A client for OpenAI-compatible chat completions: Ollama, llama.cpp's server, vLLM.

    client = chat_client_from_settings(settings)      # None when ALTERAM_LLM_URL is unset
    reply = client.complete([system("You ..."), user("...")], max_tokens=400)
    reply.content                                     # never empty

It sends ``POST {ALTERAM_LLM_URL}/chat/completions`` with ``model``, ``messages``,
``temperature`` and, when given, ``max_tokens`` (and ``Authorization: Bearer`` when
``ALTERAM_LLM_API_KEY`` is set), and reads ``choices[0].message.content``. The answer is
checked strictly: anything but a JSON object with a non-empty string there, or an answer cut
off at ``max_tokens`` (``finish_reason == "length"``), is :class:`BackendAnswerInvalid`.
A reasoning model's leading ``<think>...</think>`` block is dropped. Translation (#10) and
summaries (#13) share this client and its settings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal, TypedDict

from alteram.backends.errors import BackendAnswerInvalid
from alteram.backends.http import HttpBackend
from alteram.config import Settings

Role = Literal["system", "user", "assistant"]

_THINK = re.compile(r"^\s*<think>.*?</think>", re.DOTALL)


class ChatMessage(TypedDict):
    """One message of a conversation."""

    role: Role
    content: str


def system(content: str) -> ChatMessage:
    """A system message."""
    return {"role": "system", "content": content}


def user(content: str) -> ChatMessage:
    """A user message."""
    return {"role": "user", "content": content}


@dataclass(frozen=True)
class ChatReply:
    """The model's answer: its text, the model that wrote it, and why it stopped."""

    content: str
    model: str
    finish_reason: str | None


class ChatClient:
    """Chat completions from one model on one OpenAI-compatible server.

    Parameters
    ----------
    base_url : str
        The server's base URL, e.g. ``http://127.0.0.1:11434/v1``.
    model : str
        The model name sent with every request.
    api_key : str, optional
        Sent as a bearer token when given.
    timeout, retries, backoff
        As for :class:`~alteram.backends.http.HttpBackend`.
    temperature : float, default=0
        Used when :meth:`complete` is not given one (0: as repeatable as the server allows).
    """

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str | None = None,
        timeout: float = 20.0,
        retries: int = 3,
        backoff: float = 0.5,
        temperature: float = 0.0,
    ) -> None:
        self.model = model
        self.temperature = temperature
        self.http = HttpBackend(
            name=f"the language model {model!r}",
            base_url=base_url,
            url_setting="ALTERAM_LLM_URL",
            key_setting="ALTERAM_LLM_API_KEY",
            timeout=timeout,
            retries=retries,
            backoff=backoff,
            headers={"Authorization": f"Bearer {api_key}"} if api_key else None,
            secrets=[api_key] if api_key else [],
        )

    def __enter__(self) -> ChatClient:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the pooled connections."""
        self.http.close()

    @property
    def base_url(self) -> str:
        """The server's base URL (no secrets in it)."""
        return self.http.base_url

    def complete(
        self,
        messages: Sequence[ChatMessage],
        *,
        temperature: float | None = None,
        max_tokens: int | None = None,
    ) -> ChatReply:
        """The model's reply to ``messages``; raises a BackendError when there is none."""
        if not messages:
            raise ValueError("complete() needs at least one message")
        payload: dict[str, Any] = {
            "model": self.model,
            "messages": [dict(m) for m in messages],
            "temperature": self.temperature if temperature is None else temperature,
            "stream": False,
        }
        if max_tokens is not None:
            payload["max_tokens"] = max_tokens
        answer = self.http.post_json("/chat/completions", payload)
        return self._reply(answer)

    def _reply(self, answer: Any) -> ChatReply:
        choice = _first_choice(answer)
        message = choice.get("message") if choice is not None else None
        content = message.get("content") if isinstance(message, dict) else None
        if not isinstance(content, str):
            raise self._invalid(f"without a reply: {_missing(answer)}")
        content = _THINK.sub("", content, count=1).strip()
        finish = choice.get("finish_reason") if choice is not None else None
        if finish == "length":
            raise self._invalid("with a reply cut off at max_tokens")
        if not content:
            raise self._invalid("with an empty reply")
        model = answer.get("model") if isinstance(answer, dict) else None
        return ChatReply(
            content=content,
            model=model if isinstance(model, str) else self.model,
            finish_reason=finish if isinstance(finish, str) else None,
        )

    def _invalid(self, what: str) -> BackendAnswerInvalid:
        url = f"{self.base_url}/chat/completions"
        return BackendAnswerInvalid(
            f"{self.http.name} at {url} answered {what}.",
            backend=self.http.name,
            url=url,
            hint="Check that ALTERAM_LLM_URL is an OpenAI-compatible /v1 base URL and "
            "ALTERAM_LLM_MODEL a chat model it serves.",
        )


def _first_choice(answer: Any) -> dict[str, Any] | None:
    if not isinstance(answer, dict):
        return None
    choices = answer.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        return None
    return choices[0]


def _missing(answer: Any) -> str:
    """Where ``choices[0].message.content`` is missing from ``answer`` (never its text)."""
    if not isinstance(answer, dict):
        return f"the answer is a JSON {type(answer).__name__}, not an object"
    choices = answer.get("choices")
    if not isinstance(choices, list) or not choices:
        keys = ", ".join(sorted(map(str, answer))[:8]) or "none"
        return f"no choices (keys: {keys})"
    message = choices[0].get("message") if isinstance(choices[0], dict) else None
    if not isinstance(message, dict):
        return "choices[0] has no message"
    content = message.get("content")
    kind = (
        "missing"
        if "content" not in message
        else "null"
        if content is None
        else (f"a {type(content).__name__}")
    )
    return f"choices[0].message.content is {kind}, not a string"


def chat_client_from_settings(settings: Settings, *, backoff: float = 0.5) -> ChatClient | None:
    """The configured language model's client, or None when ``ALTERAM_LLM_URL`` is unset."""
    if settings.llm_url is None or settings.llm_model is None:
        return None
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    return ChatClient(
        base_url=settings.llm_url,
        model=settings.llm_model,
        api_key=key,
        timeout=settings.backend_timeout,
        retries=settings.backend_retries,
        backoff=backoff,
    )


__all__ = [
    "ChatClient",
    "ChatMessage",
    "ChatReply",
    "chat_client_from_settings",
    "system",
    "user",
]
