"""Checks every machine translation passes before anyone stores or shows it.

:func:`check_translation` returns the translation (stripped) or raises
:class:`BackendAnswerInvalid` with the reason. A translation is refused when it is

- empty or only whitespace, or without any letter while the original has some;
- the prompt echoed back (a line of it of 30 characters or more), a refusal ("I cannot
  translate ...", "作为一个人工智能 ...", unless the original itself reads like one), or
  wrapped in commentary ("Here is the translation:", "以下是译文：");
- not in the target language, for the languages :func:`detect_language` tells apart
  (``zh`` and ``en``; ``zh-Hans``, ``en-GB`` and the like count by their first part);
- absurdly long: over ``4 * len(original) + 100`` characters, or over ``max_length``;
- missing a number the original writes in digits (``1990``, ``21``, ``3.5``, ``1,000``;
  full-width digits count as digits, and commas between groups of three digits are
  ignored, so ``1,000`` and ``1000`` are the same number). Into Chinese, a whole number
  from 0 to 99 may also be written in Chinese numerals, as translators do ("Round 1" ->
  "第一轮", "2 sides" -> "两方").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from alteram.backends.errors import BackendAnswerInvalid
from alteram.moves.language import detect_language

DETECTABLE = ("zh", "en")

_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")

_REFUSAL_VERBS = r"(help|assist|translate|provide|comply|fulfil|fulfill|do that)"
_REFUSALS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\bas an? (ai|artificial intelligence)\b",
        r"\bas an? (large )?language model\b",
        r"\bI(?: a|')m (sorry|afraid),? (but )?I (can(no|')t|am unable to|won't) " + _REFUSAL_VERBS,
        r"\bI (can(no|')t|am unable to|am not able to|won't) " + _REFUSAL_VERBS + r"\b",
        r"作为(一个|一名)?(人工智能|AI|语言模型)",
        r"我(无法|不能)(为你|为您)?(翻译|提供|协助|帮助|完成)",
    )
]
_COMMENTARY = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^\s*(here is|here's) (the|your|a|my) translation",
        r"^\s*(the )?translation( is)?\s*:",
        r"^\s*(以下是|这是|下面是)(您的|你的)?(译文|翻译)",
        r"^\s*(译文|翻译)\s*[：:]",
    )
]


def language_base(code: str) -> str:
    """``"zh"`` for ``"zh-Hans"``, ``"en"`` for ``"en_GB"``: the first part, lower case."""
    return re.split(r"[-_]", code.strip(), maxsplit=1)[0].lower()


def numbers_in(text: str) -> set[str]:
    """The numbers ``text`` writes in digits, normalised (``"1,000"`` and ``"１０００"`` -> "1000").

    Examples
    --------
    >>> sorted(numbers_in("Since 1990, 21 rounds; 3.5% of 1,000 people."))
    ['1000', '1990', '21', '3.5']
    """
    plain = unicodedata.normalize("NFKC", text)
    return {match.replace(",", "") for match in _NUMBER.findall(plain)}


_HAN_DIGITS = "零一二三四五六七八九"


def chinese_numerals(number: str) -> set[str]:
    """How Chinese may write a whole number from 0 to 99 (none for other numbers).

    Examples
    --------
    >>> sorted(chinese_numerals("2")), chinese_numerals("10"), chinese_numerals("21")
    (['两', '二'], {'十'}, {'二十一'})
    """
    if not number.isdigit() or int(number) > 99:
        return set()
    n = int(number)
    tens, ones = divmod(n, 10)
    if tens == 0:
        forms = {_HAN_DIGITS[ones]}
    else:
        head = "" if tens == 1 else _HAN_DIGITS[tens]
        forms = {head + "十" + (_HAN_DIGITS[ones] if ones else "")}
    return forms | ({"两"} if n == 2 else set())


def _missing_numbers(text: str, found: str, target: str) -> list[str]:
    missing = numbers_in(text) - numbers_in(found)
    if target == "zh":
        missing = {n for n in missing if not any(f in found for f in chinese_numerals(n))}
    return sorted(missing)


def _letters(text: str) -> int:
    return sum(map(str.isalpha, text))


def _invalid(reason: str, *, backend: str, url: str) -> BackendAnswerInvalid:
    return BackendAnswerInvalid(
        f"{backend} at {url} gave an unusable translation: {reason}.",
        backend=backend,
        url=url,
        hint="Nothing was stored; the translation can be asked for again, or written by a person.",
    )


def _prompt_lines(prompt: str | None) -> Iterable[str]:
    for line in (prompt or "").splitlines():
        line = line.strip()
        if len(line) >= 30:
            yield line


def check_translation(
    text: str,
    result: str,
    *,
    source: str,
    target: str,
    backend: str,
    url: str,
    max_length: int | None = None,
    prompt: str | None = None,
) -> str:
    """``result`` stripped, when it is a usable translation of ``text`` into ``target``.

    ``backend`` and ``url`` name where it came from in the error; ``prompt`` is the
    instruction the model was given, if any (so that an echo of it is caught).
    """
    del source  # any source language; named for symmetry with Translator.translate
    found = result.strip()

    def refuse(reason: str) -> BackendAnswerInvalid:
        return _invalid(reason, backend=backend, url=url)

    if not found:
        raise refuse("it is empty")
    if not _letters(found) and _letters(text):
        raise refuse(f"it has no words ({found[:40]!r})")
    if any(line in found for line in _prompt_lines(prompt)):
        raise refuse("it repeats the prompt instead of translating")
    original_reads_as_refusal = any(p.search(text) for p in _REFUSALS)
    if not original_reads_as_refusal and any(p.search(found) for p in _REFUSALS):
        raise refuse(f"it is a refusal ({found[:80]!r})")
    for pattern in _COMMENTARY:
        if pattern.search(found) and not pattern.search(text):
            raise refuse(f"it adds commentary ({found[:80]!r})")
    wanted = language_base(target)
    if wanted in DETECTABLE and _letters(found):
        detected = detect_language(found)
        if detected != wanted:
            raise refuse(f"it is in {detected!r}, not in {wanted!r} ({found[:80]!r})")
    limit = 4 * len(text) + 100
    if len(found) > limit:
        raise refuse(f"{len(found)} characters for an original of {len(text)} (limit {limit})")
    if max_length is not None and len(found) > max_length:
        raise refuse(f"{len(found)} characters, over the limit of {max_length}")
    missing = _missing_numbers(text, found, wanted)
    if missing:
        raise refuse("the number(s) " + ", ".join(missing) + " of the original are missing")
    return found


__all__ = ["DETECTABLE", "check_translation", "chinese_numerals", "language_base", "numbers_in"]
