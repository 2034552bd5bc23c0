"""The Examples sections of the moves modules run and are right."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "alteram.moves",
    "alteram.moves.classifier",
    "alteram.moves.hints",
    "alteram.moves.labels",
    "alteram.moves.language",
    "alteram.moves.profile",
    "alteram.moves.rules",
    "alteram.moves.sentences",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
    assert result.attempted > 0
