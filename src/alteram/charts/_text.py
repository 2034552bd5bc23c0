"""Room for words: how wide a label is likely to be, wrapping, and thinning crowded labels.

Widths are estimates in ems (a Chinese character is one em wide, other characters about
0.62 em in DejaVu Sans), generous on purpose: the browser draws the text with its own
fonts, which are rarely wider.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence

NARROW_EM = 0.62


def em_width(text: str) -> float:
    """Estimated width of one line of ``text``, in ems."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else NARROW_EM for c in text)


def _pieces(text: str) -> list[str]:
    """Words, and each wide (Chinese) character on its own: the places a line may break."""
    pieces: list[str] = []
    word = ""
    for c in text:
        if c.isspace():
            if word:
                pieces.append(word)
            word = ""
            pieces.append(" ")
        elif unicodedata.east_asian_width(c) in "WF":
            if word:
                pieces.append(word)
            word = ""
            pieces.append(c)
        else:
            word += c
    if word:
        pieces.append(word)
    return pieces


def wrap(text: str, max_em: float) -> str:
    """``text`` broken into lines of at most ``max_em`` ems (a longer word keeps its line).

    >>> wrap("Perception gap (points; lower is better)", 16)
    'Perception gap\\n(points; lower is\\nbetter)'
    """
    lines: list[str] = []
    line = ""
    for piece in _pieces(text):
        if piece == " ":
            if line:
                line += " "
            continue
        if line.strip() and em_width(line + piece) > max_em:
            lines.append(line.rstrip())
            line = piece
        else:
            line += piece
    if line.strip():
        lines.append(line.rstrip())
    return "\n".join(lines)


def label_stride(labels: Sequence[str], slot_em: float, gap_em: float = 1.0) -> int:
    """Label every n-th of evenly spaced ``labels`` so that no two labels touch.

    ``slot_em`` is the distance between neighbouring positions, in ems. Multi-line labels
    count their widest line.
    """
    if not labels or slot_em <= 0:
        return 1
    widest = max(em_width(line) for label in labels for line in (label.split("\n") or [""]))
    return max(1, math.ceil((widest + gap_em) / slot_em))


def labelled(n: int, stride: int) -> list[bool]:
    """Which of ``n`` positions carry a label: every ``stride``-th, counted back from the
    last, so that the latest is always labelled."""
    return [(n - 1 - i) % stride == 0 for i in range(n)]
