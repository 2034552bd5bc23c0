"""Every text a person reads in the demo dialogue has one translation into the other language."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from importlib import resources
from typing import Any

import pytest

from alteram.moves.language import detect_language

# Keys whose string values are identifiers, codes or timestamps, not text a person reads.
INTERNAL_KEYS = {
    "key",
    "language",
    "side",
    "profile",
    "move",
    "opened",
    "closed",
    "suspended",
    "resumed",
    # [round, side key, agreed] triples
    "marks",
}
FACILITATOR_TEXTS = ("title", "charter", "concept")
CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]")
ASCII_PUNCTUATION = re.compile(r"[,.;:?!()\"']")
CHINESE_PUNCTUATION = re.compile("[，。；：？！（）“”‘’、]")


def _load(name: str) -> Any:
    text = resources.files("alteram.service").joinpath(f"data/{name}").read_text("utf-8")
    return json.loads(text)


def _strings(node: Any, key: str | None = None) -> Iterator[str]:
    """Every string value under ``node`` that is not under an internal key, in order."""
    if key in INTERNAL_KEYS:
        return
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v, key)


def readable_texts(demo: Any) -> list[str]:
    """The distinct non-empty texts of ``demo``, in the order they appear."""
    return list(dict.fromkeys(s for s in _strings(demo) if s.strip()))


@pytest.fixture(scope="module")
def demo() -> Any:
    return _load("demo.json")


@pytest.fixture(scope="module")
def translations() -> list[dict[str, str]]:
    entries = _load("demo_translations.json")
    assert isinstance(entries, list)
    return entries


def test_the_walk_finds_every_kind_of_text(demo: Any) -> None:
    texts = set(readable_texts(demo))
    expected = [demo["title"], demo["charter"], demo["concept"]]
    expected += [s["name"] for s in demo["sides"]] + [g["name"] for g in demo["groups"]]
    for r in demo["rounds"]:
        expected += [r["title"], *r["topics"]]
        expected += [r[k] for k in ("suspension_reason", "resume_reason") if k in r]
    for s in demo["statements"]:
        expected += [s["text"], *([s["rejected"]] if "rejected" in s else [])]
    for by_side in demo["definitions"].values():
        expected += [d for ds in by_side.values() for d in ds]
    for by_side in demo["restatements"].values():
        expected += [text for rs in by_side.values() for text, _ in rs]
    for c in demo["concerns"]:
        expected += [c[k] for k in ("title", "why", "understand") if c[k]]
        expected += [text for _, text in c.get("answers", [])]
    assert set(expected) <= texts
    assert {"cn", "us", "zh", "en", "explain", "liberty"}.isdisjoint(texts)


def test_every_text_has_exactly_one_translation(
    demo: Any, translations: list[dict[str, str]]
) -> None:
    counts = Counter(e["original"] for e in translations)
    texts = readable_texts(demo)
    assert [t for t in texts if counts[t] != 1] == []
    assert [o for o in counts if o not in set(texts)] == []


def test_entries_have_the_four_fields_and_no_empty_text(
    translations: list[dict[str, str]],
) -> None:
    for e in translations:
        assert set(e) == {"original", "language", "text", "kind"}, e
        assert isinstance(e["text"], str) and e["text"].strip(), e
        assert e["text"] == e["text"].strip(), e
        assert e["kind"] in {"author", "translator"}, e


def test_each_translation_is_in_the_other_language(translations: list[dict[str, str]]) -> None:
    for e in translations:
        source = detect_language(e["original"])
        assert e["language"] in {"zh", "en"} and e["language"] != source, e
        assert detect_language(e["text"]) == e["language"], e
        if e["language"] == "en":
            assert not CJK.search(e["text"]), e
            assert not CHINESE_PUNCTUATION.search(e["text"]), e
        else:
            assert CJK.search(e["text"]), e
            assert not ASCII_PUNCTUATION.search(e["text"]), e


def test_facilitators_texts_are_translated_by_a_translator(
    demo: Any, translations: list[dict[str, str]]
) -> None:
    kind = {e["original"]: e["kind"] for e in translations}
    theirs = [demo[k] for k in FACILITATOR_TEXTS] + [s["name"] for s in demo["sides"]]
    theirs += [t for r in demo["rounds"] for t in (r["title"], *r["topics"])]
    assert {kind[t] for t in theirs} == {"translator"}


def test_about_a_third_of_the_statements_are_translated_by_their_author(
    demo: Any, translations: list[dict[str, str]]
) -> None:
    kind = {e["original"]: e["kind"] for e in translations}
    kinds = Counter(kind[s["text"]] for s in demo["statements"])
    share = kinds["author"] / sum(kinds.values())
    assert 0.25 <= share <= 0.4, kinds
    by_side = Counter(s["side"] for s in demo["statements"] if kind[s["text"]] == "author")
    assert set(by_side) == {s["key"] for s in demo["sides"]}
