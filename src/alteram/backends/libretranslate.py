"""Translation by a LibreTranslate server (self-hosted, offline once its models are in).

It sends ``POST {ALTERAM_LIBRETRANSLATE_URL}/translate`` with the JSON body
``{"q", "source", "target", "format": "text", "api_key"?}`` and reads ``translatedText``.

LibreTranslate has named Simplified Chinese ``"zh"`` (up to 1.5) and ``"zh-Hans"`` (from
1.6, beside ``"zh-Hant"``). The translator reads ``GET /languages`` once and sends the code
the server offers: alteram's ``"zh"`` goes as ``"zh-Hans"`` or ``"zh"``, ``"en-GB"`` as
``"en"``. A language the server does not offer is :class:`BackendRejected` naming what it
offers. A server without ``/languages`` (answering 404 or not JSON) gets the codes as
alteram writes them, the first part only.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from alteram.backends.errors import BackendAnswerInvalid, BackendRejected
from alteram.backends.http import HttpBackend
from alteram.backends.translate import check_request
from alteram.backends.validate import check_translation, language_base

log = logging.getLogger(__name__)

# Codes to try for an alteram language, best first, after the code itself.
_ALIASES = {"zh": ("zh-Hans", "zh-CN", "zh"), "zh-hans": ("zh-Hans", "zh"), "pt": ("pt", "pt-BR")}


class LibreTranslateTranslator:
    """A :class:`~alteram.backends.translate.Translator` backed by LibreTranslate."""

    engine = "libretranslate"

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str | None = None,
        timeout: float = 20.0,
        retries: int = 3,
        backoff: float = 0.5,
    ) -> None:
        self._api_key = api_key
        self.http = HttpBackend(
            name="LibreTranslate",
            base_url=base_url,
            url_setting="ALTERAM_LIBRETRANSLATE_URL",
            key_setting="ALTERAM_LIBRETRANSLATE_API_KEY",
            timeout=timeout,
            retries=retries,
            backoff=backoff,
            secrets=[api_key] if api_key else [],
        )
        self.label = f"LibreTranslate at {self.http.base_url}"
        self._languages: dict[str, set[str] | None] | None = None
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close the pooled connections."""
        self.http.close()

    def translate(
        self, text: str, *, source: str, target: str, max_length: int | None = None
    ) -> str:
        """``text`` from ``source`` into ``target``, checked; raises a BackendError."""
        check_request(text, source=source, target=target)
        src, tgt = self._code(source), self._code(target)
        self._check_pair(src, tgt)
        payload: dict[str, Any] = {"q": text, "source": src, "target": tgt, "format": "text"}
        if self._api_key:
            payload["api_key"] = self._api_key
        answer = self.http.post_json("/translate", payload)
        url = f"{self.http.base_url}/translate"
        result = answer.get("translatedText") if isinstance(answer, dict) else None
        if not isinstance(result, str):
            shape = sorted(answer)[:8] if isinstance(answer, dict) else type(answer).__name__
            raise BackendAnswerInvalid(
                f"LibreTranslate at {url} answered without translatedText as a string "
                f"(got {shape}).",
                backend="LibreTranslate",
                url=url,
                hint="Check that ALTERAM_LIBRETRANSLATE_URL points to a LibreTranslate server.",
            )
        return check_translation(
            text,
            result,
            source=source,
            target=target,
            backend="LibreTranslate",
            url=url,
            max_length=max_length,
        )

    # -- languages ----------------------------------------------------------------------

    def languages(self) -> dict[str, set[str] | None]:
        """The server's language codes, each with its target codes (None: not said)."""
        with self._lock:
            if self._languages is None:
                self._languages = self._fetch_languages()
            return self._languages

    def _fetch_languages(self) -> dict[str, set[str] | None]:
        try:
            answer = self.http.get_json("/languages")
        except (BackendRejected, BackendAnswerInvalid) as exc:
            log.warning("%s; sending language codes as alteram writes them", exc.message)
            return {}
        found: dict[str, set[str] | None] = {}
        for entry in answer if isinstance(answer, list) else []:
            if isinstance(entry, dict) and isinstance(entry.get("code"), str):
                targets = entry.get("targets")
                found[entry["code"]] = (
                    {t for t in targets if isinstance(t, str)}
                    if isinstance(targets, list)
                    else None
                )
        if not found:
            log.warning("%s answered /languages without any language", self.label)
        return found

    def _code(self, language: str) -> str:
        offered = self.languages()
        if not offered:
            return language_base(language)
        lowered = {code.lower(): code for code in offered}
        base = language_base(language)
        aliases = (*_ALIASES.get(language.lower(), ()), base, *_ALIASES.get(base, ()))
        for candidate in (language, *aliases):
            if candidate.lower() in lowered:
                return lowered[candidate.lower()]
        raise self._unsupported(f"does not offer the language {language!r}")

    def _check_pair(self, source: str, target: str) -> None:
        targets = self.languages().get(source)
        if targets is not None and target not in targets:
            raise self._unsupported(f"does not translate from {source!r} into {target!r}")

    def _unsupported(self, what: str) -> BackendRejected:
        offered = ", ".join(sorted(self.languages())) or "none"
        return BackendRejected(
            f"{self.label} {what} (it offers: {offered}).",
            backend="LibreTranslate",
            url=f"{self.http.base_url}/languages",
            hint="Install that language's model in LibreTranslate, or have a person translate.",
        )


__all__ = ["LibreTranslateTranslator"]
