"""The Simplified Chinese catalog: complete, placeholders intact, and chosen when asked for.

The messages are extracted afresh from the sources with ``babel.cfg`` (as ``pybabel extract
-F babel.cfg -k N_ -k _`` does), so a string added to a template without a translation fails
here, named. Fix it with::

    .venv/bin/pybabel extract -F babel.cfg -k N_ -k _ -o /tmp/messages.pot .
    .venv/bin/pybabel update -i /tmp/messages.pot -d src/alteram/web/locales -l zh_Hans \\
        --no-fuzzy-matching

then translate the new entries in ``src/alteram/web/locales/zh_Hans/LC_MESSAGES/messages.po``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po
from starlette.requests import Request

from alteram.web.i18n import CATALOG, LOCALES, choose_language, translations

ROOT = Path(__file__).resolve().parents[2]
PO = LOCALES / str(CATALOG["zh"]) / "LC_MESSAGES" / "messages.po"

# A %-conversion: named ("%(side)s"), positional ("%d") or a literal percent sign ("%%").
SPEC = re.compile(
    r"%%|%(?:\((?P<name>\w+)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?P<type>[diouxXeEfFgGcrsa])"
)
CJK = re.compile(r"[\u4e00-\u9fff]")


def _ids(message: Message) -> tuple[str, ...]:
    """The msgid, and the msgid_plural if any."""
    return (message.id,) if isinstance(message.id, str) else tuple(message.id)


def _strings(message: Message) -> tuple[str, ...]:
    """The msgstr, or each msgstr[n] of a plural message."""
    if isinstance(message.string, str) or message.string is None:
        return (message.string or "",)
    return tuple(message.string)


def _specs(text: str) -> list[str]:
    """The sorted %-conversions of ``text`` ("%(side)s", "%%", ...), flags and widths aside."""
    found = []
    for m in SPEC.finditer(text):
        if m.group(0) == "%%":
            found.append("%%")
        else:
            found.append(f"%({m.group('name') or ''}){m.group('type')}")
    return sorted(found)


def _sample(text: str) -> dict[str, Any]:
    """Values for the named conversions of ``text``, of a type each conversion accepts."""
    values: dict[str, Any] = {}
    for m in SPEC.finditer(text):
        if m.group("name"):
            values[m.group("name")] = 1.5 if m.group("type") in "eEfFgG" else 1
    return values


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The messages of the sources now, through a .pot file as ``pybabel extract`` writes."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh, filename="babel.cfg")
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    template = Catalog(project="alteram")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    with pot.open("wb") as fh:
        write_po(fh, template)
    with pot.open("rb") as fh:
        return read_po(fh)


@pytest.fixture(scope="module")
def zh_catalog() -> Catalog:
    with PO.open("rb") as fh:
        return read_po(fh, locale="zh_Hans")


def test_extraction_finds_the_templates_and_the_marked_words(extracted: Catalog) -> None:
    ids = {m.id for m in extracted if m.id}
    assert "Vote" in ids  # a template string
    assert "suspended" in ids  # an N_() word in i18n.py
    assert ("%(num)d statement left.", "%(num)d statements left.") in ids  # an ngettext


def test_catalog_header_is_simplified_chinese_with_one_plural_form(zh_catalog: Catalog) -> None:
    assert str(zh_catalog.locale) == "zh_Hans"
    assert zh_catalog.num_plurals == 1
    assert zh_catalog.plural_expr == "0"
    assert not zh_catalog.fuzzy


def test_every_extracted_message_has_a_chinese_translation(
    extracted: Catalog, zh_catalog: Catalog
) -> None:
    problems = []
    for message in extracted:
        if not message.id:
            continue
        entry = zh_catalog.get(message.id, context=message.context)
        where = ", ".join(f"{f}:{n}" for f, n in message.locations)
        if entry is None:
            problems.append(f"missing from messages.po: {message.id!r} ({where})")
        elif entry.fuzzy:
            problems.append(f"fuzzy (not used at run time): {message.id!r} ({where})")
        elif len(_strings(entry)) != zh_catalog.num_plurals or not all(
            s.strip() for s in _strings(entry)
        ):
            problems.append(f"untranslated: {message.id!r} ({where})")
    assert not problems, "zh_Hans catalog is out of date:\n" + "\n".join(problems)


def test_translations_keep_the_placeholders_of_their_msgid(zh_catalog: Catalog) -> None:
    problems = []
    for message in zh_catalog:
        if not message.id:
            continue
        wanted = [_specs(i) for i in _ids(message)]
        for string in _strings(message):
            if not string:
                continue
            if _specs(string) not in wanted:
                problems.append(f"{message.id!r} -> {string!r}: {_specs(string)} not {wanted[0]}")
                continue
            if message.python_format:
                try:
                    string % _sample(string)
                except (KeyError, TypeError, ValueError) as exc:
                    problems.append(f"{message.id!r} -> {string!r} does not format: {exc}")
    assert not problems, "placeholders differ:\n" + "\n".join(problems)


def test_the_compiled_catalog_translates() -> None:
    zh = translations("zh")
    vote = zh.gettext("Vote")
    assert vote != "Vote" and CJK.search(vote), vote
    assert CJK.search(zh.gettext("suspended"))
    left = zh.ngettext("%(num)d statement left.", "%(num)d statements left.", 3) % {"num": 3}
    assert "3" in left and CJK.search(left), left
    assert translations("en").gettext("Vote") == "Vote"


def _request(
    query: str = "", accept_language: str | None = None, cookie: str | None = None
) -> Request:
    headers: list[tuple[bytes, bytes]] = []
    if accept_language is not None:
        headers.append((b"accept-language", accept_language.encode()))
    if cookie is not None:
        headers.append((b"cookie", cookie.encode()))
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/",
        "query_string": query.encode(),
        "headers": headers,
    }
    return Request(scope)


@pytest.mark.parametrize(
    ("query", "accept_language", "cookie", "expected"),
    [
        ("", "zh-CN,zh;q=0.9,en;q=0.8", None, "zh"),
        ("", "en-US", None, "en"),
        ("", "en-US,en;q=0.9,zh-CN;q=0.8", None, "en"),
        ("", "fr-FR,zh-TW;q=0.5", None, "zh"),
        ("", None, None, "en"),
        ("", "fr-FR", None, "en"),
        ("lang=en", "zh-CN,zh;q=0.9,en;q=0.8", None, "en"),
        ("lang=zh", "en-US", None, "zh"),
        ("lang=xx", "zh-CN", None, "zh"),
        ("", "en-US", "alteram_lang=zh", "zh"),
        ("lang=en", "zh-CN", "alteram_lang=zh", "en"),
    ],
)
def test_choose_language(
    query: str, accept_language: str | None, cookie: str | None, expected: str
) -> None:
    assert choose_language(_request(query, accept_language, cookie)) == expected
