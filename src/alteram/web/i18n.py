"""The interface's languages: English and Simplified Chinese, from gettext catalogs.

The catalogs are the ``.po`` files under ``web/locales`` (extracted with Babel, see
``babel.cfg``); they are compiled in memory at start-up, so no binary ``.mo`` file is kept
in the repository. The language comes from ``?lang=``, then the ``alteram_lang`` cookie,
then the browser's ``Accept-Language``.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from fastapi import Request

LOCALES = Path(__file__).resolve().parent / "locales"
LANGUAGES = {"en": "English", "zh": "中文"}
CATALOG = {"en": None, "zh": "zh_Hans"}
COOKIE = "alteram_lang"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of ``lang`` ("en" has none: msgids are English)."""
    folder = CATALOG.get(lang)
    if folder is None:
        return gettext.NullTranslations()
    po = LOCALES / folder / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=folder)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def _from_header(header: str) -> str | None:
    best: tuple[float, str] | None = None
    for part in header.split(","):
        bits = part.strip().split(";")
        tag = bits[0].strip().lower()
        q = 1.0
        for b in bits[1:]:
            if b.strip().startswith("q="):
                try:
                    q = float(b.strip()[2:])
                except ValueError:
                    q = 0.0
        lang = "zh" if tag.startswith("zh") else "en" if tag.startswith("en") else None
        if lang and (best is None or q > best[0]):
            best = (q, lang)
    return best[1] if best else None


def choose_language(request: Request) -> str:
    """The language for this request."""
    for candidate in (request.query_params.get("lang"), request.cookies.get(COOKIE)):
        if candidate in LANGUAGES:
            return candidate
    return _from_header(request.headers.get("accept-language", "")) or "en"


def N_(message: str) -> str:
    """Mark a message for extraction without translating it here."""
    return message


# Words that templates translate from values (states, moves, kinds).
WORDS = (
    N_("planned"),
    N_("open"),
    N_("closed"),
    N_("suspended"),
    N_("pending"),
    N_("accepted"),
    N_("rejected"),
    N_("pre"),
    N_("post"),
    N_("explain"),
    N_("inquire"),
    N_("acknowledge"),
    N_("bridge"),
    N_("demand"),
    N_("pressure"),
    N_("lecture"),
    N_("accuse"),
    N_("other"),
    N_("dialogue"),
    N_("opened"),
    N_("resumed"),
    N_("published"),
    N_("facilitator"),
    N_("delegate"),
    N_("participant"),
    N_("observer"),
    N_("author"),
    N_("translator"),
    N_("machine"),
    N_("queued"),
    N_("running"),
    N_("done"),
    N_("failed"),
    N_("analysis"),
)
