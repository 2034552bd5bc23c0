"""What the rate limits cost a vote: ``record_vote`` with the limits on and off, same run.

A vote with limits on also counts itself against its participant's key and its address's
key (two conditional upserts in the vote's transaction). Votes alternate on, off, on, off...
(so that both see the same load from whatever else runs on the machine) for ``--seconds``
on one database per store, 200 voters from 200 addresses (so that no limit is reached);
the figure is the ratio of the medians of the per-vote times.

Usage: ``.venv/bin/python benchmarks/rate_limit_cost.py [--seconds 10]``
(PostgreSQL: a throw-away cluster with fsync on, as in ``http_votes.py``).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from alteram.service import ratelimit
from alteram.service.participation import admit, record_vote
from alteram.store.database import Store
from http_votes import new_database, postgres, set_up


def measure(kind: str, workdir: Path, pg: object, seconds: float) -> dict[str, float]:
    url = new_database(kind, workdir, pg)  # type: ignore[arg-type]
    setup = set_up(url)
    store = Store(url)
    sides = list(setup.tokens)
    voters = [
        (
            admit(store, token=setup.tokens[sides[i % 2]]).participant_id,
            f"10.9.{i // 250}.{i % 250}",
        )
        for i in range(200)
    ]
    rng = random.Random(0)
    times: dict[str, list[float]] = {"on": [], "off": []}
    i = 0
    try:
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            mode = ("on", "off")[i % 2]
            ratelimit.configure(enabled=mode == "on")
            pid, address = voters[i % len(voters)]
            sid = setup.statements[(i // len(voters) + i) % len(setup.statements)]
            start = time.perf_counter()
            with ratelimit.asking_from(address):
                record_vote(store, participant_id=pid, statement_id=sid, value=rng.choice((-1, 1)))
            times[mode].append(time.perf_counter() - start)
            i += 1
    finally:
        ratelimit.configure(enabled=True)
        store.dispose()
    on, off = statistics.median(times["on"]), statistics.median(times["off"])
    return {
        "votes_on": len(times["on"]),
        "votes_off": len(times["off"]),
        "on_ms": on * 1e3,
        "off_ms": off * 1e3,
        "ratio": on / off,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--postgres", default=None, help="URL prefix of a PostgreSQL server")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="alteram-ratelimit-") as tmp:
        workdir = Path(tmp)
        with postgres(args.postgres, workdir) as pg:
            kinds = ["sqlite"] + (["postgres"] if pg is not None else [])
            print("| store | votes (on / off) | median ms, limits on | off | on / off |")
            print("|---|---|---|---|---|")
            for kind in kinds:
                r = measure(kind, workdir, pg, args.seconds)
                print(
                    f"| {kind} | {r['votes_on']:.0f} / {r['votes_off']:.0f} | {r['on_ms']:.2f} | "
                    f"{r['off_ms']:.2f} | {r['ratio']:.2f} |"
                )


if __name__ == "__main__":
    main()
