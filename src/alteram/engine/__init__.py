"""alteram.engine: the opinion engine, pure NumPy / SciPy / scikit-learn.

Use :func:`analyze` for the whole analysis, or the estimators one by one.
"""

from alteram.engine.bridging import BridgingModel
from alteram.engine.clusters import GroupClusterer
from alteram.engine.consensus import consensus, group_informed_consensus
from alteram.engine.opinion_map import OpinionMap
from alteram.engine.perception import Estimate, PerceptionGap
from alteram.engine.pipeline import analyze
from alteram.engine.repness import group_counts, repness
from alteram.engine.result import AnalysisResult, group_letter
from alteram.engine.ritual import RitualResult, ritual_index
from alteram.engine.sides import side_scores
from alteram.engine.types import VoteCounts, VoteMatrix
from alteram.engine.votes import build_vote_matrix

__all__ = [
    "AnalysisResult",
    "BridgingModel",
    "Estimate",
    "GroupClusterer",
    "OpinionMap",
    "PerceptionGap",
    "RitualResult",
    "VoteCounts",
    "VoteMatrix",
    "analyze",
    "build_vote_matrix",
    "consensus",
    "group_counts",
    "group_informed_consensus",
    "group_letter",
    "repness",
    "ritual_index",
    "side_scores",
]
