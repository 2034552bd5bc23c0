from __future__ import annotations

import pytest

from alteram.moves import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我们希望了解贵方的看法。", "zh"),
        ("中美人权对话", "zh"),
        ("WTO 规则", "zh"),  # 2 ideographs vs 3 Latin letters: ideographs carry more
        ("We would like to hear your view.", "en"),
        ("The 中国 delegation arrived on Monday morning.", "en"),
        ("", "en"),
        ("12345 !!!", "en"),
    ],
)
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected
