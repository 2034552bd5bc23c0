"""Where a chart's time goes: loading matplotlib, its font list (built once per cache
folder), and drawing, each measured in fresh processes.

Per run, a new interpreter (alteram already imported): import matplotlib; load its font
list, with an empty cache folder (``cold``: matplotlib scans the system's fonts and writes
the list) or the folder of the previous run (``warm``); import its figure and SVG modules;
then draw a first trend chart, 20 more (distinct, so not from the cache), and opinion maps
of 320 and 5,000 participants.
Medians of ``--runs`` runs.

Run: ``.venv/bin/python benchmarks/charts_speed.py [--runs 5]``
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import json, time
from alteram.charts import _render
_render.load()
t = time.perf_counter()
import matplotlib
t_import = time.perf_counter() - t
t = time.perf_counter()
import matplotlib.font_manager as fm  # loads the font list, or builds and writes it
t_fonts = time.perf_counter() - t
t = time.perf_counter()
import matplotlib.figure, matplotlib.backends.backend_svg
t_figure = time.perf_counter() - t
import numpy as np
from alteram.charts import line_chart, opinion_map_svg
labels = ["1\n2019", "2\n2021", "3\n2026"]
def chart(i):
    return line_chart(f"Participants who voted, per side {i}", labels,
                      {"China": [88.0, 110.0, 128.0 + i], "United States": [89.0, 108.0, 131.0]},
                      kind="count", x_label="Round", key=f"k{i}")
t = time.perf_counter(); chart(0); t_first = time.perf_counter() - t
times = []
for i in range(1, 21):
    t = time.perf_counter(); chart(i); times.append(time.perf_counter() - t)
rng = np.random.default_rng(0)
def a_map(n):
    t = time.perf_counter()
    opinion_map_svg(rng.normal(size=(n, 2)), rng.integers(-1, 3, n),
                    sides=["A" if i % 2 else "B" for i in range(n)], key=f"m{n}")
    return time.perf_counter() - t
print(json.dumps({"import matplotlib": t_import, "font list": t_fonts,
                  "figure and SVG modules": t_figure, "first chart": t_first,
                  "chart": sorted(times)[len(times) // 2], "map 320": a_map(320),
                  "map 5000": a_map(5000)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="alteram-charts-speed-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALTERAM_", "MPL"))}
    env["ALTERAM_DATA_DIR"] = str(work)
    try:
        for state in ("cold", "warm"):
            runs = []
            for _ in range(args.runs):
                if state == "cold":
                    shutil.rmtree(work / "matplotlib", ignore_errors=True)
                done = subprocess.run(
                    [sys.executable, "-c", CHILD],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                runs.append(json.loads(done.stdout))
            row = {k: 1000 * statistics.median(r[k] for r in runs) for k in runs[0]}
            print(f"{state}: " + ", ".join(f"{k} {v:.0f} ms" for k, v in row.items()))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
