"""alteram.moves is pure: no database, web or CLI imports (DESIGN.md §4)."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
from alteram.moves import classify
classify(["We demand an apology."])
forbidden = ("sqlalchemy", "fastapi", "starlette", "typer", "alembic")
layers = ("alteram.store", "alteram.web", "alteram.cli", "alteram.service")
print(sorted(m for m in sys.modules if m.split(".")[0] in forbidden or m.startswith(layers)))
"""


def test_no_database_web_or_cli_imports() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "[]"
