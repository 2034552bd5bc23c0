"""A simple, deterministic language guess: Chinese when CJK characters dominate."""

from __future__ import annotations

import re

_CJK = re.compile(
    "[\u4e00-\u9fff"  # CJK unified ideographs
    "\u3400-\u4dbf"  # extension A
    "\uf900-\ufaff"  # compatibility ideographs
    "\U00020000-\U0002ebef]"  # extensions B-F
)


def detect_language(text: str) -> str:
    """``"zh"`` when CJK ideographs are at least a third of the letters, else ``"en"``.

    Letters are the characters for which :meth:`str.isalpha` is true; a Chinese
    character carries about as much as three Latin letters, hence the threshold of a
    third. Text without letters is ``"en"``.

    Examples
    --------
    >>> detect_language("我们想了解贵方的看法。"), detect_language("We would like to know.")
    ('zh', 'en')
    >>> detect_language("WTO 规则")
    'zh'
    """
    letters = sum(map(str.isalpha, text))
    if not letters:
        return "en"
    return "zh" if 3 * len(_CJK.findall(text)) >= letters else "en"
