"""Which language a text is written in (English and Chinese are what alteram expects)."""

from __future__ import annotations


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x3000 <= code <= 0x303F


def detect_language(text: str) -> str:
    """ "zh" when Chinese characters make up a fair part of the letters, else "en"."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "und"
    cjk = sum(1 for c in letters if _is_cjk(c))
    return "zh" if cjk / len(letters) >= 0.3 else "en"
