"""Fixtures shared by the whole suite.

Optional infrastructure becomes mandatory through environment variables that CI sets:
``ALTERAM_REQUIRE_DATA`` (../shared/data), ``ALTERAM_REQUIRE_POSTGRES``,
``ALTERAM_REQUIRE_BROWSER`` and ``ALTERAM_REQUIRE_MOUNT`` (a small tmpfs to fill up).
Without them a test that lacks its infrastructure is skipped with a reason that says what
is missing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# In CI the property tests draw the same examples every run (no flaky red builds); run
# locally with HYPOTHESIS_PROFILE=explore to search new examples.
settings.register_profile("ci", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

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
        message = "shared data not found: set ALTERAM_SHARED_DATA or put it at ../shared/data"
        if required("ALTERAM_REQUIRE_DATA"):
            pytest.fail(message)
        pytest.skip(message)
    return path


# -- databases ------------------------------------------------------------------------
#
# Every store test runs on SQLite and on a real PostgreSQL server. The server is
# ALTERAM_TEST_POSTGRES (a URL without database name, e.g. postgresql+psycopg://u@h:5432/)
# or a throw-away cluster this fixture initialises. Each test gets a database of its own,
# copied from a migrated template.

import contextlib  # noqa: E402
import glob  # noqa: E402
import itertools  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
from collections.abc import Iterator  # noqa: E402

from alteram.store.database import Store  # noqa: E402
from alteram.store.migrate import upgrade  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def _postgres_unavailable(reason: str) -> None:
    message = f"PostgreSQL is not available: {reason}"
    if required("ALTERAM_REQUIRE_POSTGRES"):
        pytest.fail(message + " (ALTERAM_REQUIRE_POSTGRES is set)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """URL prefix of a running PostgreSQL server (no database name)."""
    env = os.environ.get("ALTERAM_TEST_POSTGRES")
    if env:
        yield env.rstrip("/") + "/"
        return
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not bins:
        _postgres_unavailable("no initdb under /usr/lib/postgresql (apt-get install postgresql)")
    bindir = Path(bins[-1]).parent
    datadir = Path(tempfile.mkdtemp(prefix="alteram-pg-"))
    if os.geteuid() == 0:
        shutil.chown(datadir, "postgres", "postgres")
    port = _free_port()
    try:
        subprocess.run(
            _as_postgres(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(datadir),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--no-sync",
                ]
            ),
            check=True,
            capture_output=True,
        )
        subprocess.run(
            _as_postgres(
                [
                    str(bindir / "pg_ctl"),
                    "-D",
                    str(datadir),
                    "-l",
                    str(datadir / "log"),
                    "-o",
                    f"-c listen_addresses=127.0.0.1 -p {port} -k /tmp -c fsync=off",
                    "-w",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )
    except (subprocess.CalledProcessError, FileNotFoundError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        _postgres_unavailable(f"cannot start a throw-away cluster: {exc} {detail.decode()[:300]}")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/"
    finally:
        subprocess.run(
            _as_postgres([str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(datadir, ignore_errors=True)


_counter = itertools.count()


def _admin(server: str, sql: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(server + "postgres", isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(sql)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def postgres_template(postgres_server: str) -> str:
    """A migrated template database on the server; returns its name."""
    name = f"alteram_template_{os.getpid()}"
    _admin(postgres_server, f"DROP DATABASE IF EXISTS {name}")
    _admin(postgres_server, f"CREATE DATABASE {name}")
    store = Store(postgres_server + name)
    upgrade(store)
    store.dispose()
    return name


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file to copy for each test."""
    path = tmp_path_factory.mktemp("template") / "alteram.db"
    store = Store(f"sqlite+pysqlite:///{path}")
    upgrade(store)
    store.dispose()
    return path


def make_database(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, migrated database of ``kind`` ("sqlite" or "postgres"); returns its URL."""
    if kind == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        target = tmp_path / "alteram.db"
        shutil.copyfile(template, target)
        return f"sqlite+pysqlite:///{target}"
    server: str = request.getfixturevalue("postgres_server")
    name_of_template: str = request.getfixturevalue("postgres_template")
    name = f"alteram_test_{os.getpid()}_{next(_counter)}"
    _admin(server, f"CREATE DATABASE {name} TEMPLATE {name_of_template}")
    return server + name


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of a fresh migrated database, once on SQLite and once on PostgreSQL."""
    return make_database(request.param, request, tmp_path)


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """A :class:`Store` on a fresh migrated database (both backends)."""
    s = Store(database_url)
    try:
        yield s
    finally:
        s.dispose()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A folder on a 2 MiB tmpfs, to fill up; needs root (``ALTERAM_REQUIRE_MOUNT`` in CI)."""
    folder = tmp_path / "small-disk"
    folder.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        message = f"cannot mount a small tmpfs (needs root): {done.stderr.strip()}"
        if required("ALTERAM_REQUIRE_MOUNT"):
            pytest.fail(message + " (ALTERAM_REQUIRE_MOUNT is set)")
        pytest.skip(message)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill(folder: Path) -> Path:
    """Fill the file system of ``folder`` to the last byte; returns the filler to delete."""
    filler = folder / "filler"
    fh = filler.open("wb")
    with contextlib.suppress(OSError):
        while True:
            fh.write(b"\0" * 4096)
            fh.flush()
    with contextlib.suppress(OSError):
        fh.close()
    return filler


@pytest.fixture
def sqlite_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A :class:`Store` on a fresh migrated SQLite file only."""
    s = Store(make_database("sqlite", request, tmp_path))
    try:
        yield s
    finally:
        s.dispose()
