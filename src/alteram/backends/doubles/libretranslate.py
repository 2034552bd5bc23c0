"""A real HTTP server that speaks LibreTranslate's API, for tests and benchmarks.

    with LibreTranslateDouble(zh_code="zh-Hans") as lt:
        translator = LibreTranslateTranslator(base_url=lt.url, timeout=1)
        lt.set_mode("die", times=1)          # the first attempt breaks off, the retry works
        translator.translate("Hello, world.", source="en", target="zh")   # "你好，世界。"
        lt.main_requests()[0].json["q"]     # what was sent

``POST /translate`` takes ``{q, source, target, format, api_key?}`` and answers
``{"translatedText": ...}`` (see :func:`~alteram.backends.doubles.texts.fake_translate`);
an unknown language is HTTP 400 and a wrong or missing key (when the double has one) HTTP
403, each with ``{"error": ...}`` as LibreTranslate sends them. ``GET /languages`` lists
``en`` and Chinese as ``zh_code`` (``"zh-Hans"`` as LibreTranslate 1.6 and later name it,
``"zh"`` before), or is HTTP 404 with ``languages=False``.
"""

from __future__ import annotations

from typing import Any

from alteram.backends.doubles.server import DoubleServer, Response
from alteram.backends.doubles.texts import fake_translate
from alteram.backends.validate import language_base


class LibreTranslateDouble(DoubleServer):
    """A LibreTranslate server in a thread; see :class:`DoubleServer` for the modes."""

    MAIN = ("POST", "/translate")
    GARBAGE = ("html", "not_json", "wrong_shape", "empty", "wrong_language", "numbers", "long")

    def __init__(
        self, *, zh_code: str = "zh-Hans", api_key: str | None = None, languages: bool = True
    ) -> None:
        super().__init__()
        self.zh_code = zh_code
        self.api_key = api_key
        self.has_languages = languages

    def __enter__(self) -> LibreTranslateDouble:
        self.start()
        return self

    @property
    def url(self) -> str:
        """The base URL to give as ``ALTERAM_LIBRETRANSLATE_URL``."""
        return self.origin

    def codes(self) -> list[str]:
        """The language codes this server offers."""
        return ["en", self.zh_code]

    def answer(self, method: str, path: str, body: Any, headers: dict[str, str]) -> Response:
        if (method, path) == ("GET", "/languages") and self.has_languages:
            return Response.of_json(
                [
                    {"code": code, "name": name, "targets": self.codes()}
                    for code, name in zip(self.codes(), ("English", "Chinese"), strict=True)
                ]
            )
        if (method, path) != self.MAIN:
            return Response.of_json({"error": "Not Found"}, 404)
        if not isinstance(body, dict) or not isinstance(body.get("q"), str):
            return Response.of_json({"error": "Invalid request: missing q parameter"}, 400)
        if self.api_key is not None and body.get("api_key") != self.api_key:
            return Response.of_json(
                {"error": "Invalid API key. Visit the portal to get an API key."}, 403
            )
        for field in ("source", "target"):
            if body.get(field) not in self.codes():
                return Response.of_json({"error": f"{body.get(field)} is not supported"}, 400)
        return Response.of_json({"translatedText": self.translation(body)})

    def translation(self, body: dict[str, Any]) -> str:
        """The proper translation of a request's ``q``."""
        return fake_translate(str(body["q"]), language_base(str(body["target"])))

    def garbage_answer(self, kind: str, body: Any, headers: dict[str, str]) -> Response:
        if kind == "html":
            page = "<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>"
            return Response.of_text(page, content_type="text/html")
        if kind == "not_json":
            return Response.of_text("translatedText=oops")
        if kind == "wrong_shape":
            return Response.of_json({"translation": "something", "ok": True})
        q = str(body.get("q", "")) if isinstance(body, dict) else ""
        good = self.translation(body) if isinstance(body, dict) and "target" in body else q
        text = {
            "empty": "  ",
            "wrong_language": q,
            "numbers": "".join(c for c in good if not c.isdigit()),
            "long": good * 10 + " ..." * 50,
        }[kind]
        return Response.of_json({"translatedText": text})


__all__ = ["LibreTranslateDouble"]
