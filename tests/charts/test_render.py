"""matplotlib is loaded on first use, keeps its cache out of the user's home, draws no GUI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import sys
import alteram.charts, alteram.web.app, alteram.cli.main
assert "matplotlib" not in sys.modules, "matplotlib loaded at import"
from alteram.charts import line_chart
svg = line_chart("认知差距", ["1", "2"], {"中国": [1.0, 2.0]})
assert "认知差距" in svg
import matplotlib
print(matplotlib.get_backend() if "matplotlib.pyplot" in sys.modules else "no pyplot")
print(matplotlib.get_cachedir())
"""


def _run(tmp_path: Path, data_dir: Path) -> subprocess.CompletedProcess[str]:
    home = tmp_path / "home"
    home.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ALTERAM_", "XDG_", "MPL")) and k != "HOME"
    }
    env.update(HOME=str(home), ALTERAM_DATA_DIR=str(data_dir))
    return subprocess.run(
        [sys.executable, "-W", "error", "-c", SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cache_goes_to_the_data_folder_not_the_home(tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = _run(tmp_path, data)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["no pyplot", str(data / "matplotlib")]
    assert list((data / "matplotlib").glob("fontlist-*.json"))
    assert list((tmp_path / "home").iterdir()) == []
    assert "Matplotlib" not in done.stderr  # no warning about an unwritable cache


def test_an_unwritable_data_folder_falls_back_to_a_temporary_one(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    done = _run(tmp_path, blocker / "data")
    assert done.returncode == 0, done.stderr
    cache = Path(done.stdout.split("\n")[1])
    assert cache.name.startswith("alteram-matplotlib-")
    assert list((tmp_path / "home").iterdir()) == []
