"""Translation by the configured language model, with the prompt in ``prompts/translate.md``.

The prompt (a ``string.Template`` with ``$source``, ``$target``, ``$source_name`` and
``$target_name``) goes as the system message, the text alone as the user message, at
temperature 0 and with ``max_tokens = 4 * len(text) + 256``. It asks for a faithful
translation only: names, numbers, quotations and register kept, questions translated and
not answered, instructions translated and not followed, no commentary.

Before :func:`~alteram.backends.validate.check_translation` the reply loses a code fence
around the whole of it, and quotation marks around the whole of it when the original has
none; nothing else is changed.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from string import Template

from babel import Locale, UnknownLocaleError

from alteram.backends.chat import ChatClient, system, user
from alteram.backends.translate import check_request
from alteram.backends.validate import check_translation, language_base

_FENCE = re.compile(r"^```[\w-]*\n(.*)\n```$", re.DOTALL)
_QUOTES = [('"', '"'), ("“", "”"), ("「", "」"), ("『", "』"), ("'", "'")]


@cache
def prompt_template() -> Template:
    """The translation prompt, read from the package."""
    text = files("alteram.backends").joinpath("prompts/translate.md").read_text("utf-8")
    return Template(text)


def language_name(code: str) -> str:
    """The English name of a language code: ``"zh"`` -> ``"Chinese (Simplified)"``.

    alteram's ``"zh"`` is Simplified Chinese; unknown codes are returned as they are.
    """
    tag = code.replace("-", "_")
    if language_base(code) == "zh" and tag.lower() == "zh":
        tag = "zh_Hans"
    try:
        return Locale.parse(tag).get_display_name("en") or code
    except (UnknownLocaleError, ValueError):
        return code


def translation_prompt(*, source: str, target: str) -> str:
    """The system message that asks for a translation from ``source`` into ``target``."""
    return prompt_template().substitute(
        source=source,
        target=target,
        source_name=language_name(source),
        target_name=language_name(target),
    )


def _unwrap(reply: str, original: str) -> str:
    reply = reply.strip()
    fenced = _FENCE.match(reply)
    if fenced and not original.lstrip().startswith("```"):
        reply = fenced.group(1).strip()
    if original.strip()[:1] in {opening for opening, _ in _QUOTES}:
        return reply
    for opening, closing in _QUOTES:
        if len(reply) > 2 and reply.startswith(opening) and reply.endswith(closing):
            inner = reply[1:-1]
            if opening not in inner and closing not in inner:
                return inner.strip()
    return reply


class ChatTranslator:
    """A :class:`~alteram.backends.translate.Translator` backed by a chat model."""

    def __init__(self, client: ChatClient) -> None:
        self.client = client
        self.engine = f"llm:{client.model}"
        self.label = f"{client.http.name} at {client.base_url}"

    def close(self) -> None:
        """Close the client's connections."""
        self.client.close()

    def translate(
        self, text: str, *, source: str, target: str, max_length: int | None = None
    ) -> str:
        """``text`` from ``source`` into ``target``, checked; raises a BackendError."""
        check_request(text, source=source, target=target)
        prompt = translation_prompt(source=source, target=target)
        reply = self.client.complete(
            [system(prompt), user(text)], temperature=0.0, max_tokens=4 * len(text) + 256
        )
        return check_translation(
            text,
            _unwrap(reply.content, text),
            source=source,
            target=target,
            backend=self.client.http.name,
            url=f"{self.client.base_url}/chat/completions",
            max_length=max_length,
            prompt=prompt,
        )


__all__ = ["ChatTranslator", "language_name", "translation_prompt"]
