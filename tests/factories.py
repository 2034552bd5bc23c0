"""Small builders of dialogue state for tests (through the service layer)."""

from __future__ import annotations

from dataclasses import dataclass

from alteram.service.dialogues import create_dialogue
from alteram.service.participation import add_statement, admit
from alteram.service.rounds import create_round, open_round
from alteram.store.database import Store


@dataclass
class World:
    dialogue_id: int
    sides: list[int]
    tokens: dict[int, str]
    round_id: int
    people: dict[str, int]  # name -> participant id; "a1", "a2" on side 0, "b1", "b2" on side 1


def make_world(store: Store, *, open_it: bool = True, moderation: str = "post") -> World:
    """A two-sided dialogue with one round and two participants per side."""
    created = create_dialogue(
        store,
        title="Water: what it means to us",
        charter="Explain, ask, listen.",
        sides=["Upstream", "Downstream"],
    )
    round_id = create_round(
        store,
        dialogue_id=created.dialogue_id,
        topics=["What does water mean to you?"],
        moderation=moderation,
    )
    if open_it:
        open_round(store, round_id=round_id)
    people = {}
    for i, side in enumerate(created.side_ids):
        for n in (1, 2):
            name = f"{'ab'[i]}{n}"
            people[name] = admit(
                store, token=created.invite_tokens[side], display_name=name
            ).participant_id
    return World(created.dialogue_id, created.side_ids, created.invite_tokens, round_id, people)


def statement(store: Store, world: World, who: str, text: str) -> int:
    return add_statement(
        store, participant_id=world.people[who], round_id=world.round_id, text=text
    )


def own(store: Store, dialogue_id: int, account_id: int) -> None:
    """Make ``account_id`` the owner of a dialogue made by the service (no signed-in creator)."""
    from alteram.service.team import make_owner

    with store.write() as session:
        make_owner(session, dialogue_id, account_id)
