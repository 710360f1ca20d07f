"""Where the store meets its database: every SQLite and PostgreSQL difference in one place.

Opening an engine (SQLite: WAL, a busy timeout, ``BEGIN IMMEDIATE`` so writers
queue; read-only and immutable when the file may not be written), refusing a
file that is not a newstrace store before anything is written, serialising
writers (PostgreSQL: an advisory lock), and telling a read-only failure from
another. ``Corpus`` keeps the story logic and reaches the database only
through SQLAlchemy connections these functions hand it.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from newstrace.errors import StoreError

_BUSY_TIMEOUT_MS = 120_000
_PG_LOCK_KEY = 0x6E657773  # "news"


def read_only_error(message: str) -> bool:
    lowered = message.lower()
    return any(
        marker in lowered
        for marker in ("readonly database", "read-only transaction", "permission denied")
    )


def missing_sqlite_file(url: str) -> bool:
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        return False
    database = parsed.database or ""
    return (
        parsed.get_backend_name() == "sqlite"
        and database not in ("", ":memory:")
        and not database.startswith("file:")
        and not Path(database).exists()
    )


def open_engine(url: str, read_only: bool = False) -> Engine:
    path = sqlite_path(url) if read_only else None
    try:
        if (
            path is not None
        ):  # read-only; immutable (no lock, no -shm written) unless a WAL holds data
            wal = path.with_name(path.name + "-wal")
            pending = wal.exists() and wal.stat().st_size > 0
            uri = f"file:{quote(str(path.resolve()))}?mode=ro" + ("" if pending else "&immutable=1")
            engine = sa.create_engine(
                "sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)
            )
        else:
            engine = sa.create_engine(url)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError) as exc:
        raise StoreError(f"{url}: not a usable database URL ({exc})") from None
    except ImportError as exc:
        hint = " (pip install 'newstrace[postgres]')" if url.startswith("postgres") else ""
        raise StoreError(f"{shown_url(url)}: database driver missing ({exc}){hint}") from None
    if engine.dialect.name == "sqlite":
        _sqlite_transactions(engine, read_only)
    elif read_only:
        _read_only_transactions(engine)
    return engine


def _read_only_transactions(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("SET TRANSACTION READ ONLY")


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None: not SQLite, in memory, or a ``file:`` URI)."""
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        return None
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return None
    if database.startswith("file:"):
        return None
    return Path(database)


def writable(path: Path) -> bool:
    """Whether the store may be written: the file and its folder (journal files live there).

    A file or folder with no write permission bit counts as read-only even
    for root, whom ``os.access`` would let write: a shared archive marked 444
    stays as it is.
    """
    folder = path.parent if str(path.parent) else Path(".")
    write_bits = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    return all(os.access(p, os.W_OK) and os.stat(p).st_mode & write_bits for p in (path, folder))


_SQLITE_MAGIC = b"SQLite format 3\x00"


def _after_other_writers(path: Path) -> bytes:
    """The file's first bytes once no other process holds its write lock (nothing is written)."""
    try:
        conn = sqlite3.connect(path, timeout=_BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")  # waits for a writer creating the store, if any
            conn.execute("ROLLBACK")
        finally:
            conn.close()
    except sqlite3.Error:
        return b""
    with open(path, "rb") as handle:
        return handle.read(len(_SQLITE_MAGIC))


def refuse_foreign_file(path: Path) -> None:
    """Refuse a path that is not a newstrace store, before anything writes to it."""
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a newstrace store")
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the store ({exc.strerror or exc})") from None
    if not head and writable(path):
        head = _after_other_writers(path)  # another process may be creating the store right now
    if not head:
        raise StoreError(
            f"{path}: an empty file, not a newstrace store; give a new path (ingest creates it)"
        )
    if head != _SQLITE_MAGIC:
        raise StoreError(f"{path}: not a newstrace store (not a SQLite database)")
    try:
        conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1", uri=True)
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: not a readable newstrace store ({exc})") from None
    if tables and not ({"documents", "alembic_version"} & tables):
        raise StoreError(
            f"{path}: a SQLite database of another program (tables: "
            f"{', '.join(sorted(tables)[:5])}), not a newstrace store"
        )


def _sqlite_transactions(engine: Engine, read_only: bool = False) -> None:
    """WAL journal, a busy timeout, and BEGIN IMMEDIATE so writers queue instead of failing
    (read-only: plain BEGIN, the journal mode left as it is)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # let the "begin" hook below emit BEGIN
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        if not read_only:
            _switch_to_wal(cursor)
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        reading = read_only or conn.get_execution_options().get("newstrace_read")
        conn.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


def _switch_to_wal(cursor) -> None:
    """``PRAGMA journal_mode = WAL``, retried while another connection writes in the old mode.

    A new store file starts in rollback mode. While another process holds a
    write lock in that mode, SQLite fails the switch at once instead of calling
    the busy handler (it would deadlock), so two ingests opening a new file
    together could fail with "database is locked".
    """
    deadline = time.monotonic() + _BUSY_TIMEOUT_MS / 1000
    pause = 0.01
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.5)


def reading(engine: Engine) -> Connection:
    """A connection for reads only (on SQLite its transactions take no write lock)."""
    return engine.connect().execution_options(newstrace_read=True)


def writer_lock(conn: Connection) -> None:
    """Serialise writers: SQLite already holds the write lock (BEGIN IMMEDIATE)."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})


def shown_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url
