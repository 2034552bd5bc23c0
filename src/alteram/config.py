"""Runtime settings, read once from the environment and validated.

Every setting has a default and help text in :data:`SETTINGS_HELP`; ``README.md`` documents
each of them (a test checks that it does).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from alteram.errors import ConfigurationError


def default_data_dir() -> Path:
    """``$XDG_DATA_HOME/alteram``, or ``~/.local/share/alteram`` when that is unset."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "alteram"


SETTINGS_HELP: dict[str, str] = {
    "ALTERAM_DATABASE_URL": "SQLAlchemy URL of the database; unset: SQLite in the data folder.",
    "ALTERAM_DATA_DIR": "Folder of the SQLite database file (alteram.db) and other local state.",
    "ALTERAM_HOST": "Address the web server listens on.",
    "ALTERAM_PORT": "Port the web server listens on.",
    "ALTERAM_SECRET_KEY": "Secret that signs sessions (32 characters or more); required "
    "unless ALTERAM_DEV is set.",
    "ALTERAM_DEV": "1 on a development machine: allows the development secret key "
    "(`alteram serve --dev`, `make run`).",
    "ALTERAM_PUBLIC_URL": "Base URL people reach the server at (e.g. "
    "https://dialogue.example.org); invite links are built from it, never from the Host header.",
    "ALTERAM_TRUSTED_PROXIES": "Comma-separated addresses of reverse proxies whose "
    "X-Forwarded-For and X-Forwarded-Proto headers are believed; empty: none.",
    "ALTERAM_MAX_BODY_BYTES": "Largest request body accepted; larger ones get 413 before they "
    "are read.",
    "ALTERAM_DB_CONNECTIONS": "Most PostgreSQL connections one server process opens (its pool and "
    "overflow); `alteram serve --workers N` lowers it so that N workers fit the server's "
    "max_connections.",
    "ALTERAM_RATE_LIMITS": "on, or off to turn every rate limit off (load tests on loopback only).",
    "ALTERAM_ACCESS_LOG": "on: the web server logs a line per request (paths' secrets redacted); "
    "off: no access log.",
    "ALTERAM_TRANSLATION_BACKEND": "Machine translation: off, libretranslate or llm.",
    "ALTERAM_LIBRETRANSLATE_URL": "Base URL of a LibreTranslate server (e.g. http://127.0.0.1:5000).",
    "ALTERAM_LIBRETRANSLATE_API_KEY": "API key of the LibreTranslate server, if it wants one.",
    "ALTERAM_LLM_URL": "Base URL of an OpenAI-compatible server (e.g. http://127.0.0.1:11434/v1).",
    "ALTERAM_LLM_MODEL": "Model name sent to the language-model server.",
    "ALTERAM_LLM_API_KEY": "API key of the language-model server, if it wants one.",
    "ALTERAM_BACKEND_TIMEOUT": "Seconds one request to a backend may take.",
    "ALTERAM_BACKEND_RETRIES": "Retries after a failed backend request (with backoff).",
    "ALTERAM_DASK_SCHEDULER": "Where 'alteram analyze' runs by default: unset (in memory), "
    "'local' (a Dask cluster on this machine) or tcp://HOST:PORT of a Dask scheduler.",
}

TranslationBackend = Literal["off", "libretranslate", "llm"]
DEV_SECRET = "dev-only-secret-change-me"
MIN_SECRET = 32


class Settings(BaseSettings):
    """alteram's settings; each field is read from ``ALTERAM_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="ALTERAM_", extra="ignore")

    database_url: str | None = Field(default=None)
    data_dir: Path = Field(default_factory=default_data_dir)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    secret_key: str = DEV_SECRET
    dev: bool = False
    public_url: str | None = Field(default=None)
    trusted_proxies: str = ""
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    db_connections: int = Field(default=50, ge=2, le=10_000)
    rate_limits: Literal["on", "off"] = "on"
    access_log: Literal["on", "off"] = "on"
    translation_backend: TranslationBackend = "off"
    libretranslate_url: str | None = None
    libretranslate_api_key: SecretStr | None = None
    llm_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    backend_timeout: float = Field(default=20.0, gt=0, le=600)
    backend_retries: int = Field(default=3, ge=0, le=10)
    dask_scheduler: str | None = Field(default=None)

    @field_validator(
        "database_url",
        "public_url",
        "libretranslate_url",
        "llm_url",
        "llm_model",
        "dask_scheduler",
        mode="before",
    )
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        if isinstance(value, str):
            return value.strip() or None
        return value

    @field_validator("libretranslate_api_key", "llm_api_key", mode="before")
    @classmethod
    def _blank_key_is_none(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("translation_backend", mode="before")
    @classmethod
    def _backend_lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("libretranslate_url", "llm_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        return None if value is None else _check_base_url(value)

    @model_validator(mode="after")
    def _backend_has_what_it_needs(self) -> Settings:
        if self.translation_backend == "libretranslate" and not self.libretranslate_url:
            raise ValueError(
                "ALTERAM_TRANSLATION_BACKEND=libretranslate needs ALTERAM_LIBRETRANSLATE_URL "
                "(e.g. http://127.0.0.1:5000)."
            )
        if self.translation_backend == "llm" and not self.llm_url:
            raise ValueError(
                "ALTERAM_TRANSLATION_BACKEND=llm needs ALTERAM_LLM_URL "
                "(e.g. http://127.0.0.1:11434/v1 for Ollama)."
            )
        if self.llm_url and not self.llm_model:
            raise ValueError(
                "ALTERAM_LLM_URL is set but ALTERAM_LLM_MODEL is not: name the model to use "
                "(e.g. qwen2.5:7b for Ollama; llama.cpp's server accepts any name)."
            )
        return self

    @field_validator("public_url")
    @classmethod
    def _a_base_url(cls, value: str | None) -> str | None:
        """e.g. https://dialogue.example.org (a path is allowed: the server may be mounted)."""
        return None if value is None else _check_base_url(value)

    def check_secret(self) -> None:
        """Refuse to serve with the development secret key (or a short one) outside development.

        Raises
        ------
        ConfigurationError
            Unless ``dev`` is set, when the key is the development default or shorter than
            :data:`MIN_SECRET` characters.
        """
        if self.dev:
            return
        if self.secret_key == DEV_SECRET or len(self.secret_key) < MIN_SECRET:
            what = (
                "is not set (the development key is in force)"
                if self.secret_key == DEV_SECRET
                else f"has {len(self.secret_key)} characters, fewer than {MIN_SECRET}"
            )
            raise ConfigurationError(
                f"ALTERAM_SECRET_KEY {what}: alteram refuses to sign sessions with it.",
                hint="Set ALTERAM_SECRET_KEY to a long random value, e.g. the output of "
                "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'; on your own "
                "machine, ALTERAM_DEV=1 (or alteram serve --dev) allows the development key.",
            )

    def base_url(self) -> str:
        """Where people reach the server: ``public_url``, else this host and port over http."""
        if self.public_url:
            return self.public_url
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def proxies(self) -> list[str]:
        """The trusted proxies' addresses."""
        return [p.strip() for p in self.trusted_proxies.split(",") if p.strip()]

    @property
    def https(self) -> bool:
        """True when people reach the server over HTTPS (cookies must then be Secure)."""
        return self.base_url().startswith("https://")

    @property
    def sqlite_path(self) -> Path:
        """Where the embedded database lives when no URL is given."""
        return self.data_dir / "alteram.db"

    def resolved_database_url(self) -> str:
        """The database URL in force: the configured one or the SQLite file."""
        if self.database_url:
            return self.database_url
        return f"sqlite+pysqlite:///{self.sqlite_path}"


def _check_base_url(value: str) -> str:
    """``value`` without a trailing slash, or ValueError when it is not an http(s) base URL."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http:// or https:// URL with a host.")
    if parts.username is not None or parts.password is not None:
        raise ValueError(
            "must not carry a user or password; put the key in the matching *_API_KEY setting."
        )
    if parts.query or parts.fragment:
        raise ValueError("must be a base URL without '?query' or '#fragment'.")
    try:
        parts.port  # noqa: B018 (parsing the port validates it)
    except ValueError:
        raise ValueError("has an invalid port.") from None
    if parts.path.rstrip("/").endswith(("/chat/completions", "/translate")):
        raise ValueError("must be the server's base URL, without the endpoint path.")
    return value.rstrip("/")


def _describe(error: ValidationError) -> str:
    """One sentence per problem, each naming its ``ALTERAM_*`` variable (never a secret)."""
    problems = []
    for item in error.errors():
        message = str(item["msg"]).removeprefix("Value error, ").rstrip(".") + "."
        if not item["loc"]:
            problems.append(message)
            continue
        name = f"ALTERAM_{str(item['loc'][0]).upper()}"
        value = item.get("input")
        if name.endswith("_API_KEY") or not isinstance(value, str | int | float):
            problems.append(f"{name}: {message}")
        else:
            problems.append(f"{name} ({_without_userinfo(str(value))!r}): {message}")
    return " ".join(problems)


def _without_userinfo(text: str) -> str:
    """``text`` with any ``user:password@`` of a URL left out."""
    scheme, sep, rest = text.partition("://")
    if sep and "@" in rest.split("/", 1)[0]:
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return text


def load_settings(**values: Any) -> Settings:
    """Read and validate the settings; a bad value raises :class:`ConfigurationError`.

    ``values`` override the environment (by field name, e.g. ``backend_timeout=2``).
    """
    try:
        return Settings(**values)
    except ValidationError as exc:
        raise ConfigurationError(
            f"invalid settings: {_describe(exc)}",
            hint="Fix the variable in the environment and start again.",
        ) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once); a bad value raises ConfigurationError."""
    return load_settings()
