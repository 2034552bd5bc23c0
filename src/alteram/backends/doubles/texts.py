"""What the doubles answer: a few real translations, else a recognisable pseudo-translation.

:func:`fake_translate` is deterministic. Sentences of :data:`DICTIONARY` get their real
translation (English <-> Chinese); any other text gets a pseudo-translation that passes
alteram's checks: into Chinese, every Latin word becomes one Chinese character, after the
mark ``〔模拟〕``; into English, every Chinese character a Latin syllable, after ``[en]``;
into another language, the text after ``[xx]``. Digits, and so the numbers, stay as they are.
"""

from __future__ import annotations

import re
import zlib

from alteram.backends.validate import language_base
from alteram.moves.language import detect_language

#: English and Chinese sentences that translate each other.
DICTIONARY: tuple[tuple[str, str], ...] = (
    (
        "For my family, rights mean first of all that our children can go to good schools.",
        "对我的家庭来说，权利首先意味着孩子能上好学校。",
    ),
    ("We would like to know how you see this.", "我们想了解贵方的看法。"),
    ("The dialogue has run for 21 years since 1990.", "这个对话自1990年以来已经进行了21年。"),
    ("Hello, world.", "你好，世界。"),
)

ZH_MARK = "〔模拟〕"
_HAN = "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去"
_SYLLABLES = ("ka", "lo", "mi", "ren", "shu", "ta", "no", "fei", "guo", "li", "an", "de")
_LATIN_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_TO_ZH = {",": "，", ".": "。", "?": "？", "!": "！", ":": "：", ";": "；"}
_TO_EN = {v: k for k, v in _TO_ZH.items()}
_PUNCT = re.compile(r"(?<!\d)[,.?!:;，。？！：；]|[,.?!:;，。？！：；](?!\d)")


def _punctuation(text: str, table: dict[str, str]) -> str:
    """Punctuation swapped by ``table``, except between digits (``3.5``, ``1,000``)."""
    return _PUNCT.sub(lambda m: table.get(m.group(), m.group()), text)


def known_translation(text: str, target: str) -> str | None:
    """The real translation of a :data:`DICTIONARY` sentence into ``target``, if any."""
    wanted = language_base(target)
    for en, zh in DICTIONARY:
        if text.strip() == en and wanted == "zh":
            return zh
        if text.strip() == zh and wanted == "en":
            return en
    return None


def fake_translate(text: str, target: str) -> str:
    """``text`` "translated" into ``target``, deterministically (see the module)."""
    known = known_translation(text, target)
    if known is not None:
        return known
    wanted = language_base(target)
    if wanted == "zh":
        han = _LATIN_WORD.sub(lambda m: _HAN[zlib.crc32(m.group().encode()) % len(_HAN)], text)
        han = _punctuation(han, _TO_ZH)
        return ZH_MARK + re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "", han)
    if wanted == "en" and detect_language(text) == "zh":
        latin = _CJK.sub(lambda m: f" {_SYLLABLES[ord(m.group()) % len(_SYLLABLES)]} ", text)
        latin = " ".join(_punctuation(latin, _TO_EN).split())
        return "[en] " + re.sub(r" (?=[,.?!:;])", "", latin)
    return f"[{wanted}] {text}"


__all__ = ["DICTIONARY", "ZH_MARK", "fake_translate", "known_translation"]
