"""Creating dialogues, invite links, admission."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from alteram.errors import Forbidden, InvalidInput, NotFound
from alteram.service.dialogues import (
    create_dialogue,
    dialogue_summary,
    list_dialogues,
    replace_invite,
)
from alteram.service.participation import admit
from alteram.service.tokens import hash_token
from alteram.store.database import Store
from alteram.store.schema import Invite


def test_create_dialogue_gives_one_link_per_side_stored_hashed(store: Store) -> None:
    created = create_dialogue(store, title="T", charter="C", sides=["East", "West", "North"])
    assert set(created.invite_tokens) == set(created.side_ids)
    with store.read() as s:
        hashes = set(s.scalars(select(Invite.token_hash)))
    assert hashes == {hash_token(t) for t in created.invite_tokens.values()}
    assert not hashes & set(created.invite_tokens.values())  # never the token itself


@pytest.mark.parametrize(
    ("title", "sides", "match"),
    [
        ("", ["A", "B"], "title"),
        ("T", ["A"], "at least two sides"),
        ("T", ["A", "a"], "must differ"),
        ("T", ["A", " "], "name"),
    ],
)
def test_bad_dialogues_are_refused(store: Store, title: str, sides: list[str], match: str) -> None:
    with pytest.raises(InvalidInput, match=match):
        create_dialogue(store, title=title, sides=sides)
    assert list_dialogues(store) == []


def test_a_link_admits_to_its_own_side_only(store: Store) -> None:
    created = create_dialogue(store, title="T", sides=["A", "B"])
    for side, token in created.invite_tokens.items():
        admitted = admit(store, token=token, display_name="x")
        assert admitted.side_id == side
        assert admitted.dialogue_id == created.dialogue_id
    summary = dialogue_summary(store, created.dialogue_id)
    assert [s.participants for s in summary.sides] == [1, 1]


def test_revoked_and_unknown_links_are_refused(store: Store) -> None:
    created = create_dialogue(store, title="T", sides=["A", "B"])
    side = created.side_ids[0]
    old = created.invite_tokens[side]
    new = replace_invite(store, side_id=side)
    with pytest.raises(Forbidden, match="revoked"):
        admit(store, token=old)
    with pytest.raises(NotFound, match="not known"):
        admit(store, token="not-a-token")
    assert admit(store, token=new).side_id == side


def test_unknown_dialogue_says_how_to_find_ids(store: Store) -> None:
    with pytest.raises(NotFound, match=r"dialogue 999 does not exist.*alteram dialogues list"):
        dialogue_summary(store, 999)
