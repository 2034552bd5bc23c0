"""A Polis import is one transaction: when any part fails, nothing of it is stored."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from alteram.interop.polis import PolisExport
from alteram.service.imports import import_polis
from alteram.store.database import Store
from alteram.store.schema import Dialogue, Participant, Statement, Vote


def test_a_failure_in_the_last_step_leaves_nothing(store: Store, tmp_path: Path) -> None:
    # The reader refuses such a vote; built by hand, it fails only when the votes are written,
    # after the dialogue, its participants and statements.
    export = PolisExport(
        votes=pd.DataFrame(
            {"participant": [1, 2], "statement": [0, 0], "vote": [1, 5], "time": [1000, 2000]}
        ),
        comments=pd.DataFrame(
            {
                "statement": [0],
                "author": [1],
                "agrees": [1],
                "disagrees": [0],
                "moderated": [1],
                "text": ["Rivers"],
            }
        ),
    )
    with pytest.raises(IntegrityError):
        import_polis(store, export, source=tmp_path)
    with store.read() as s:
        for model in (Dialogue, Participant, Statement, Vote):
            assert s.scalar(select(func.count()).select_from(model)) == 0, model.__name__
