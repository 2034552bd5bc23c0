"""The result of an analysis and its JSON-serialisable form."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from alteram.engine.perception import Estimate, PerceptionGap
from alteram.engine.sides import SideScores
from alteram.engine.types import BoolArray, FloatArray, IntArray, VoteCounts, VoteMatrix

JSON = dict[str, Any]


def group_letter(g: int) -> str:
    """The name of opinion group ``g``: 0 -> "A", 25 -> "Z", 26 -> "A1"."""
    suffix = str(g // 26) if g >= 26 else ""
    return f"{chr(65 + g % 26)}{suffix}"


def plain(value: Any) -> Any:
    """``value`` as plain JSON types: NumPy scalars unwrapped, NaN and infinities -> None."""
    if isinstance(value, Estimate):
        return plain(value.to_dict())
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return [plain(v) for v in value.tolist()]
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        f = float(value)
        return f if math.isfinite(f) else None
    if value is None or isinstance(value, str):
        return value
    return str(value)


@dataclass
class AnalysisResult:
    """Everything the engine computed for one conversation.

    Arrays are aligned with ``votes.participant_ids`` (rows) and ``votes.statement_ids``
    (columns). ``labels`` is -1 for participants who are not clustered.
    """

    votes: VoteMatrix
    embedding: FloatArray
    labels: IntArray
    clustered: BoolArray
    n_groups: int
    silhouettes: dict[int, float]
    group_counts: VoteCounts
    representative: list[list[tuple[int, str, float]]]
    consensus: FloatArray
    group_informed_consensus: FloatArray
    bridging: FloatArray
    bridging_factor: FloatArray
    diagnostics: JSON = field(default_factory=dict)
    side_ids: list[Any] | None = None
    side_counts: VoteCounts | None = None
    side_scores: SideScores | None = None
    perception: PerceptionGap | None = None
    extra: JSON = field(default_factory=dict)

    def to_dict(self) -> JSON:
        """A JSON-serialisable dict (only str/int/float/bool/None/list/dict)."""
        pids, sids = self.votes.participant_ids, self.votes.statement_ids
        gc = self.group_counts
        out: JSON = {
            "participants": [
                {
                    "id": pids[i],
                    "group": int(self.labels[i]) if self.labels[i] >= 0 else None,
                    "x": self.embedding[i, 0],
                    "y": self.embedding[i, 1],
                    "n_votes": int(self.votes.n_votes[i]),
                }
                for i in range(len(pids))
            ],
            "groups": [
                {
                    "id": g,
                    "size": int((self.labels == g).sum()),
                    "representative": [sids[j] for j, _, _ in self.representative[g]],
                    "repness": [
                        {"statement": sids[j], "direction": d, "metric": m}
                        for j, d, m in self.representative[g]
                    ],
                }
                for g in range(self.n_groups)
            ],
            "statements": [
                {
                    "id": sids[j],
                    "moderated_out": bool(self.votes.moderated[j]),
                    # moderated-out statements hold no votes: nothing is claimed for them
                    "consensus": None if self.votes.moderated[j] else self.consensus[j],
                    "group_informed_consensus": None
                    if self.votes.moderated[j]
                    else self.group_informed_consensus[j],
                    "bridging": None if self.votes.moderated[j] else self.bridging[j],
                    "bridging_factor": None if self.votes.moderated[j] else self.bridging_factor[j],
                    "group_votes": [
                        {
                            "group": g,
                            "agree": gc.agree[g, j],
                            "disagree": gc.disagree[g, j],
                            "seen": gc.seen[g, j],
                        }
                        for g in range(self.n_groups)
                    ],
                }
                for j in range(len(sids))
            ],
            "n_groups": self.n_groups,
            "silhouettes": {str(k): v for k, v in self.silhouettes.items()},
            "diagnostics": self.diagnostics,
        }
        if self.side_ids is not None and self.side_scores is not None and self.side_counts:
            out.update(self._sides_dict())
        if self.perception is not None and self.side_ids is not None:
            out["perception"] = self._perception_dict()
        out.update(self.extra)
        return dict(plain(out))

    def _sides_dict(self) -> JSON:
        assert self.side_ids is not None and self.side_scores is not None
        assert self.side_counts is not None
        sids, ss, sc = self.votes.statement_ids, self.side_scores, self.side_counts
        sides = [
            {
                "statement": sids[j],
                "side": side,
                "agree": sc.agree[k, j],
                "disagree": sc.disagree[k, j],
                "seen": sc.seen[k, j],
                # the share people read: raw, agree / seen (None when nobody voted)
                "agree_share": sc.agree[k, j] / sc.seen[k, j] if sc.seen[k, j] else None,
                # the Jeffreys-smoothed share that ranks statements, never shown as a share
                "ranking_share": ss.agree_share[k, j],
            }
            for j in range(len(sids))
            for k, side in enumerate(self.side_ids)
        ]
        live = ~self.votes.moderated
        cg = np.flatnonzero(ss.is_common_ground & live)
        cg = cg[np.argsort(-ss.common_ground[cg], kind="stable")]
        dv = np.flatnonzero((ss.divisiveness > 0) & live)
        dv = dv[np.argsort(-ss.divisiveness[dv], kind="stable")]
        return {
            "side_ids": list(self.side_ids),
            "sides": sides,
            "common_ground": [
                {
                    "statement": sids[j],
                    "score": ss.common_ground[j],  # ranking score (smoothed shares)
                    "min_ranking_share": ss.agree_share[:, j].min(),
                }
                for j in cg
            ],
            "divisive": [{"statement": sids[j], "score": ss.divisiveness[j]} for j in dv],
        }

    def _perception_dict(self) -> JSON:
        assert self.perception is not None and self.side_ids is not None
        sids, names = self.votes.statement_ids, self.side_ids

        def rename(rec: JSON) -> JSON:
            r = dict(rec)
            r["predicting_side"] = names[r["predicting_side"]]
            r["predicted_side"] = names[r["predicted_side"]]
            if "statement" in r:
                r["statement"] = sids[r["statement"]]
            return r

        return {
            "statements": [rename(r) for r in self.perception.statements_],
            "pairs": [rename(r) for r in self.perception.pairs_],
        }
