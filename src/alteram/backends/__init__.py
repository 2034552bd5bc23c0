"""The one place alteram talks to outside services: machine translation, a language model.

Everything here is off until the settings turn it on, and every call blocks (for up to
about ``(ALTERAM_BACKEND_RETRIES + 1) * ALTERAM_BACKEND_TIMEOUT`` seconds), so callers run
it in jobs, never on the request path (DESIGN.md §4).

- :func:`translator_from_settings` -> a :class:`Translator` (``translate(text, *, source,
  target, max_length=None) -> str``) or None when ``ALTERAM_TRANSLATION_BACKEND=off``;
  backed by LibreTranslate (:mod:`.libretranslate`) or the language model
  (:mod:`.llm_translate`, prompt in ``prompts/translate.md``). Every translation passes
  :func:`check_translation` first.
- :func:`chat_client_from_settings` -> a :class:`ChatClient` for OpenAI-compatible chat
  completions (Ollama, llama.cpp's server, vLLM), or None when ``ALTERAM_LLM_URL`` is unset;
  the same client serves translation and summaries.
- Errors: :class:`BackendError` and its kinds in :mod:`.errors`.
- :mod:`.http`: the one HTTP helper (timeouts, retries with backoff and jitter).
- :mod:`.doubles`: real local HTTP servers that speak both APIs, for tests and benchmarks.
- :mod:`.check`: what ``alteram backends check`` reports.

This package imports nothing from ``store``, ``service``, ``web`` or ``cli``.
"""

from alteram.backends.chat import (
    ChatClient,
    ChatMessage,
    ChatReply,
    chat_client_from_settings,
    system,
    user,
)
from alteram.backends.errors import (
    BackendAnswerInvalid,
    BackendError,
    BackendRejected,
    BackendTimeout,
    BackendUnavailable,
)
from alteram.backends.libretranslate import LibreTranslateTranslator
from alteram.backends.llm_translate import ChatTranslator, translation_prompt
from alteram.backends.translate import Translator, translator_from_settings
from alteram.backends.validate import check_translation

__all__ = [
    "BackendAnswerInvalid",
    "BackendError",
    "BackendRejected",
    "BackendTimeout",
    "BackendUnavailable",
    "ChatClient",
    "ChatMessage",
    "ChatReply",
    "ChatTranslator",
    "LibreTranslateTranslator",
    "Translator",
    "chat_client_from_settings",
    "check_translation",
    "system",
    "translation_prompt",
    "translator_from_settings",
    "user",
]
