"""More than five opinion groups where the dialogue's team allows it (#12)."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import insert

from alteram.errors import Forbidden, InvalidInput, NotFound
from alteram.service.access import Actor
from alteram.service.accounts import create_facilitator
from alteram.service.analyses import analyze_round
from alteram.service.dialogue_life import set_max_groups
from alteram.service.dialogues import create_dialogue, dialogue_summary
from alteram.service.joining import admit
from alteram.service.participation import add_statement
from alteram.service.results import round_results
from alteram.service.rounds import create_round, open_round
from alteram.store.database import Store
from alteram.store.schema import Vote

K, PER, N_STATEMENTS = 8, 20, 40  # eight opinion groups on a ring, twenty people each


def eight_groups(store: Store) -> tuple[int, int, int]:
    owner = create_facilitator(store, email="owner@example.org", password="a long passphrase")
    d = create_dialogue(store, title="River", sides=["Up", "Down"], owner_account_id=owner)
    r = create_round(store, dialogue_id=d.dialogue_id, topics=["The river"])
    open_round(store, round_id=r)
    people = [
        admit(store, token=d.invite_tokens[d.side_ids[p % 2]], display_name=f"p{p}").participant_id
        for p in range(K * PER)
    ]
    statements = [
        add_statement(store, participant_id=people[j], round_id=r, text=f"Statement {j}.")
        for j in range(N_STATEMENTS)
    ]
    rng = np.random.default_rng(1)
    angles = np.linspace(0, 2 * np.pi, N_STATEMENTS, endpoint=False)
    rows = []
    for p, pid in enumerate(people):
        theta = 2 * np.pi * (p // PER) / K
        for sid, phi in zip(statements, angles, strict=True):
            vote = 1 if np.cos(theta - phi) > 0 else -1
            rows.append(
                {
                    "participant_id": pid,
                    "statement_id": sid,
                    "value": -vote if rng.random() < 0.05 else vote,
                }
            )
    with store.write() as session:
        session.execute(insert(Vote), rows)
    return owner, d.dialogue_id, r


def test_the_team_allows_more_groups_and_the_analysis_finds_them(store: Store) -> None:
    owner, dialogue_id, round_id = eight_groups(store)
    first = analyze_round(store, round_id=round_id)
    assert first.result["n_groups"] == 5  # the default keeps Polis's five at most
    team = Actor(account_id=owner)
    with pytest.raises(InvalidInput):
        set_max_groups(store, actor=team, dialogue_id=dialogue_id, max_groups=13)
    with pytest.raises((Forbidden, NotFound)):  # an outsider learns nothing
        set_max_groups(store, actor=Actor(), dialogue_id=dialogue_id, max_groups=8)
    set_max_groups(store, actor=team, dialogue_id=dialogue_id, max_groups=10)
    assert dialogue_summary(store, dialogue_id, actor=team).max_groups == 10
    second = analyze_round(store, round_id=round_id)  # same votes, new setting: a new version
    assert second.version == first.version + 1
    assert second.result["n_groups"] == K  # as many as the votes support, not the limit
    assert sorted(g["size"] for g in second.result["groups"]) == [PER] * K
    r = round_results(store, round_id=round_id, facilitator=True)
    assert [g.letter for g in r.groups] == list("ABCDEFGH")
