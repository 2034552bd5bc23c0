"""Fixtures shared by the whole suite.

Optional infrastructure becomes mandatory through environment variables that CI sets:
``ALTERAM_REQUIRE_DATA`` (../shared/data), ``ALTERAM_REQUIRE_POSTGRES`` and
``ALTERAM_REQUIRE_BROWSER``. Without them a test that lacks its infrastructure is skipped
with a reason that says what is missing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def required(variable: str) -> bool:
    """True when CI demands the infrastructure named by ``variable``."""
    return os.environ.get(variable, "").strip() not in ("", "0", "false", "no")


def shared_data_dir() -> Path | None:
    """The shared data folder: ``$ALTERAM_SHARED_DATA`` or ``../shared/data``."""
    env = os.environ.get("ALTERAM_SHARED_DATA")
    path = Path(env) if env else REPO.parent / "shared" / "data"
    return path if path.is_dir() else None


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Path to ../shared/data; skips (or fails under ALTERAM_REQUIRE_DATA) when absent."""
    path = shared_data_dir()
    if path is None:
        message = (
            "shared data not found: set ALTERAM_SHARED_DATA or put it at ../shared/data"
        )
        if required("ALTERAM_REQUIRE_DATA"):
            pytest.fail(message)
        pytest.skip(message)
    return path
