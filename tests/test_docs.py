"""The README stays true: every setting is documented, the two commands are there."""

from __future__ import annotations

from alteram.config import SETTINGS_HELP
from tests.conftest import REPO


def test_every_setting_is_documented() -> None:
    readme = (REPO / "README.md").read_text()
    for name in SETTINGS_HELP:
        assert f"`{name}`" in readme, f"{name} is not documented in README.md"


def test_the_two_commands_are_documented() -> None:
    readme = (REPO / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
    makefile = (REPO / "Makefile").read_text()
    assert "\nrun:" in makefile and "\ntest:" in makefile
