"""Running the real ``alteram`` command in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def alteram(
    *args: str,
    data_dir: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m alteram ARGS`` with its own data folder; returns the finished process."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("ALTERAM_")}
    full["COLUMNS"] = "200"
    if data_dir is not None:
        full["ALTERAM_DATA_DIR"] = str(data_dir)
    full.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "alteram", *args],
        capture_output=True,
        text=True,
        env=full,
        timeout=timeout,
    )
