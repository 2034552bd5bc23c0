"""alteram.backends reaches nothing above it: no store, service, web or CLI (DESIGN.md §4)."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
import alteram.backends, alteram.backends.doubles, alteram.backends.check
forbidden = ("sqlalchemy", "fastapi", "starlette", "typer", "alembic", "psycopg")
layers = ("alteram.store", "alteram.web", "alteram.cli", "alteram.service", "alteram.engine")
print(sorted(m for m in sys.modules if m.split(".")[0] in forbidden or m.startswith(layers)))
"""


def test_no_store_service_web_or_cli_imports() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "[]"
