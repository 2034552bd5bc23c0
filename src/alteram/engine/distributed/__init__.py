"""alteram.engine.distributed: the opinion engine on a Dask cluster (the ``dask`` extra).

The same estimators as :mod:`alteram.engine`, with their heavy steps run block by block
on Dask workers. It takes Dask futures or delayed objects of vote chunks (DataFrames) and
does no I/O itself: loaders live in :mod:`alteram.interop.parquet` (Parquet shards) and
:mod:`alteram.store.batches` (vote-id ranges of a database).
"""

from alteram.engine.distributed._dask import AnalysisInterrupted
from alteram.engine.distributed.bridging import DistributedBridging
from alteram.engine.distributed.opinion_map import DistributedOpinionMap
from alteram.engine.distributed.pipeline import analyze_distributed, distributed_counts
from alteram.engine.distributed.votes import DistributedVotes, build_votes

__all__ = [
    "AnalysisInterrupted",
    "DistributedBridging",
    "DistributedOpinionMap",
    "DistributedVotes",
    "analyze_distributed",
    "build_votes",
    "distributed_counts",
]
