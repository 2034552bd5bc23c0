"""The team edits a text of its dialogue; the earlier wording is kept and the text is marked
as edited. Translations of the earlier wording stop counting (they translate another text),
and machine translation, where on, is asked for the new one."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from alteram.errors import N_, InvalidInput
from alteram.service.access import Actor, access_to
from alteram.service.events import record
from alteram.service.lookup import get
from alteram.service.machine_translation import request_translations
from alteram.service.textcheck import LIMITS, clean, name_key
from alteram.service.texts import original
from alteram.store.database import Store
from alteram.store.schema import Dialogue, Round, Side, TextEdit, Topic

# What the team may edit, the kind of row it belongs to, and its field in the table of limits.
EDITABLE = {
    "dialogue.title": ("dialogue", "dialogue_title"),
    "dialogue.charter": ("dialogue", "charter"),
    "side.name": ("side", "side_name"),
    "round.title": ("round", "round_title"),
    "topic.prompt": ("topic", "topic"),
}


def _store_text(session: Session, item: str, item_id: int, text: str) -> None:
    if item.startswith("dialogue."):
        row = get(session, Dialogue, item_id, lock=True)
        setattr(row, item.removeprefix("dialogue."), text)
    elif item == "side.name":
        get(session, Side, item_id, lock=True).name = text
    elif item == "round.title":
        get(session, Round, item_id, lock=True).title = text
    else:
        get(session, Topic, item_id, lock=True).prompt = text


def edit_text(store: Store, *, actor: Actor, item: str, item_id: int, text: str) -> bool:
    """Replace a text of the dialogue, keeping the earlier one; False when nothing changed."""
    if item not in EDITABLE:
        raise InvalidInput(
            N_("%(item)r is not a text the team edits; use one of %(items)s."),
            params={"item": item, "items": ", ".join(EDITABLE)},
        )
    kind, field = EDITABLE[item]
    body = clean(text, field)
    if not body and item != "dialogue.charter":
        raise InvalidInput(
            N_("this text needs 1 to %(limit)s characters (got %(length)s)."),
            params={"limit": LIMITS[field].high, "length": len(body)},
        )
    with store.write() as session:
        access = access_to(session, actor, kind, item_id, need="team")
        before = original(session, item, item_id)
        if item == "side.name":
            others = session.scalars(
                select(Side.name).where(Side.dialogue_id == access.dialogue_id, Side.id != item_id)
            )
            if name_key(body) in {name_key(n) for n in others}:
                raise InvalidInput(
                    N_("side names must differ; another side is called %(name)r."),
                    params={"name": body},
                )
        if before.text == body:
            return False
        session.add(
            TextEdit(
                dialogue_id=access.dialogue_id,
                item=item,
                item_id=item_id,
                previous=before.text,
                account_id=actor.account_id,
            )
        )
        _store_text(session, item, item_id, body)
        session.flush()
        record(
            session,
            dialogue_id=access.dialogue_id,
            kind="text_edited",
            actor=actor,
            item=item,
            item_id=item_id,
        )
        request_translations(session, original(session, item, item_id))
        return True


def edits(session: Session, dialogue_id: int) -> dict[tuple[str, int], list[TextEdit]]:
    """Every earlier wording of the dialogue's texts, oldest first."""
    out: dict[tuple[str, int], list[TextEdit]] = {}
    for row in session.scalars(
        select(TextEdit).where(TextEdit.dialogue_id == dialogue_id).order_by(TextEdit.id)
    ):
        out.setdefault((row.item, row.item_id), []).append(row)
    return out
