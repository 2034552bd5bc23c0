"""What drawing charts with matplotlib costs a server: start-up, the first page, later pages.

For the demo dialogue (analyses computed beforehand, so that only rendering is timed), a
real ``alteram serve`` is started in four ways and its pages are fetched over HTTP:

- cold: a new data folder, so matplotlib has no font list yet and builds it (in the
  background warm-up that starts a second after start-up);
- cold, asked at once: the first page is requested the moment the server answers
  /healthz, before the background warm-up can have finished;
- warm: the data folder of an earlier run (font list cached).

For each (median of ``--runs`` servers): the time from process start to /healthz, the
first timeline page, the median of the next ``--repeats`` timeline pages (the charts then
come from the chart cache) and of results pages in both languages, and the first timeline
page in Chinese (charts drawn anew). ``--reference SRC`` runs the same against another
checkout's ``src`` (e.g. the hand-drawn SVG of main) in the same run, for ratios.

Run: ``.venv/bin/python benchmarks/charts_first_request.py [--reference ../main/src]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from _common import REPO


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(folder: Path, src: Path) -> Path:
    """A SQLite database with the demo dialogue and every round analysed."""
    db = folder / "alteram.db"
    code = (
        "from alteram.service.demo import create_demo\n"
        "from alteram.service.timeline import dialogue_timeline\n"
        "from alteram.store.database import Store\n"
        "from alteram.store.migrate import ensure_schema\n"
        f"s = Store('sqlite+pysqlite:///{db}')\n"
        "ensure_schema(s)\n"
        "create_demo(s)\n"
        "dialogue_timeline(s, dialogue_id=1)\n"
        "s.dispose()\n"
    )
    env = {**os.environ, "PYTHONPATH": str(src), "ALTERAM_DATA_DIR": str(folder)}
    subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)
    return db


def timed_get(client: httpx.Client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    response.raise_for_status()
    return time.perf_counter() - start


def run(src: Path, db: Path, data_dir: Path, *, wait: float, repeats: int) -> dict[str, float]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALTERAM_", "MPL"))}
    env.update(
        PYTHONPATH=str(src),
        ALTERAM_DATABASE_URL=f"sqlite+pysqlite:///{db}",
        ALTERAM_DATA_DIR=str(data_dir),
    )
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "alteram", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(timeout=120) as client:
            while True:
                try:
                    if client.get(base + "/healthz").status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.05)
            startup = time.perf_counter() - start
            time.sleep(wait)
            first = timed_get(client, base + "/dialogues/1/timeline")
            later = [timed_get(client, base + "/dialogues/1/timeline") for _ in range(repeats)]
            results = [
                timed_get(client, f"{base}/rounds/2/results?lang={lang}")
                for _ in range(repeats)
                for lang in ("en", "zh")
            ]
            new_lang = timed_get(client, base + "/dialogues/1/timeline?lang=zh")
    finally:
        process.terminate()
        process.wait(timeout=20)
    return {
        "startup": startup,
        "first": first,
        "later": statistics.median(later),
        "results": statistics.median(results),
        "first_zh": new_lang,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--runs", type=int, default=3, help="servers per case; medians shown")
    parser.add_argument("--reference", type=Path, help="another checkout's src, for ratios")
    args = parser.parse_args()
    trees = [("this tree", REPO / "src")]
    if args.reference:
        trees.append(("reference", args.reference.resolve()))
    print("times in ms: start-up to /healthz; first timeline page; median of later timeline")
    print("pages; median results page (en and zh); first timeline page in Chinese")
    for name, src in trees:
        work = Path(tempfile.mkdtemp(prefix="alteram-charts-bench-"))
        try:
            db = prepare(work, src)
            template = db.read_bytes()
            cases = [("cold", 3.0, True), ("cold, asked at once", 0.0, True), ("warm", 3.0, False)]
            data_dir = work / "data"
            for label, wait, fresh in cases:
                runs = []
                for _ in range(args.runs):
                    if fresh:
                        shutil.rmtree(data_dir, ignore_errors=True)
                    data_dir.mkdir(exist_ok=True)
                    db.write_bytes(template)
                    runs.append(run(src, db, data_dir, wait=wait, repeats=args.repeats))
                f = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
                print(
                    f"{name:9} {label:20} start-up {1000 * f['startup']:6.0f}  first "
                    f"{1000 * f['first']:6.0f}  later {1000 * f['later']:6.0f}  results "
                    f"{1000 * f['results']:6.0f}  first zh {1000 * f['first_zh']:6.0f}  "
                    f"(first / later {f['first'] / f['later']:.1f}x)"
                )
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
