"""Opening the database: engines for SQLite and PostgreSQL, and transactions.

SQLite (the embedded default) runs in WAL mode with foreign keys on, a busy timeout and
``synchronous=FULL``; write transactions start with ``BEGIN IMMEDIATE`` so that two writers
never dead-lock on a lock upgrade. PostgreSQL is chosen by a ``postgresql+psycopg://`` URL.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from alteram.errors import N_, StoreUnavailable

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
POOL_SIZE = 20  # connections kept open per process on PostgreSQL
RETRY_AFTER_S = 5  # what a 503 of a database that is away asks clients to wait


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own is deferred only).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def redact(url: str) -> str:
    """The URL with its password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"


class Store:
    """A database: an engine, and sessions that are each one transaction.

    Parameters
    ----------
    url : str
        SQLAlchemy URL, e.g. ``sqlite+pysqlite:///path/alteram.db`` or
        ``postgresql+psycopg://user@host/db``.
    create_dir : bool
        Create the folder of a SQLite file when missing.
    connections : int
        Most connections this process opens to PostgreSQL (pool and overflow).
    """

    def __init__(self, url: str, *, create_dir: bool = True, connections: int = 50) -> None:
        self.url = url
        try:
            parsed = make_url(url)
        except ArgumentError as exc:
            raise StoreUnavailable(
                f"the database URL {url!r} is not a valid SQLAlchemy URL.",
                hint="Set ALTERAM_DATABASE_URL to e.g. postgresql+psycopg://user@host/db, "
                "or unset it to use SQLite.",
            ) from exc
        self.dialect = parsed.get_backend_name()
        kwargs: dict[str, Any] = {}
        if self.dialect == "sqlite":
            path = parsed.database
            if path and path != ":memory:":
                self.path: Path | None = Path(path)
                if create_dir:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
            else:
                self.path = None
            kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
        elif self.dialect == "postgresql":
            self.path = None
            kwargs["pool_pre_ping"] = True
            # As many connections as the web server's worker threads (AnyIO: 40), or fewer
            # when several processes share the server's max_connections.
            kwargs["pool_size"] = min(POOL_SIZE, connections)
            kwargs["max_overflow"] = connections - kwargs["pool_size"]
            kwargs["connect_args"] = {"connect_timeout": 5}
        else:
            raise StoreUnavailable(
                f"the database URL {redact(url)} names {self.dialect!r}, which alteram does not "
                "support.",
                hint="Use SQLite (unset ALTERAM_DATABASE_URL) or postgresql+psycopg://...",
            )
        try:
            self.engine: Engine = create_engine(url, **kwargs)
        except (ArgumentError, ImportError) as exc:
            raise StoreUnavailable(
                f"cannot use the database URL {redact(url)}: {exc}.",
                hint="Check ALTERAM_DATABASE_URL.",
            ) from exc
        if self.dialect == "sqlite":
            event.listen(self.engine, "connect", _sqlite_connect)
            event.listen(self.engine, "begin", _sqlite_begin)
            writer: Engine = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        else:
            writer = self.engine
        self._write_lock: AbstractContextManager[Any] = (
            threading.RLock() if self.dialect == "sqlite" else nullcontext()
        )
        self._reader = sessionmaker(bind=self.engine, expire_on_commit=False)
        self._writer = sessionmaker(bind=writer, expire_on_commit=False)

    # -- transactions -----------------------------------------------------------------

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: committed on success, rolled back on any error.

        On SQLite, writers of this process take turns on a lock first, so they queue in
        order instead of polling SQLite's busy handler.
        """
        with self._write_lock, self._translate(), self._writer() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """One read-only transaction (rolled back at the end)."""
        with self._translate(), self._reader() as session, session.begin():
            yield session
            session.rollback()

    @contextmanager
    def _translate(self) -> Iterator[None]:
        try:
            yield
        except PoolTimeout as exc:
            raise _later(
                StoreUnavailable(
                    N_("the database is busy: every connection to it is in use."),
                    hint=N_("Try again in a moment."),
                )
            ) from exc
        except DBAPIError as exc:
            if self.dialect == "postgresql" and _is_disconnect(exc):
                raise self.lost(exc) from exc
            cause = _cause(exc)
            if cause == "full":
                raise self.full(exc) from exc
            if cause == "read-only":
                raise self.read_only(exc) from exc
            if isinstance(exc, OperationalError):
                if "database is locked" in str(exc.orig):
                    raise StoreUnavailable(
                        "the database is busy with other writes.", hint="Try again in a moment."
                    ) from exc
                if _is_connection_error(exc):
                    raise self.unavailable(exc) from exc
            if isinstance(exc.orig, sqlite3.DatabaseError) and "not a database" in str(exc.orig):
                raise self.unavailable(exc) from exc
            raise

    def _where(self) -> str:
        return str(self.path) if self.path is not None else redact(self.url)

    def full(self, exc: BaseException) -> StoreUnavailable:
        """A clear error for a write refused because the database's disk is full."""
        return StoreUnavailable(
            f"the disk that holds the database ({self._where()}) is full, so this change was "
            "not stored.",
            hint="Free space on that disk or move the database to a larger one, then send it "
            "again; reading goes on working.",
        )

    def read_only(self, exc: BaseException) -> StoreUnavailable:
        """A clear error for a write refused because the database is read-only."""
        return StoreUnavailable(
            f"the database ({self._where()}) is read-only, so this change was not stored.",
            hint="Make it writable again (the file's permissions or mount, or a PostgreSQL "
            "server in read-only mode), then send it again; reading goes on working.",
        )

    def lost(self, exc: DBAPIError) -> StoreUnavailable:
        """A clear error for a request cut short because the database went away mid-way.

        The database may have committed a change before the connection broke, so the
        message does not claim either way; the pool reconnects by itself (pre-ping).
        """
        reason = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else "-"
        return _later(
            StoreUnavailable(
                N_(
                    "the connection to the database at %(where)s was lost (%(reason)s), so "
                    "this request could not finish; a change it carried may or may not have "
                    "been stored."
                ),
                hint=N_(
                    "Try again in a moment: the server reconnects by itself once the "
                    "database is back."
                ),
                params={"where": redact(self.url), "reason": reason},
            )
        )

    def _read_only_folder(self) -> bool:
        """True when the SQLite file's folder is on a read-only mount or not writable."""
        if self.path is None:
            return False
        folder = self.path.parent
        try:
            return bool(os.statvfs(folder).f_flag & os.ST_RDONLY) or not os.access(folder, os.W_OK)
        except OSError:
            return False

    def _disk_full(self) -> bool:
        """True when the SQLite file's disk has no room left (SQLite then says "disk I/O")."""
        if self.path is None:
            return False
        try:
            return shutil.disk_usage(self.path.parent).free < 64 * 1024
        except OSError:
            return False

    def unavailable(self, exc: BaseException) -> StoreUnavailable:
        """A clear error for a database that cannot be opened or reached."""
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        if self.dialect == "sqlite" and "disk i/o" in reason.lower() and self._disk_full():
            return StoreUnavailable(
                f"the disk that holds the database ({self._where()}) is full, so SQLite cannot "
                "open it; nothing was changed.",
                hint="Free space on that disk or move the database to a larger one, then try "
                "again.",
            )
        if self.dialect == "sqlite" and self._read_only_folder():
            return StoreUnavailable(
                N_(
                    "the SQLite database %(path)s is on a read-only disk or in a read-only "
                    "folder, so it cannot be opened (SQLite writes its -wal and -shm files "
                    "beside it); nothing was changed."
                ),
                hint=N_(
                    "Make that folder writable again (remount the disk read-write or fix its "
                    "permissions), then start again; the database itself is untouched."
                ),
                params={"path": str(self.path)},
            )
        if self.dialect == "sqlite":
            return StoreUnavailable(
                f"cannot open the SQLite database {self.path}: {reason}.",
                hint="Check the file and ALTERAM_DATA_DIR, or move the file away to start afresh.",
            )
        return _later(
            StoreUnavailable(
                f"cannot reach the database at {redact(self.url)}: {reason}.",
                hint="Check ALTERAM_DATABASE_URL and that the server is running.",
            )
        )

    def check(self) -> None:
        """Connect once; raise :class:`StoreUnavailable` with a clear message if impossible."""
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
                if self.dialect == "sqlite":
                    conn.exec_driver_sql("SELECT count(*) FROM sqlite_master")
        except (OperationalError, DBAPIError) as exc:
            raise self.unavailable(exc) from exc

    def exists(self) -> bool:
        """True when the database holds alteram's tables."""
        if self.dialect == "sqlite" and self.path is not None and not self.path.exists():
            return False
        self.check()
        with self.engine.connect() as conn:
            return inspect(conn).has_table("dialogues")

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def _cause(exc: DBAPIError) -> str | None:
    """``"full"`` or ``"read-only"`` when that is why the database refused a write."""
    text = str(exc.orig).lower()
    state = str(getattr(exc.orig, "sqlstate", "") or "")
    if "database or disk is full" in text or state == "53100" or "no space left" in text:
        return "full"
    if "readonly database" in text or state == "25006" or "read-only transaction" in text:
        return "read-only"
    return None


def _later(error: StoreUnavailable) -> StoreUnavailable:
    """``error`` with a Retry-After for the web layer: the database may be back soon."""
    error.retry_after = RETRY_AFTER_S  # type: ignore[attr-defined]
    return error


# PostgreSQL's SQLSTATEs of a server that is going away or not yet back: class 08
# (connection exception), admin/crash shutdown, "cannot connect now" (starting up, in
# recovery, shutting down).
_GONE_STATES = ("57P01", "57P02", "57P03")
_GONE_MARKERS = (
    "server closed the connection",
    "terminating connection",
    "connection is lost",
    "connection is closed",
    "connection was closed",
    "consuming input failed",
    "the database system is",
    "ssl syscall",
    "connection reset",
    "broken pipe",
)


def _is_disconnect(exc: DBAPIError) -> bool:
    """True when the database connection broke mid-request (not a refused statement)."""
    state = str(getattr(exc.orig, "sqlstate", "") or "")
    if exc.connection_invalidated or state.startswith("08") or state in _GONE_STATES:
        return True
    text = str(exc.orig).lower()
    return any(m in text for m in _GONE_MARKERS)


def _is_connection_error(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    markers = (
        "unable to open",
        "could not connect",
        "connection refused",
        "connection failed",
        "does not exist",
        "timeout expired",
        "authentication failed",
        "not a database",
        "disk i/o",
        "name or service not known",
    )
    return any(m in text for m in markers)
