"""Test doubles of the outside services: real HTTP servers on 127.0.0.1, not mocks.

- :class:`LibreTranslateDouble` speaks LibreTranslate's API (``/translate``, ``/languages``);
- :class:`ChatDouble` speaks OpenAI-compatible chat completions (``/v1/chat/completions``).

Each is a context manager that listens on a free port, logs every request
(:attr:`~DoubleServer.requests`) and switches modes at run time with
:meth:`~DoubleServer.set_mode`: ``ok``, ``slow``, ``hang``, ``fail``, ``garbage`` (the kinds
in each double's ``GARBAGE``) and ``die``. They ship in the package so that the tests and
benchmarks of every layer can use them (DESIGN.md §4).
"""

from alteram.backends.doubles.chat import REFUSAL, ChatDouble
from alteram.backends.doubles.libretranslate import LibreTranslateDouble
from alteram.backends.doubles.server import MODES, DoubleServer, Mode, RecordedRequest, Response
from alteram.backends.doubles.texts import DICTIONARY, ZH_MARK, fake_translate

__all__ = [
    "DICTIONARY",
    "MODES",
    "REFUSAL",
    "ZH_MARK",
    "ChatDouble",
    "DoubleServer",
    "LibreTranslateDouble",
    "Mode",
    "RecordedRequest",
    "Response",
    "fake_translate",
]
