"""How the whole analysis grows from 10,000 to 1,000,000 participants (synthetic votes).

A synthetic conversation: ``--statements`` statements (default 10,000), three planted
groups, each with its own stance on every statement; every participant votes on
``--votes-per`` random statements (default 50, so 1M participants cast 50M votes), voting
against their group's stance with probability 0.15 and passing with probability 0.05. Each
size runs in a fresh subprocess; the table shows the wall time of ``analyze`` (input
DataFrame to result, reading excluded), the peak resident memory of that process
(generation included; "input GB" is the peak before ``analyze`` starts, i.e. generating the
votes DataFrame) and the ARI of the groups found against the planted ones.

Run: ``.venv/bin/python benchmarks/engine_scale.py [--sizes 10000 100000 1000000]``
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import subprocess
import sys
import time

import numpy as np
import pandas as pd


def synthetic(
    n: int, n_statements: int, votes_per: int, n_groups: int = 3, seed: int = 0
) -> tuple[pd.DataFrame, np.ndarray]:
    """Votes of planted groups, in time order, and the planted group of participants 0..n-1."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, n_groups, n)
    stance = rng.choice(np.array([-1, 1], dtype=np.int8), size=(n_groups, n_statements))
    participant = np.repeat(np.arange(n, dtype=np.int64), votes_per)
    statement = rng.integers(0, n_statements, n * votes_per)
    vote = stance[truth[participant], statement]
    u = rng.random(n * votes_per, dtype=np.float32)
    vote = np.where(u < 0.15, -vote, vote)
    vote = np.where(u > 0.95, 0, vote).astype(np.int8)
    frame = pd.DataFrame(
        {
            "participant": participant,
            "statement": statement,
            "vote": vote,
            "time": np.arange(n * votes_per, dtype=np.int64),
        }
    )
    return frame, truth


def run_one(n: int, n_statements: int, votes_per: int) -> dict[str, float]:
    from sklearn.metrics import adjusted_rand_score

    from alteram.engine import analyze

    votes, truth = synthetic(n, n_statements, votes_per)
    rss_input = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    stages: list[tuple[str, float]] = []
    start = time.perf_counter()
    result = analyze(votes, progress=lambda s: stages.append((s, time.perf_counter())))
    elapsed = time.perf_counter() - start
    stages.append(("end", time.perf_counter()))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    ids = result.votes.participant_ids.astype(np.int64)
    c = result.labels >= 0
    ari = adjusted_rand_score(truth[ids[c]], result.labels[c])
    out = {
        "participants": n,
        "statements": n_statements,
        "votes": len(votes),
        "seconds": elapsed,
        "peak_gb": peak,
        "input_gb": rss_input,
        "ari": float(ari),
        "groups": result.n_groups,
        "clustered": int(c.sum()),
        "bridging_iterations": result.diagnostics["bridging_iterations"],
    }
    for (name, t0), (_, t1) in itertools.pairwise(stages):
        out[f"stage:{name}"] = t1 - t0
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--statements", type=int, default=10_000)
    parser.add_argument("--votes-per", type=int, default=50)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.statements, args.votes_per)))
        return
    print(
        f"{'participants':>12} {'votes':>11} {'time s':>8} {'peak GB':>8} {'input GB':>8} "
        f"{'ARI':>6}  stages (s)"
    )
    for n in args.sizes:
        proc = subprocess.run(
            [
                sys.executable,
                __file__,
                "--one",
                str(n),
                "--statements",
                str(args.statements),
                "--votes-per",
                str(args.votes_per),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            print(f"{n:>12} failed: {proc.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(proc.stdout)
        stages = ", ".join(f"{k[6:]} {v:.1f}" for k, v in r.items() if k.startswith("stage:"))
        stages += f" (bridging iterations {r['bridging_iterations']})"
        print(
            f"{r['participants']:>12,} {r['votes']:>11,} {r['seconds']:>8.1f} "
            f"{r['peak_gb']:>8.2f} {r['input_gb']:>8.2f} {r['ari']:>6.3f}  {stages}",
            flush=True,
        )


if __name__ == "__main__":
    main()
