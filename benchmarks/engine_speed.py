"""Speed of the whole analysis on american-assembly.bowling-green against red-dwarf.

Both run in this process on the same votes, interleaved, ``--repeats`` times each; the
figures are the minimum and median wall times and their ratio. alteram's time is the whole
``analyze`` (vote matrix, opinion map, groups, representativeness, consensus, bridging);
red-dwarf's is ``reddwarf.implementations.polis.run_pipeline`` (PCA, k-means, repness,
consensus; no bridging), given its list-of-dicts input prepared beforehand.

Run: ``.venv/bin/python benchmarks/engine_speed.py [--repeats 7]``
red-dwarf 0.4.0 is not a dependency of alteram; without it only alteram's time is shown.
"""

from __future__ import annotations

import argparse
import itertools
import platform
import statistics
import time
import warnings
from collections.abc import Callable
from typing import Any

from _common import polis_data
from alteram.engine import analyze
from alteram.interop.polis import read_polis_export


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--conversation", default="american-assembly.bowling-green")
    parser.add_argument(
        "--without-red-dwarf", action="store_true", help="time alteram's stages only"
    )
    args = parser.parse_args()
    export = read_polis_export(polis_data() / args.conversation)
    votes, mod = export.votes, export.moderated_out
    print(
        f"{args.conversation}: {votes['participant'].nunique()} participants, "
        f"{votes['statement'].nunique()} statements, {len(votes)} votes"
    )
    print(
        f"machine: {platform.machine()} {platform.processor() or ''} python "
        f"{platform.python_version()}"
    )
    stages: dict[str, float] = {}

    def ours() -> None:
        marks: list[tuple[str, float]] = []
        analyze(votes, moderated_out=mod, progress=lambda s: marks.append((s, time.perf_counter())))
        marks.append(("end", time.perf_counter()))
        for (name, t0), (_, t1) in itertools.pairwise(marks):
            stages[name] = min(stages.get(name, float("inf")), t1 - t0)

    try:
        if args.without_red_dwarf:
            raise ImportError
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from reddwarf.implementations.polis import run_pipeline
    except ImportError:
        run_pipeline = None
        if not args.without_red_dwarf:
            print("red-dwarf is NOT installed: no comparison (pip install red-dwarf==0.4.0)")
    records = [
        {"participant_id": int(p), "statement_id": int(s), "vote": int(v), "modified": int(t)}
        for p, s, v, t in votes[["participant", "statement", "vote", "time"]].itertuples(
            index=False
        )
    ]

    def theirs() -> None:
        assert run_pipeline is not None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            run_pipeline(votes=records, mod_out_statement_ids=mod, random_state=0)

    ours()  # warm up imports and caches
    if run_pipeline is not None:
        theirs()
    t_ours, t_theirs = [], []
    for _ in range(args.repeats):
        t_ours.append(timed(ours))
        if run_pipeline is not None:
            t_theirs.append(timed(theirs))
    print(
        f"alteram analyze:      min {min(t_ours):.3f} s  median {statistics.median(t_ours):.3f} s"
    )
    print("  stages (min): " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in stages.items()))
    polis_part = sum(v for k, v in stages.items() if k != "bridging")
    print(
        f"alteram without bridging (what red-dwarf computes), sum of stage minima: "
        f"{polis_part:.3f} s"
    )
    if t_theirs:
        print(
            f"red-dwarf pipeline:   min {min(t_theirs):.3f} s  "
            f"median {statistics.median(t_theirs):.3f} s"
        )
        print(
            f"ratio (red-dwarf / alteram): min/min {min(t_theirs) / min(t_ours):.1f}x  "
            f"median/median {statistics.median(t_theirs) / statistics.median(t_ours):.1f}x"
            "   (goal >= 20x)"
        )
        print(f"ratio without bridging: {min(t_theirs) / polis_part:.1f}x (min / stage minima)")


if __name__ == "__main__":
    main()
