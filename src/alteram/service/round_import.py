"""Reading a round export (the JSON document :mod:`alteram.service.exports` writes) back into
a store, as a new dialogue holding that one round.

Ids are kept when the target database has none of them (a fresh database gets the very
ids of the export); a table whose ids are taken gets new ones, and :class:`RoundImported`
says which (``mapping``: table -> export id -> new id) so that a mapping file can be written.
Accounts are not exported, so the dialogue has no team yet (the administrator adds one);
the stored analysis is not copied: ``alteram analyze`` recomputes it from the votes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from alteram.errors import N_, InvalidInput
from alteram.service import side_counts
from alteram.service.export_tables import SECTIONS
from alteram.service.exports import FORMAT, FORMAT_VERSION
from alteram.store.database import Store
from alteram.store.schema import (
    Base,
    Dialogue,
    Prediction,
    Round,
    Statement,
    Translation,
    TranslationReview,
    UTCDateTime,
    Vote,
)

HINT = N_("Give the round.json file that 'alteram export' or the export link wrote.")
# table -> column -> the table its value refers to
REFS: dict[str, dict[str, str]] = {
    "sides": {"dialogue_id": "dialogues"},
    "participants": {"dialogue_id": "dialogues", "side_id": "sides"},
    "round_events": {"round_id": "rounds"},
    "topics": {"round_id": "rounds"},
    "concepts": {"round_id": "rounds"},
    "definitions": {"concept_id": "concepts", "side_id": "sides", "author_id": "participants"},
    "definition_ratings": {"definition_id": "definitions", "participant_id": "participants"},
    "restatements": {"definition_id": "definitions", "author_id": "participants"}
    | {"side_id": "sides"},
    "fairness_ratings": {"restatement_id": "restatements", "rater_id": "participants"},
    "concerns": {"dialogue_id": "dialogues", "raised_in_round_id": "rounds"}
    | {"side_id": "sides", "author_id": "participants"},
    "concern_answers": {"concern_id": "concerns", "round_id": "rounds", "side_id": "sides"}
    | {"author_id": "participants"},
    "concern_marks": {"concern_id": "concerns", "round_id": "rounds", "side_id": "sides"}
    | {"participant_id": "participants"},
    "concern_member_marks": {"concern_id": "concerns", "participant_id": "participants"}
    | {"round_id": "rounds"},
    "flags": {"statement_id": "statements", "participant_id": "participants"},
    "moderation_events": {"dialogue_id": "dialogues", "participant_id": "participants"}
    | {"by_participant_id": "participants"},
}
# what the first part of a translation's or event's ``item`` names
ITEM_TABLES = {
    "dialogue": "dialogues",
    "side": "sides",
    "participant": "participants",
    "round": "rounds",
    "topic": "topics",
    "event": "round_events",
    "statement": "statements",
    "concept": "concepts",
    "definition": "definitions",
    "restatement": "restatements",
    "concern": "concerns",
    "answer": "concern_answers",
}


@dataclass
class RoundImported:
    dialogue_id: int
    round_id: int
    counts: dict[str, int] = field(default_factory=dict)
    mapping: dict[str, dict[int, int]] = field(default_factory=dict)


class _Writer:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.maps: dict[str, dict[int, int]] = {}
        self.renumbered: set[str] = set()
        self.counts: dict[str, int] = {}

    def ref(self, table: str, value: Any, where: str) -> int | None:
        if value is None:
            return None
        try:
            return self.maps[table][int(value)]
        except (KeyError, TypeError, ValueError):
            raise InvalidInput(
                N_("%(where)s refers to %(table)s %(value)s, which the file does not hold."),
                params={"where": where, "table": table, "value": value},
                hint=HINT,
            ) from None

    def put(self, name: str, model: type[Base], rows: list[dict[str, Any]]) -> None:
        """Insert ``rows`` (named by columns, references as in the file) into ``model``."""
        table = model.__table__
        refs = REFS.get(name, {})
        ready = []
        for i, row in enumerate(rows):
            where = f"{name}[{i}]"
            rec = {}
            for c in table.c:
                if c.key not in row:
                    continue
                value = row[c.key]
                if c.key in refs:
                    value = self.ref(refs[c.key], value, f"{where}.{c.key}")
                elif isinstance(c.type, UTCDateTime) and isinstance(value, str):
                    value = _time(value, f"{where}.{c.key}")
                rec[c.key] = value
            ready.append(rec)
        old = [int(r["id"]) for r in ready]
        taken = any(
            self.session.scalar(
                select(func.count()).select_from(table).where(table.c.id.in_(old[s : s + 500]))
            )
            for s in range(0, len(old), 500)
        )
        if not ready:
            new: list[int] = []
        elif taken:
            self.renumbered.add(name)
            for r in ready:
                del r["id"]
            new = list(
                self.session.scalars(
                    insert(model).returning(table.c.id, sort_by_parameter_order=True), ready
                )
            )
        else:
            self.session.execute(insert(model), ready)
            new = old
            if self.session.get_bind().dialect.name == "postgresql":
                self.session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{model.__tablename__}', 'id'), "
                        f"(SELECT max(id) FROM {model.__tablename__}))"
                    )
                )
        self.maps[name] = dict(zip(old, new, strict=True))
        self.counts[name] = len(ready)


def _time(value: str, where: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            N_("%(where)s: %(value)s is not an ISO 8601 time."),
            params={"where": where, "value": value[:40]},
            hint=HINT,
        ) from None


def import_round(store: Store, doc: dict[str, Any]) -> RoundImported:
    """Write the round export ``doc`` into ``store`` in one transaction."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InvalidInput(N_("this is not an alteram round export."), hint=HINT)
    if doc.get("format_version") != FORMAT_VERSION:
        raise InvalidInput(
            N_("this export has format version %(v)s; this alteram reads version %(mine)s."),
            params={"v": doc.get("format_version"), "mine": FORMAT_VERSION},
            hint=N_("Export the round again with this version of alteram."),
        )
    try:
        with store.write() as session:
            return _write(session, doc)
    except (KeyError, TypeError, AttributeError) as exc:
        raise InvalidInput(
            N_("the export lacks a field or has a wrong type (%(what)s)."),
            params={"what": repr(exc)[:80]},
            hint=HINT,
        ) from None


def _write(session: Session, doc: dict[str, Any]) -> RoundImported:
    w = _Writer(session)
    d = doc["dialogue"]
    w.put("dialogues", Dialogue, [{k: d[k] for k in ("id", "title", "charter", "simulated")}])
    did = w.maps["dialogues"][int(d["id"])]
    w.put("sides", SECTIONS["sides"], [{**r, "dialogue_id": d["id"]} for r in doc["sides"]])
    people = [{**r, "dialogue_id": d["id"]} for r in doc["participants"]]
    w.put("participants", SECTIONS["participants"], people)
    fields = ("id", "number", "title", "state", "published_at", "created_at")
    head = {k: doc[k if k != "id" else "round_id"] for k in fields}
    w.put("rounds", Round, [{**head, "dialogue_id": did, "moderation": doc["moderation_mode"]}])
    rid = w.maps["rounds"][int(doc["round_id"])]
    for name in ("round_events", "topics"):
        w.put(name, SECTIONS[name], doc[name])
    w.put("statements", Statement, [_statement(s, did, rid, w) for s in doc["statements"]])
    for name in ("concepts", "definitions", "restatements"):
        w.put(name, SECTIONS[name], doc[name])
    for c in doc["concerns"]:  # raised in an earlier round: it now belongs to this one
        w.maps["rounds"].setdefault(int(c["raised_in_round_id"]), rid)
    w.put(
        "concerns", SECTIONS["concerns"], [{**c, "dialogue_id": d["id"]} for c in doc["concerns"]]
    )
    w.put("concern_answers", SECTIONS["concern_answers"], doc["concern_answers"])
    _translations(w, doc, did)
    w.put("votes", Vote, [_vote(v, w) for v in doc["votes"]])
    side_counts.recount(w.session, round_ids=[rid])  # what routing reads, from the votes
    w.put("predictions", Prediction, [_prediction(p, w) for p in doc["predictions"]])
    for name in ("definition_ratings", "fairness_ratings", "concern_marks"):
        w.put(name, SECTIONS[name], doc[name])
    w.put("concern_member_marks", SECTIONS["concern_member_marks"], doc["concern_member_marks"])
    w.put("flags", SECTIONS["flags"], doc["flags"])
    events = [
        {**e, "dialogue_id": d["id"], "account_id": None, "item_id": _item(w, e, "event")}
        for e in doc["moderation_events"]
    ]
    w.put("moderation_events", SECTIONS["moderation_events"], events)
    mapping = {
        name: {k: v for k, v in w.maps[name].items() if k != v} for name in sorted(w.renumbered)
    }
    return RoundImported(did, rid, w.counts, mapping)


def _item(w: _Writer, row: dict[str, Any], where: str) -> int | None:
    base = str(row.get("item") or "").split(".")[0]
    if row.get("item_id") is None or base not in ITEM_TABLES:
        return row.get("item_id")
    return w.ref(ITEM_TABLES[base], row["item_id"], f"{where} {row['item']}")


def _statement(s: dict[str, Any], did: int, rid: int, w: _Writer) -> dict[str, Any]:
    where = f"statement {s['id']}"
    return {
        "id": s["id"],
        "dialogue_id": did,
        "round_id": rid,
        "topic_id": w.ref("topics", s["topic_id"], where),
        "author_id": w.ref("participants", s["author"], where),
        "side_id": w.ref("sides", s["side_id"], where),
        "text": s["text"],
        "language": s["language"],
        "moderation": s["moderation"],
        "moderation_reason": s["moderation_reason"],
        "move": s["move"],
        "move_confidence": s["move_confidence"],
        "seeded": bool(s["seeded"]),
        "created_at": _time(s["at"], where),
    }


def _translations(w: _Writer, doc: dict[str, Any], did: int) -> None:
    rows, reviews = [], []
    for t in doc["translations"]:
        where = f"translation {t['id']}"
        rows.append(
            {
                "id": t["id"],
                "dialogue_id": did,
                "item": t["item"],
                "item_id": _item(w, t, where),
                "language": t["language"],
                "text": t["text"],
                "kind": t["kind"],
                "source_hash": t["source_hash"],
                "participant_id": w.ref("participants", t["participant"], where),
                "account_id": None,
                "created_at": _time(t["at"], where),
            }
        )
        reviews += [(t["id"], r) for r in t["reviews"]]
    w.put("translations", Translation, rows)
    w.put(
        "translation_reviews",
        TranslationReview,
        [
            {
                "id": r["id"],
                "translation_id": w.ref("translations", tid, f"review {r['id']}"),
                "participant_id": w.ref("participants", r["participant"], f"review {r['id']}"),
                "faithful": bool(r["faithful"]),
                "better_wording": r["better_wording"],
                "created_at": _time(r["at"], f"review {r['id']}"),
            }
            for tid, r in reviews
        ],
    )


def _vote(v: dict[str, Any], w: _Writer) -> dict[str, Any]:
    where = f"vote {v['id']}"
    return {
        "id": v["id"],
        "statement_id": w.ref("statements", v["statement"], where),
        "participant_id": w.ref("participants", v["participant"], where),
        "value": v["value"],
        "created_at": _time(v["at"], where),
        "shown_translation_id": w.ref("translations", v["shown_translation"], where),
    }


def _prediction(p: dict[str, Any], w: _Writer) -> dict[str, Any]:
    where = f"prediction {p['id']}"
    return {
        "id": p["id"],
        "vote_id": w.ref("votes", p["vote"], where),
        "target_side_id": w.ref("sides", p["target_side_id"], where),
        "share": p["share"],
    }


def mapping_csv(mapping: dict[str, dict[int, int]]) -> str:
    """``table,export-id,alteram-id`` for every id an import changed."""
    lines = ["table,export-id,alteram-id"]
    for table, pairs in mapping.items():
        lines += [f"{table},{old},{new}" for old, new in sorted(pairs.items())]
    return "\n".join(lines) + "\n"
