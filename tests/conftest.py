"""Shared fixtures: the ``../shared`` data, a throwaway PostgreSQL server, store URLs.

``../shared`` (the seeds and the labelled dev data) lies beside a checkout of
the project, not inside it. Tests that read it are marked ``shared`` (or take
the ``shared`` fixture) and import its paths from here; without the folder
they are skipped on a developer's machine and FAIL in CI (``CI`` set).

The server is Debian's PostgreSQL (``scripts/test`` installs it when missing),
started once per test session from a fresh ``initdb`` in a temporary folder,
listening on a free port of 127.0.0.1 only, and stopped at the end. PostgreSQL
refuses to run as root, so as root it runs as the ``postgres`` system user
(or ``nobody``). Without a server, store tests on PostgreSQL are skipped on a
developer's machine and FAIL in CI (``CI`` set), so CI never passes silently
without them.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

BACKENDS = ("sqlite", "postgresql")

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"
DEV = SHARED / "dev"
ECB = DEV / "ecb"
_NO_SHARED = f"{SHARED} (seeds and dev data) is not beside this checkout"


def _need_shared() -> None:
    if not SEEDS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(_NO_SHARED)
        pytest.skip(_NO_SHARED)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("shared"):
        _need_shared()


def newstrace(
    *args: str | Path,
    cwd: Path | None = None,
    stdin: bytes | None = None,
    text: bool = True,
    timeout: float = 300,
) -> subprocess.CompletedProcess:
    """The ``newstrace`` command in a fresh interpreter, as a user runs it (exit code and both
    streams captured; ``text=False`` keeps them bytes, for names that are not UTF-8)."""
    return subprocess.run(
        [sys.executable, "-m", "newstrace.cli", *map(str, args)],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=text,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ``../shared`` folder; skips the test when it is absent (fails in CI)."""
    _need_shared()
    return SHARED


def _postgres_bin() -> Path | None:
    """The folder holding initdb/pg_ctl: $NEWSTRACE_PG_BIN, Debian's newest version, or PATH."""
    if os.environ.get("NEWSTRACE_PG_BIN"):
        return Path(os.environ["NEWSTRACE_PG_BIN"])
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name)
    )
    if versions:
        return versions[-1].parent
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_user() -> str | None:
    """Who runs the server: None (ourselves) unless we are root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    pytest.fail(
        "running as root and neither a 'postgres' nor a 'nobody' user exists to run PostgreSQL"
    )


def _run_as(user: str | None, args: list[str]) -> subprocess.CompletedProcess:
    command = ["runuser", "-u", user, "--", *args] if user else args
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


class PostgresServer:
    """A running throwaway server; ``database()`` makes a fresh, empty database on it."""

    def __init__(self, bindir: Path, folder: Path, user: str | None):
        self.bindir, self.folder, self.user = bindir, folder, user
        self.port = _free_port()
        self._numbers = itertools.count(1)

    def start(self) -> None:
        data, log = self.folder / "data", self.folder / "server.log"
        made = _run_as(
            self.user,
            [
                str(self.bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "newstrace",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
                "--no-instructions",
            ],
        )
        if made.returncode:
            pytest.fail(f"initdb failed: {made.stderr.strip()}")
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        started = _run_as(
            self.user,
            [
                str(self.bindir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(log),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
            ],
        )
        if started.returncode:
            pytest.fail(
                f"PostgreSQL did not start: {started.stderr.strip()} {log.read_text() if log.exists() else ''}"
            )

    def stop(self) -> None:
        _run_as(
            self.user,
            [
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.folder / "data"),
                "-m",
                "immediate",
                "stop",
            ],
        )

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://newstrace@127.0.0.1:{self.port}/{database}"

    def database(self) -> str:
        import sqlalchemy as sa

        name = f"store{next(self._numbers)}"
        engine = sa.create_engine(self.url(), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text(f"CREATE DATABASE {name}"))
        engine.dispose()
        return self.url(name)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    bindir = _postgres_bin()
    if bindir is None or not (bindir / "initdb").exists():
        message = "PostgreSQL server binaries not found (scripts/test installs Debian's postgresql package)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    user = _server_user()
    folder = Path(tempfile.mkdtemp(prefix="newstrace-pg-"))
    if user:
        shutil.chown(folder, user=user)
    server = PostgresServer(bindir, folder, user)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def new_store_url(request) -> Callable[[str, Path], str]:
    """``new_store_url(backend, folder)``: the URL of a fresh, empty store on that backend."""

    def make(backend: str, folder: Path) -> str:
        if backend == "sqlite":
            return f"sqlite:///{folder / 'store.db'}"
        return request.getfixturevalue("postgres").database()

    return make


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path, new_store_url) -> str:
    """A fresh, empty store on SQLite and then on PostgreSQL: the same test runs on both."""
    return new_store_url(request.param, tmp_path)


def linked_story(origin: str, copy: str, published: str = "2024-10-23", ids=("a", "b")):
    """The story of an article and a copy the reuse stage linked to it as its rewrite, facts compared."""
    from newstrace.facts import compare_facts
    from newstrace.model import Document, ReuseLink, Story

    documents = [
        Document(id=ids[0], origin=ids[0], text=origin, published=published),
        Document(id=ids[1], origin=ids[1], text=copy, published=published),
    ]
    link = ReuseLink(derived=ids[1], origin=ids[0], directed=True, kind="rewrite", score=0.9)
    story = Story(id="s", title="t", documents=list(ids), reuse=[link])
    compare_facts(documents, [story])
    return story


def linked_facts(origin: str, copy: str, published: str = "2024-10-23"):
    """The facts between an article and a copy linked to it as its rewrite."""
    return linked_story(origin, copy, published).facts


def facts_between(first: str, second: str, published=("2024-10-23", "2024-10-23")):
    """The facts the stage finds between two one-story articles (the facts tests' probe)."""
    from newstrace.facts import compare_facts
    from newstrace.model import Document, Story

    documents = [
        Document(id="a", origin="a", text=first, published=published[0]),
        Document(id="b", origin="b", text=second, published=published[1]),
    ]
    story = Story(id="s", title="s", documents=["a", "b"])
    compare_facts(documents, [story])
    return story.facts
