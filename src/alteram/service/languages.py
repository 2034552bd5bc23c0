"""The languages a dialogue is held in, and the language each reader reads it in."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from alteram.errors import N_, InvalidInput
from alteram.store.schema import DialogueLanguage

DEFAULT_LANGUAGES = ("en", "zh")
_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
NAMES = {"en": "English", "zh": "中文"}


def check_languages(languages: Sequence[str]) -> list[str]:
    """Language codes as given, checked: at least two, distinct, each like ``en`` or ``zh``."""
    codes = [c.strip() for c in languages if c.strip()]
    bad = [c for c in codes if not _CODE.match(c)]
    if bad:
        raise InvalidInput(
            N_("%(codes)s is not a language code; use codes such as en and zh."),
            params={"codes": ", ".join(repr(c) for c in bad)},
        )
    if len(codes) < 2 or len(set(codes)) != len(codes):
        raise InvalidInput(
            N_("a dialogue is held in at least two different languages (got %(codes)s)."),
            params={"codes": ", ".join(codes) or "none"},
            hint=N_("Name each, e.g. --language zh --language en."),
        )
    return codes


def dialogue_languages(session: Session, dialogue_id: int) -> list[str]:
    """The dialogue's languages in their order (English and Chinese if none are stored)."""
    codes = list(
        session.scalars(
            select(DialogueLanguage.language)
            .where(DialogueLanguage.dialogue_id == dialogue_id)
            .order_by(DialogueLanguage.position)
        )
    )
    return codes or list(DEFAULT_LANGUAGES)


def set_languages(session: Session, dialogue_id: int, languages: Sequence[str]) -> None:
    """Store the dialogue's languages (checked), replacing the earlier list."""
    codes = check_languages(languages)
    session.execute(delete(DialogueLanguage).where(DialogueLanguage.dialogue_id == dialogue_id))
    session.add_all(
        DialogueLanguage(dialogue_id=dialogue_id, language=c, position=i)
        for i, c in enumerate(codes)
    )


def reading_language(languages: Sequence[str], wanted: str | None) -> str:
    """The language a reader reads the dialogue in: theirs if the dialogue has it."""
    if wanted in languages:
        return str(wanted)
    if wanted:
        base = wanted.split("-")[0]
        for code in languages:
            if code.split("-")[0] == base:
                return code
    return languages[0]


def html_lang(code: str) -> str:
    """The value of an HTML ``lang`` attribute for a language code."""
    return "zh-Hans" if code == "zh" else code
