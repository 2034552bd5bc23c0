"""Whether the configured backends answer: what ``alteram backends check`` reports.

One :class:`BackendStatus` for machine translation (one translation en -> zh of
:data:`SAMPLE`) and one for the language model (one chat round trip). Nothing is sent to a
backend that is off or not configured; API keys are never part of a line.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from alteram.backends.chat import chat_client_from_settings, system, user
from alteram.backends.errors import BackendError
from alteram.backends.translate import translator_from_settings
from alteram.config import Settings

SAMPLE = "The dialogue has run for 21 years since 1990."


@dataclass(frozen=True)
class BackendStatus:
    """One backend: what it is for, whether it is configured and answers, one line."""

    role: str
    configured: bool
    ok: bool
    line: str


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_translation_backend(settings: Settings, *, backoff: float = 0.5) -> BackendStatus:
    """Translate :data:`SAMPLE` into Chinese with the configured translator."""
    translator = translator_from_settings(settings, backoff=backoff)
    if translator is None:
        return BackendStatus(
            "translation",
            False,
            True,
            "translation: off (ALTERAM_TRANSLATION_BACKEND=off); no text is sent anywhere.",
        )
    started = time.monotonic()
    try:
        result = translator.translate(SAMPLE, source="en", target="zh")
    except BackendError as exc:
        return BackendStatus("translation", True, False, f"translation: does not work: {exc}")
    finally:
        translator.close()
    took = time.monotonic() - started
    return BackendStatus(
        "translation",
        True,
        True,
        f"translation: {translator.label} answers (en->zh in {took:.2f} s): {_short(result)!r}",
    )


def check_language_model(settings: Settings, *, backoff: float = 0.5) -> BackendStatus:
    """One chat round trip with the configured language model."""
    client = chat_client_from_settings(settings, backoff=backoff)
    if client is None:
        return BackendStatus(
            "language model",
            False,
            True,
            "language model: not configured (ALTERAM_LLM_URL is unset).",
        )
    label = f"{client.http.name} at {client.base_url}"
    started = time.monotonic()
    try:
        reply = client.complete(
            [system("Reply with the single word OK."), user("Are you there?")],
            max_tokens=200,
        )
    except BackendError as exc:
        return BackendStatus("language model", True, False, f"language model: does not work: {exc}")
    finally:
        client.close()
    took = time.monotonic() - started
    return BackendStatus(
        "language model",
        True,
        True,
        f"language model: {label} answers (chat round trip in {took:.2f} s): "
        f"{_short(reply.content)!r}",
    )


def check_backends(settings: Settings, *, backoff: float = 0.5) -> list[BackendStatus]:
    """The translation backend's status, then the language model's."""
    return [
        check_translation_backend(settings, backoff=backoff),
        check_language_model(settings, backoff=backoff),
    ]


__all__ = ["SAMPLE", "BackendStatus", "check_backends"]
