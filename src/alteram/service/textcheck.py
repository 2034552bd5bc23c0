"""Text people write, checked in one place: one table of limits and one cleaning function.

Every service function that stores or looks up something a person typed passes it through
:func:`clean` with the name of its field in :data:`LIMITS`. The text is normalised (NFC),
and refused with :class:`~alteram.errors.InvalidInput` naming the field when it holds a NUL
or another control character, a lone surrogate (not text at all: it cannot be stored), or
nothing visible (only spaces, zero-width characters, direction marks and other format
characters), or when it is shorter or longer than the field's limits. The JSON API declares
the same limits in its schema (``minLength``/``maxLength``) from this table.

Invisible characters are kept inside text that also has visible ones (a zero-width joiner
belongs in some words and emoji); names are compared without them (:func:`name_key`), so
"China" and "China" followed by U+200B are the same side.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from alteram.errors import N_, InvalidInput


@dataclass(frozen=True)
class Limit:
    """How long a field's text may be (in characters, after cleaning) and how it is named.

    ``what`` names the field in messages (marked for translation); ``collapse`` makes runs of
    spaces and line breaks one space (single-line fields), else only the ends are trimmed.
    """

    low: int
    high: int
    what: str
    collapse: bool = True


LIMITS: dict[str, Limit] = {
    # dialogues and rounds (facilitators)
    "dialogue_title": Limit(1, 200, N_("the dialogue's title")),
    "charter": Limit(0, 10_000, N_("the charter"), collapse=False),
    "side_name": Limit(1, 100, N_("a side's name")),
    "round_title": Limit(0, 200, N_("the round's title")),
    "topic": Limit(1, 500, N_("a topic")),
    "reason": Limit(0, 500, N_("the reason")),
    "moderation_reason": Limit(0, 500, N_("the reason for the author")),
    "concept_name": Limit(1, 200, N_("the concept's name")),
    # participants
    "display_name": Limit(0, 80, N_("the display name")),
    "statement": Limit(1, 500, N_("the statement")),
    "definition": Limit(1, 500, N_("the definition")),
    "restatement": Limit(1, 500, N_("the restatement")),
    "concern_title": Limit(1, 200, N_("the concern's title")),
    "why_it_matters": Limit(1, 500, N_("why it matters")),
    "what_to_understand": Limit(0, 500, N_("what you would like to understand")),
    "answer": Limit(1, 500, N_("the answer")),
    # translations (a translation may be about three times as long as its original)
    "translation": Limit(1, 30_000, N_("the translation"), collapse=False),
    "language": Limit(2, 16, N_("the language code")),
    # secrets and sign-in
    "token": Limit(1, 128, N_("the invite link's secret")),
    "email": Limit(3, 254, N_("the email address")),
    "password": Limit(1, 1024, N_("the password"), collapse=False),
}
"""Field name -> limits. Add a row for each new kind of text (the API reads it too)."""

# Characters that show nothing although Unicode does not class them as format characters.
_BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")
_KEEP_CONTROLS = frozenset("\t\n\r")


def is_invisible(ch: str) -> bool:
    """True for a character that shows nothing: whitespace, format (Cf), fillers, selectors."""
    if ch.isspace() or ch in _BLANK:
        return True
    code = ord(ch)
    if 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:  # variation selectors
        return True
    return unicodedata.category(ch) == "Cf"


def _char(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def _check_characters(value: str, limit: Limit) -> None:
    terms = {"what": limit.what}
    for i, ch in enumerate(value):
        code = ord(ch)
        if 0xD800 <= code <= 0xDFFF:
            raise InvalidInput(
                N_(
                    "%(what)s holds a lone surrogate (%(char)s) at position %(position)s, "
                    "which is not text."
                ),
                params={"char": _char(ch), "position": i + 1},
                terms=terms,
                hint=N_("Send the text as valid UTF-8."),
            )
        if (code < 0x20 and ch not in _KEEP_CONTROLS) or 0x7F <= code <= 0x9F:
            raise InvalidInput(
                N_("%(what)s holds a control character (%(char)s) at position %(position)s."),
                params={"char": _char(ch), "position": i + 1},
                terms=terms,
                hint=N_("Remove it and send the text again."),
            )


def _too_long(text: str, limit: Limit) -> InvalidInput:
    return InvalidInput(
        N_("%(what)s has at most %(limit)s characters; this one has %(length)s."),
        params={"limit": limit.high, "length": len(text)},
        terms={"what": limit.what},
        hint=N_("Shorten it."),
    )


def secret(value: str, field: str) -> str:
    """A secret (password, token) checked as it is: no normalising, trimming or collapsing."""
    limit = LIMITS[field]
    _check_characters(value, limit)
    if len(value) > limit.high:
        raise _too_long(value, limit)
    return value


def clean(value: str, field: str) -> str:
    """``value`` normalised and checked against the limits of ``field`` (a key of LIMITS).

    Raises
    ------
    InvalidInput
        Naming the field: a control character or lone surrogate (with its position), nothing
        visible, or a length outside the field's limits.
    """
    limit = LIMITS[field]
    terms = {"what": limit.what}
    _check_characters(value, limit)
    text = unicodedata.normalize("NFC", value)
    text = " ".join(text.split()) if limit.collapse else text.strip()
    if text and all(is_invisible(ch) for ch in text):
        raise InvalidInput(
            N_(
                "%(what)s has only invisible characters (spaces, zero-width characters or "
                "direction marks)."
            ),
            terms=terms,
            hint=N_("Write it with visible characters."),
        )
    if not text and limit.low > 0:
        raise InvalidInput(N_("%(what)s cannot be empty."), terms=terms)
    if len(text) > limit.high:
        raise _too_long(text, limit)
    if len(text) < limit.low:
        raise InvalidInput(
            N_("%(what)s needs at least %(limit)s characters; this one has %(length)s."),
            params={"limit": limit.low, "length": len(text)},
            terms=terms,
        )
    return text


def optional(value: str | None, field: str) -> str | None:
    """:func:`clean` for an optional field: None or blank text is None."""
    if value is None:
        return None
    return clean(value, field) or None


def name_key(name: str) -> str:
    """What two names are compared by: compatibility-normalised, case-folded, no invisibles."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    visible = "".join(ch for ch in folded if ch.isspace() or not is_invisible(ch))
    return " ".join(visible.split())
