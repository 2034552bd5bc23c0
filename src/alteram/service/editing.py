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
from alteram.service.texts import original
from alteram.store.database import Store
from alteram.store.schema import Dialogue, Round, Side, TextEdit, Topic

# What the team may edit, the kind of row it belongs to, and the longest it may be.
EDITABLE = {
    "dialogue.title": ("dialogue", 200),
    "dialogue.charter": ("dialogue", 20_000),
    "side.name": ("side", 100),
    "round.title": ("round", 200),
    "topic.prompt": ("topic", 1_000),
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
    kind, limit = EDITABLE[item]
    body = text.strip() if item == "dialogue.charter" else " ".join(text.split())
    if (not body and item != "dialogue.charter") or len(body) > limit:
        raise InvalidInput(
            N_("this text needs 1 to %(limit)s characters (got %(length)s)."),
            params={"limit": limit, "length": len(body)},
        )
    with store.write() as session:
        access = access_to(session, actor, kind, item_id, need="team")
        before = original(session, item, item_id)
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
