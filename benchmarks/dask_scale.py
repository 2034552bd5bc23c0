"""The analysis on Dask at 1M and 10M participants: planted groups generated as shards.

A synthetic conversation like ``engine_scale.py``'s, written as Parquet shards one shard
at a time (never the whole data set in memory): ``--statements`` statements, three
planted groups with their own stance on every statement, ``--votes-per`` votes per
participant on average, in time order with everyone's votes interleaved (each vote's
participant and statement drawn at random, so some pairs are voted twice and the latest
counts), 15% against the group's stance, 5% passes. Each size is analysed on a
LocalCluster of this machine (``--workers`` processes, one thread each, ``--memory-limit``
each) by :func:`alteram.engine.distributed.analyze_distributed`. Reported per size: the
generation time, each step's wall time, the total, the peak resident memory of each worker
and of the client (psutil, sampled every 0.2 s), and the ARI of the groups found against
the planted ones. Up to ``--reference-up-to`` participants the in-memory engine runs on the
same votes in a fresh process too (the ratio of times and the agreement of the two
results: ARI between their groups, largest bridging difference).

Run: ``nice -n 10 .venv/bin/python benchmarks/dask_scale.py --sizes 1000000 10000000
--dir /work/tmp-dask`` (the shards are deleted afterwards unless ``--keep``).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

SEED = 0
ROWS_PER_SHARD = 5_000_000


def truth_of(n: int) -> np.ndarray:
    return np.random.default_rng(SEED).integers(0, 3, n).astype(np.int8)


def generate(folder: Path, n: int, n_statements: int, votes_per: int) -> dict[str, float]:
    """Write the shards one at a time (a shard already written whole is kept, so an
    interrupted generation goes on where it stopped); returns the counts and the time."""
    import pyarrow.parquet as pq

    from alteram.interop.parquet import shard_name, write_manifest, write_shard

    start = time.perf_counter()
    truth = truth_of(n)
    stance = np.random.default_rng(SEED + 1).choice(
        np.array([-1, 1], dtype=np.int8), size=(3, n_statements)
    )
    total = n * votes_per
    (folder / "votes").mkdir(parents=True, exist_ok=True)
    shards = []
    for k, lo in enumerate(range(0, total, ROWS_PER_SHARD)):
        rows = min(ROWS_PER_SHARD, total - lo)
        path = folder / "votes" / shard_name(k)
        shards.append(f"votes/{path.name}")
        if _complete(path, rows, pq):
            continue
        rng = np.random.default_rng([SEED, k])
        participant = rng.integers(0, n, rows, dtype=np.int64)
        statement = rng.integers(0, n_statements, rows, dtype=np.int64)
        vote = stance[truth[participant], statement]
        u = rng.random(rows, dtype=np.float32)
        vote = np.where(u < 0.15, -vote, vote)
        vote = np.where(u > 0.95, 0, vote).astype(np.int8)
        frame = pd.DataFrame(
            {
                "time": np.arange(lo, lo + rows, dtype=np.int64),
                "participant": participant,
                "statement": statement,
                "vote": vote,
            }
        )
        write_shard(path, frame)
    statements = pd.DataFrame(
        {
            "statement": np.arange(n_statements, dtype=np.int64),
            "side": pd.array([None] * n_statements, dtype="Int64"),
            "moderation": "accepted",
            "move": None,
        }
    )
    statements.to_parquet(folder / "statements.parquet", index=False)
    pd.DataFrame({"participant": pd.Series([], dtype=np.int64), "side": []}).to_parquet(
        folder / "sides.parquet", index=False
    )
    write_manifest(folder, shards=shards, rows_per_shard=ROWS_PER_SHARD, n_votes=total)
    size = sum(f.stat().st_size for f in folder.rglob("*.parquet"))
    return {"generate_s": time.perf_counter() - start, "votes": total, "disk_gb": size / 1e9}


def _complete(path: Path, rows: int, pq: Any) -> bool:
    try:
        return bool(pq.ParquetFile(path).metadata.num_rows == rows)
    except (OSError, ValueError, Exception):  # absent, or cut short when a run was stopped
        return False


class Sampler:
    """Peak RSS of some processes, sampled in a thread."""

    def __init__(self, pids: dict[str, int]) -> None:
        import psutil

        self.procs = {name: psutil.Process(pid) for name, pid in pids.items()}
        self.peak = dict.fromkeys(pids, 0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            for name, proc in self.procs.items():
                try:
                    self.peak[name] = max(self.peak[name], proc.memory_info().rss)
                except Exception:  # a worker restarting
                    continue
            self._stop.wait(0.2)

    def stop(self) -> dict[str, float]:
        self._stop.set()
        self._thread.join()
        return {k: v / 1024**3 for k, v in self.peak.items()}


def run_dask(folder: Path, n: int, workers: int, memory_limit: str) -> dict[str, object]:
    from distributed import Client, LocalCluster
    from sklearn.metrics import adjusted_rand_score

    from alteram.engine.distributed import analyze_distributed
    from alteram.interop.parquet import open_shards

    shards = open_shards(folder, rows_per_chunk=ROWS_PER_SHARD)
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            memory_limit=memory_limit,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",  # any free port, loopback only
        ) as cluster,
        Client(cluster) as client,
    ):
        pids = {f"worker {i}": pid for i, pid in enumerate(sorted(client.run(os.getpid).values()))}
        sampler = Sampler({**pids, "client": os.getpid()})
        stages: list[tuple[str, float]] = []

        def progress(stage: str, done: float) -> None:
            if not stages or stages[-1][0] != stage:
                now = time.perf_counter()
                if stages:  # the step that just ended, as it ends (a long run shows its way)
                    print(f"    {stages[-1][0]}: {now - stages[-1][1]:.1f} s", flush=True)
                stages.append((stage, now))

        start = time.perf_counter()
        result = analyze_distributed(client, shards.chunks, progress=progress)
        elapsed = time.perf_counter() - start
        stages.append(("end", time.perf_counter()))
        peaks = sampler.stop()
    ids = result.votes.participant_ids.astype(np.int64)
    c = result.labels >= 0
    truth = truth_of(n)
    out: dict[str, object] = {
        "seconds": elapsed,
        "ari": float(adjusted_rand_score(truth[ids[c]], result.labels[c])),
        "groups": result.n_groups,
        "participants_seen": len(ids),
        "clustered": int(c.sum()),
        "blocks": result.diagnostics["blocks"],
        "bridging_iterations": result.diagnostics["bridging_iterations"],
        "peak_gb": peaks,
        "stages": {a: t1 - t0 for (a, t0), (_, t1) in itertools.pairwise(stages)},
    }
    np.save(folder / "labels-dask.npy", result.labels)
    np.save(folder / "bridging-dask.npy", result.bridging)
    return out


def run_memory(folder: Path) -> dict[str, object]:
    """The in-memory engine on the same shards (read whole: for the reference only)."""
    import resource

    from alteram.engine import analyze
    from alteram.interop.parquet import open_shards, read_shards

    shards = open_shards(folder)
    paths = [str(folder / s) for s in shards.manifest["shards"]]
    votes = read_shards(paths)
    start = time.perf_counter()
    result = analyze(votes)
    elapsed = time.perf_counter() - start
    labels = np.load(folder / "labels-dask.npy")
    bridging = np.load(folder / "bridging-dask.npy")
    from sklearn.metrics import adjusted_rand_score

    c = result.labels >= 0
    return {
        "seconds": elapsed,
        "peak_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2,
        "ari_with_dask": float(adjusted_rand_score(result.labels[c], labels[c])),
        "same_clustered": bool(np.array_equal(c, labels >= 0)),
        "max_bridging_diff": float(np.abs(result.bridging - bridging).max()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--votes-per", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-limit", default="8GiB")
    parser.add_argument("--dir", type=Path, default=Path("/work/tmp-dask"))
    parser.add_argument("--reference-up-to", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        what, folder = args.one
        print(json.dumps(run_memory(Path(folder)) if what == "memory" else {}))
        return
    print(
        f"LocalCluster: {args.workers} workers x 1 thread, {args.memory_limit} each; "
        f"{args.statements:,} statements, {args.votes_per} votes per participant"
    )
    times: dict[int, float] = {}
    for n in args.sizes:
        folder = args.dir / f"n{n}"
        gen = generate(folder, n, args.statements, args.votes_per)
        print(
            f"{n:,} participants: {int(gen['votes']):,} votes in shards of {ROWS_PER_SHARD:,} "
            f"({gen['disk_gb']:.2f} GB on disk), generated in {gen['generate_s']:.0f} s",
            flush=True,
        )
        r = run_dask(folder, n, args.workers, args.memory_limit)
        times[n] = float(r["seconds"])  # type: ignore[arg-type]
        stages = ", ".join(f"{k} {v:.1f}" for k, v in r["stages"].items())  # type: ignore[attr-defined]
        peaks = ", ".join(f"{k} {v:.2f}" for k, v in r["peak_gb"].items())  # type: ignore[attr-defined]
        print(
            f"  dask: {r['seconds']:.1f} s, ARI {r['ari']:.4f} ({r['groups']} groups, "
            f"{r['clustered']:,} clustered, {r['blocks']} blocks, bridging "
            f"{r['bridging_iterations']} sweeps)\n  steps (s): {stages}\n  peak RSS (GB): {peaks}",
            flush=True,
        )
        if n <= args.reference_up_to:
            proc = subprocess.run(
                [sys.executable, __file__, "--one", "memory", str(folder)],
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode == 0:
                m = json.loads(proc.stdout)
                print(
                    f"  in memory: {m['seconds']:.1f} s, peak {m['peak_gb']:.2f} GB; "
                    f"dask / in memory {times[n] / m['seconds']:.2f}x; groups ARI between "
                    f"the two {m['ari_with_dask']:.4f}, same clustered {m['same_clustered']}, "
                    f"largest bridging difference {m['max_bridging_diff']:.1e}",
                    flush=True,
                )
            else:
                print(f"  in memory: failed: {proc.stderr.strip().splitlines()[-1:]}")
        if not args.keep:
            shutil.rmtree(folder)
    sizes = sorted(times)
    for a, b in itertools.pairwise(sizes):
        print(
            f"time grows {times[b] / times[a]:.1f}x from {a:,} to {b:,} participants "
            f"({b / a:.0f}x the votes)"
        )


if __name__ == "__main__":
    main()
