"""The team moderates definitions, restatements, concerns and answers: it hides one (with a
reason kept in the moderation log) or shows it again. Nothing is deleted."""

from __future__ import annotations

from typing import Any

from alteram.errors import N_, InvalidInput
from alteram.service.access import Actor, access_to, check_writable
from alteram.service.events import record
from alteram.service.lookup import get
from alteram.service.textcheck import clean
from alteram.store.database import Store
from alteram.store.schema import Concern, ConcernAnswer, Definition, Restatement, utcnow

HIDEABLE: dict[str, tuple[Any, str]] = {
    "definition": (Definition, "definition.text"),
    "restatement": (Restatement, "restatement.text"),
    "concern": (Concern, "concern.title"),
    "answer": (ConcernAnswer, "answer.text"),
}


def set_hidden(
    store: Store, *, actor: Actor, kind: str, ident: int, hidden: bool, reason: str = ""
) -> None:
    """Hide a text from everyone but the team (a reason is needed), or show it again."""
    if kind not in HIDEABLE:
        raise InvalidInput(
            N_("%(kind)r cannot be hidden; the team hides %(kinds)s."),
            params={"kind": kind, "kinds": ", ".join(HIDEABLE)},
        )
    why = clean(reason, "moderation_reason")
    if hidden and not why:
        raise InvalidInput(N_("hiding a text needs a reason, kept in the moderation log."))
    model, item = HIDEABLE[kind]
    with store.write() as session:
        access = access_to(session, actor, kind, ident, need="team")
        check_writable(access)
        row: Definition | Restatement | Concern | ConcernAnswer = get(
            session, model, ident, lock=True
        )
        row.hidden_at = utcnow() if hidden else None
        row.hidden_reason = why if hidden else None
        record(
            session,
            dialogue_id=access.dialogue_id,
            kind="text_hidden" if hidden else "text_shown",
            actor=actor,
            item=item,
            item_id=ident,
            participant_id=row.author_id,
            reason=why or None,
        )
