"""Runtime settings, read once from the environment and validated.

Every setting has a default and help text in :data:`SETTINGS_HELP`; ``README.md`` documents
each of them (a test checks that it does).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    """``$XDG_DATA_HOME/alteram``, or ``~/.local/share/alteram`` when that is unset."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "alteram"


SETTINGS_HELP: dict[str, str] = {
    "ALTERAM_DATABASE_URL": "SQLAlchemy URL of the database; unset: SQLite in the data folder.",
    "ALTERAM_DATA_DIR": "Folder of the SQLite database file (alteram.db) and other local state.",
    "ALTERAM_HOST": "Address the web server listens on.",
    "ALTERAM_PORT": "Port the web server listens on.",
    "ALTERAM_SECRET_KEY": "Secret that signs sessions; set it in production.",
}


class Settings(BaseSettings):
    """alteram's settings; each field is read from ``ALTERAM_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="ALTERAM_", extra="ignore")

    database_url: str | None = Field(default=None)
    data_dir: Path = Field(default_factory=default_data_dir)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    secret_key: str = "dev-only-secret-change-me"

    @field_validator("database_url")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None

    @property
    def sqlite_path(self) -> Path:
        """Where the embedded database lives when no URL is given."""
        return self.data_dir / "alteram.db"

    def resolved_database_url(self) -> str:
        """The database URL in force: the configured one or the SQLite file."""
        if self.database_url:
            return self.database_url
        return f"sqlite+pysqlite:///{self.sqlite_path}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once)."""
    return Settings()
