"""The JSON Schema of a round export, built from the tables it copies.

The schema ships as ``alteram/service/data/export.schema.json`` (served at
``/api/export-schema.json``); :func:`build_schema` makes it from the models, and a test
checks that the shipped file is what it builds, so the two never drift apart. Regenerate
with ``python -m alteram.service.export_schema``.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Boolean, Float, Integer, String, Text
from sqlalchemy.sql.type_api import TypeEngine

from alteram.service.export_tables import SECTIONS, columns
from alteram.store.schema import UTCDateTime

SCHEMA_ID = "https://alteram.org/schemas/round-export-1.json"
NAME = "export.schema.json"


def _type(kind: TypeEngine[Any], nullable: bool) -> dict[str, Any]:
    if isinstance(kind, UTCDateTime):
        out: dict[str, Any] = {"type": "string", "format": "date-time"}
    elif isinstance(kind, Boolean):
        out = {"type": "boolean"}
    elif isinstance(kind, Integer):
        out = {"type": "integer"}
    elif isinstance(kind, Float):
        out = {"type": "number"}
    elif isinstance(kind, (String, Text)):
        out = {"type": "string"}
    elif isinstance(kind, JSON):
        out = {"type": "object"}
    else:  # pragma: no cover - a new column type needs a line above
        raise TypeError(f"no JSON type for {kind!r}")
    if nullable:
        out["type"] = [out["type"], "null"]
    return out


def _rows(props: dict[str, dict[str, Any]], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {
            "type": "object",
            "properties": props,
            "required": sorted(required if required is not None else props),
        },
    }


def _section(name: str) -> dict[str, Any]:
    model = SECTIONS[name]
    table = model.__table__
    props = {}
    for c in columns(model):
        col = table.c[c]
        props[c] = _type(col.type, bool(col.nullable) and not col.primary_key)
    if name == "participants":
        props["group"] = {"type": ["integer", "null"]}
    return _rows(props)


Prop = dict[str, Any]
INT: Prop = {"type": "integer"}
NINT: Prop = {"type": ["integer", "null"]}
STR: Prop = {"type": "string"}
NSTR: Prop = {"type": ["string", "null"]}
TIME: Prop = {"type": "string", "format": "date-time"}
NTIME: Prop = {"type": ["string", "null"], "format": "date-time"}
BOOL: Prop = {"type": "boolean"}
VOTE: Prop = {"type": "integer", "enum": [-1, 0, 1]}


def build_schema() -> dict[str, Any]:
    """The schema of :func:`alteram.service.exports.as_json` documents."""
    statements: dict[str, Prop] = {
        "id": INT,
        "author": INT,
        "text": STR,
        "language": STR,
        "side": STR,
        "side_id": NINT,
        "topic_id": NINT,
        "seeded": BOOL,
        "moderation": {"type": "string", "enum": ["pending", "accepted", "rejected"]},
        "moderation_reason": NSTR,
        "move": NSTR,
        "move_confidence": {"type": ["number", "null"]},
        "at": TIME,
        "agrees": INT,
        "disagrees": INT,
    }
    votes: dict[str, Prop] = {
        "id": INT,
        "statement": INT,
        "participant": INT,
        "value": VOTE,
        "at": TIME,
        "side": STR,
        "side_id": NINT,
        "shown_translation": NINT,
    }
    predictions: dict[str, Prop] = {
        "id": INT,
        "vote": INT,
        "statement": INT,
        "participant": INT,
        "side": STR,
        "target_side": STR,
        "target_side_id": INT,
        "share": {"type": "integer", "minimum": 0, "maximum": 100},
    }
    review: dict[str, Prop] = {
        "id": INT,
        "participant": INT,
        "faithful": BOOL,
        "better_wording": NSTR,
        "at": TIME,
    }
    translations: dict[str, Prop] = {
        "id": INT,
        "item": STR,
        "item_id": INT,
        "language": STR,
        "text": STR,
        "kind": {"type": "string", "enum": ["author", "translator", "machine"]},
        "participant": NINT,
        "account": NINT,
        "at": TIME,
        "source_hash": STR,
        "current": BOOL,
        "faithfulness": STR,
        "reviews": _rows(review),
    }
    move_corrections: dict[str, Prop] = {
        "statement": INT,
        "language": STR,
        "text": STR,
        "original_move": NSTR,
        "original_confidence": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
        "move": STR,
        "corrected_by": STR,
        "at": TIME,
        "count": INT,
    }
    head: dict[str, Prop] = {
        "format": {"const": "alteram-round-export"},
        "format_version": {"const": 1},
        "round_id": INT,
        "dialogue_id": INT,
        "number": INT,
        "title": STR,
        "state": STR,
        "moderation_mode": STR,
        "published_at": NTIME,
        "created_at": TIME,
        "dialogue": {
            "type": "object",
            "properties": {"id": INT, "title": STR, "charter": STR, "simulated": BOOL},
            "required": ["charter", "id", "simulated", "title"],
        },
    }
    body: dict[str, Prop] = {
        "statements": _rows(statements),
        "votes": _rows(votes),
        "predictions": _rows(predictions),
        "translations": _rows(translations),
        "move_corrections": _rows(move_corrections),
        "analysis": {
            "type": ["object", "null"],
            "properties": {"version": INT, "fingerprint": STR, "result": {"type": "object"}},
            "required": ["fingerprint", "result", "version"],
        },
    }
    props = {**head, **{name: _section(name) for name in SECTIONS}, **body}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "alteram round export",
        "description": "One round of an alteram dialogue: its statements, every vote and "
        "prediction, definitions, restatements, ratings, concerns, answers, marks, "
        "translations, moderation events and the team's move corrections, with alteram's own "
        "ids. Times are ISO 8601 UTC.",
        "type": "object",
        "properties": props,
        "required": sorted(props),
    }


def shipped_schema() -> dict[str, Any]:
    """The schema file shipped in the package."""
    text = resources.files("alteram.service").joinpath("data", NAME).read_text(encoding="utf-8")
    value: dict[str, Any] = json.loads(text)
    return value


def write_schema(path: Path | None = None) -> Path:
    """Write :func:`build_schema` to the package's data folder (or ``path``)."""
    target = path or Path(__file__).parent / "data" / NAME
    target.write_text(json.dumps(build_schema(), indent=1, sort_keys=True) + "\n", "utf-8")
    return target


if __name__ == "__main__":  # pragma: no cover
    write_schema()
