"""Machine translation: the :class:`Translator` protocol and the configured translator.

    translator = translator_from_settings(settings)   # None when ALTERAM_TRANSLATION_BACKEND=off
    if translator is not None:
        zh = translator.translate("We would like to know.", source="en", target="zh")

Two implementations, chosen by ``ALTERAM_TRANSLATION_BACKEND``:

- ``libretranslate``: :class:`~alteram.backends.libretranslate.LibreTranslateTranslator`
  (a LibreTranslate server, ``POST /translate``);
- ``llm``: :class:`~alteram.backends.llm_translate.ChatTranslator` (the language model of
  ``ALTERAM_LLM_*`` with the prompt in ``backends/prompts/translate.md``).

Languages are alteram's codes (``"en"``, ``"zh"``; ``"zh"`` means Simplified Chinese).
Every result has passed :func:`~alteram.backends.validate.check_translation`: a translator
returns a usable translation or raises a :class:`~alteram.backends.errors.BackendError`,
never an empty string. Calls block for up to about ``(retries + 1) * timeout`` seconds, so
they belong in jobs, never on the request path.
"""

from __future__ import annotations

from typing import Protocol

from alteram.backends.validate import language_base
from alteram.config import Settings
from alteram.errors import InvalidInput


class Translator(Protocol):
    """Something that translates one text between two languages."""

    #: What made the translation, for the record: ``"libretranslate"``, ``"llm:MODEL"``.
    engine: str
    #: Where it runs, for messages: e.g. ``"LibreTranslate at http://127.0.0.1:5000"``.
    label: str

    def translate(
        self, text: str, *, source: str, target: str, max_length: int | None = None
    ) -> str:
        """``text`` in ``target``; raises BackendError (never returns ``""``)."""
        ...

    def close(self) -> None:
        """Release its connections."""
        ...


def check_request(text: str, *, source: str, target: str) -> None:
    """Refuse a request that makes no sense: empty text, or the same language twice."""
    if not text.strip():
        raise InvalidInput("there is no text to translate: it is empty.")
    if language_base(source) == language_base(target):
        raise InvalidInput(
            f"cannot translate from {source!r} into {target!r}: it is the same language."
        )


def translator_from_settings(settings: Settings, *, backoff: float = 0.5) -> Translator | None:
    """The translator the settings choose, or None when machine translation is off."""
    from alteram.backends.chat import chat_client_from_settings
    from alteram.backends.libretranslate import LibreTranslateTranslator
    from alteram.backends.llm_translate import ChatTranslator

    if settings.translation_backend == "libretranslate":
        assert settings.libretranslate_url is not None  # the settings validated it
        key = settings.libretranslate_api_key
        return LibreTranslateTranslator(
            base_url=settings.libretranslate_url,
            api_key=key.get_secret_value() if key else None,
            timeout=settings.backend_timeout,
            retries=settings.backend_retries,
            backoff=backoff,
        )
    if settings.translation_backend == "llm":
        client = chat_client_from_settings(settings, backoff=backoff)
        assert client is not None  # the settings validated it
        return ChatTranslator(client)
    return None


__all__ = ["Translator", "check_request", "translator_from_settings"]
