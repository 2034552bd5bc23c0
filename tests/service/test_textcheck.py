"""Text people write: normalised and checked in one place, with one table of limits.

The table of limits is also what the JSON API declares (maxLength, minLength), so a client
reading /openapi.json knows each field's limits before sending anything.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alteram.config import Settings
from alteram.errors import Conflict, InvalidInput
from alteram.service.concerns import raise_concern
from alteram.service.definitions import add_concept
from alteram.service.dialogues import create_dialogue, list_dialogues
from alteram.service.participation import add_statement, admit
from alteram.service.textcheck import LIMITS, clean, is_invisible, name_key, optional
from alteram.store.database import Store
from alteram.web.app import create_app
from tests.factories import make_world

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202e", "\u2060", "\ufeff"]


def test_text_is_normalised_and_collapsed() -> None:
    assert clean("  Cafe\u0301  au\n\n lait ", "statement") == "Café au lait"
    assert unicodedata.is_normalized("NFC", clean("e\u0301", "statement"))
    assert clean("Line one\n\nLine two\n", "charter") == "Line one\n\nLine two"  # kept
    assert optional("   ", "display_name") is None and optional(None, "display_name") is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("a\x00b", r"the statement holds a control character \(U\+0000\) at position 2"),
        ("ok\x1b[31m", r"control character \(U\+001B\) at position 3"),
        ("\ud800", r"lone surrogate \(U\+D800\) at position 1"),
        ("".join(INVISIBLE), r"the statement has only invisible characters"),
        ("\u3164\u2800 \ufe0f", r"only invisible characters"),
        ("   \n ", r"the statement cannot be empty"),
        ("x" * 501, r"at most 500 characters; this one has 501"),
    ],
)
def test_what_is_not_text_is_refused_naming_the_field(value: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        clean(value, "statement")


def test_invisible_characters_inside_visible_text_are_kept() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # ZWJ joins an emoji
    assert clean(f"Our {family}", "statement") == f"Our {family}"
    assert clean("می\u200cخواهم", "statement") == "می\u200cخواهم"  # Persian needs ZWNJ


@given(st.text(alphabet=st.sampled_from([*INVISIBLE, " ", "a", "B"]), min_size=1, max_size=30))
def test_names_compare_without_invisible_characters(name: str) -> None:
    visible = "".join(ch for ch in name if not is_invisible(ch) or ch == " ")
    assert name_key(name) == name_key(visible)


def test_name_keys() -> None:
    assert name_key("China\u200b") == name_key("china") == name_key("ＣＨＩＮＡ")
    assert name_key("United  States") == name_key("united states")
    assert name_key("China") != name_key("Chinas")


def test_side_names_that_differ_by_an_invisible_character_are_duplicates(store: Store) -> None:
    for sides in (["China", "China\u200b"], ["A", "\u200e a"], ["East", "EAST\u2060"]):
        with pytest.raises(InvalidInput, match="side names must differ"):
            create_dialogue(store, title="Twins", sides=sides)
    assert list_dialogues(store) == []


def test_concept_names_too(store: Store) -> None:
    w = make_world(store)
    add_concept(store, round_id=w.round_id, name="human rights")
    with pytest.raises(Conflict, match="already asks"):
        add_concept(store, round_id=w.round_id, name="Human\u200b Rights")


@pytest.mark.parametrize("value", ["\u200b\u200e", "x\x00y", "\ud83d"])
def test_every_store_refuses_the_same_way(store: Store, value: str) -> None:
    """NUL broke PostgreSQL and lone surrogates broke both: now both refuse alike."""
    w = make_world(store)
    person = w.people["a1"]
    with pytest.raises(InvalidInput):
        add_statement(store, participant_id=person, round_id=w.round_id, text=value)
    with pytest.raises(InvalidInput):
        raise_concern(store, participant_id=person, title=value, why_it_matters="x")
    with pytest.raises(InvalidInput):
        admit(store, token=w.tokens[w.sides[0]], display_name=value)
    with pytest.raises(InvalidInput):
        create_dialogue(store, title=value, sides=["A", "B"])


# (schema of a request body, property, name in LIMITS); a list of items uses "items".
DECLARED = [
    ("JoinIn", "token", "token"),
    ("JoinIn", "display_name", "display_name"),
    ("LoginIn", "email", "email"),
    ("LoginIn", "password", "password"),
    ("DialogueIn", "title", "dialogue_title"),
    ("DialogueIn", "charter", "charter"),
    ("DialogueIn", "sides", "side_name"),
    ("RoundIn", "title", "round_title"),
    ("RoundIn", "topics", "topic"),
    ("ReasonIn", "reason", "reason"),
    ("ModerationIn", "reason", "moderation_reason"),
    ("NameIn", "name", "concept_name"),
    ("DefinitionIn", "text", "definition"),
    ("RestateIn", "text", "restatement"),
    ("ConcernIn", "title", "concern_title"),
    ("ConcernIn", "why_it_matters", "why_it_matters"),
    ("ConcernIn", "what_to_understand", "what_to_understand"),
    ("AnswerIn", "text", "answer"),
    ("TextIn", "text", "statement"),
    ("TranslationIn", "text", "translation"),
    ("TranslationIn", "language", "language"),
    ("ReviewIn", "better_wording", "translation"),
]


def _string_schema(prop: dict[str, object]) -> dict[str, object]:
    """The string schema of a property (inside ``anyOf`` for optional ones, ``items`` for lists)."""
    if "anyOf" in prop:
        prop = next(p for p in prop["anyOf"] if p.get("type") != "null")  # type: ignore[attr-defined]
    if prop.get("type") == "array":
        prop = prop["items"]  # type: ignore[assignment]
    return prop


def test_the_api_declares_the_same_limits(sqlite_store: Store, tmp_path: Path) -> None:
    app = create_app(Settings(dev=True, data_dir=tmp_path), store=sqlite_store)
    schemas = app.openapi()["components"]["schemas"]
    for model, field, limit_name in DECLARED:
        prop = _string_schema(schemas[model]["properties"][field])
        limit = LIMITS[limit_name]
        assert prop.get("maxLength") == limit.high, (model, field, prop)
        assert prop.get("minLength", 0) == limit.low, (model, field, prop)
    declared = {name for _, _, name in DECLARED}
    assert declared == set(LIMITS), set(LIMITS) - declared  # every limit reaches the API
