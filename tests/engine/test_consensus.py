from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from alteram.engine.consensus import consensus, group_informed_consensus
from alteram.engine.repness import group_counts
from alteram.engine.types import VoteCounts
from alteram.engine.votes import build_vote_matrix
from alteram.interop.polis import read_polis_export


def test_by_hand() -> None:
    c = VoteCounts(
        agree=np.array([[3.0, 0.0], [1.0, 0.0]]),
        disagree=np.array([[1.0, 2.0], [0.0, 2.0]]),
        seen=np.array([[4.0, 2.0], [2.0, 2.0]]),
    )
    assert group_informed_consensus(c).tolist() == pytest.approx([(4 / 6) * (2 / 4), (1 / 4) ** 2])
    assert consensus(c).tolist() == pytest.approx([5 / 8, 1 / 6])


def test_reproduces_polis_group_informed_consensus(shared_data: Path) -> None:
    folder = shared_data / "polis-opendata" / "bg2050-volunteers"
    export = read_polis_export(folder)
    vm = build_vote_matrix(export.votes)
    groups = [export.groups.get(int(p)) for p in vm.participant_ids]
    labels = np.array([-1 if g is None else g for g in groups], dtype=np.int64)
    gac = group_informed_consensus(group_counts(vm.matrix, labels, int(labels.max()) + 1))
    published = export.comments.set_index("statement")["group_informed_consensus"]
    ours = dict(zip(vm.statement_ids.tolist(), gac.tolist(), strict=True))
    assert len(published) == 371
    diffs = [abs(ours[int(s)] - float(v)) for s, v in published.items()]
    assert max(diffs) <= 1e-12
