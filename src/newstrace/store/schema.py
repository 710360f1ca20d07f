"""The store's tables, and bringing a database to them with Alembic.

The tables below are what the code reads and writes; the migrations in
``newstrace/store/migrations/versions`` are how a database gets there, one
numbered revision at a time (a test checks the two agree). ``migrate`` runs on
every open, inside the caller's locked transaction, so two processes opening
an old store at once upgrade it once. A store of the first slice (tables but
no ``alembic_version``) is adopted at revision 0001. Alembic is driven from
code (no ``alembic.ini`` or ``env.py``): a user never runs it by hand.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy.engine import Connection

from newstrace.errors import SchemaError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
FIRST_REVISION = "0001"

metadata = sa.MetaData()
meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)
stories = sa.Table(
    "stories",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("number", sa.Integer, nullable=False, unique=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("first_published", sa.String(40)),
    sa.Column("last_published", sa.String(40)),
    sa.Column("revision", sa.Integer, nullable=False, server_default="1"),
)
documents = sa.Table(
    "documents",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("id", sa.String(32), nullable=False, unique=True),
    sa.Column("hash", sa.String(64), nullable=False, unique=True),
    sa.Column("origin", sa.Text, nullable=False),
    sa.Column("source", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("published", sa.String(40)),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("removed", sa.Text, nullable=False),
    sa.Column("story", sa.String(32), sa.ForeignKey("stories.id"), nullable=False, index=True),
)
features = sa.Table(
    "features",
    metadata,
    sa.Column("seq", sa.Integer, sa.ForeignKey("documents.seq"), primary_key=True),
    sa.Column("version", sa.String(16), nullable=False),
    sa.Column("keys", sa.Text, nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
)
checkpoints = sa.Table(
    "checkpoints",
    metadata,
    sa.Column("name", sa.String(32), primary_key=True),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("version", sa.String(16), nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
)
story_results = sa.Table(
    "story_results",
    metadata,
    sa.Column("story", sa.String(32), sa.ForeignKey("stories.id"), primary_key=True),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("reuse", sa.Text, nullable=False),
    sa.Column("facts", sa.Text, nullable=False),
)
reuse_views = sa.Table(
    "reuse_views",
    metadata,
    sa.Column("seq", sa.Integer, sa.ForeignKey("documents.seq"), primary_key=True),
    sa.Column("version", sa.String(64), nullable=False),
    sa.Column("spans", sa.LargeBinary, nullable=False),
    sa.Column("embeddings", sa.LargeBinary, nullable=False),
)
parses = sa.Table(
    "parses",
    metadata,
    sa.Column("seq", sa.Integer, sa.ForeignKey("documents.seq"), primary_key=True),
    sa.Column("version", sa.String(64), nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
)


def scripts() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config)


def head() -> str:
    current = scripts().get_current_head()
    if current is None:
        raise SchemaError("the package's store migrations are missing")
    return current


def current_revision(conn: Connection) -> str | None:
    """The store's revision: Alembic's, 0001 for a first-slice store, None for an empty database."""
    found = MigrationContext.configure(conn).get_current_revision()
    if found is None and sa.inspect(conn).has_table("documents"):
        return FIRST_REVISION
    return found


def check(conn: Connection, shown_url: str) -> None:
    """Refuse a store this newstrace cannot read without upgrading it (opened read-only)."""
    found = current_revision(conn)
    newest = scripts().get_current_head()
    if found is None:
        raise SchemaError(f"{shown_url}: not a newstrace store (no newstrace tables)")
    if found != newest:
        raise SchemaError(
            f"{shown_url}: the store has schema revision {found}, this newstrace reads {newest}; "
            "it is read-only here, so it cannot be upgraded: open it once with write access "
            "(newstrace refresh --db ...) or use the newstrace that wrote it"
        )


def migrate(conn: Connection, shown_url: str, target: str = "head") -> None:
    """Upgrade the store on ``conn`` to ``target`` (inside the caller's transaction)."""
    script = scripts()
    found = current_revision(conn)
    try:
        known = found is None or script.get_revision(found) is not None
    except CommandError:
        known = False
    if not known:
        raise SchemaError(
            f"{shown_url}: the store has schema revision {found}, newer than this newstrace knows "
            f"(up to {script.get_current_head()}); upgrade newstrace to use it"
        )
    if found == FIRST_REVISION and MigrationContext.configure(conn).get_current_revision() is None:
        _stamp(conn, script, FIRST_REVISION)
    if found == (script.get_current_head() if target == "head" else target):
        return
    with EnvironmentContext(
        Config(),
        script,
        fn=lambda revision, _context: script._upgrade_revs(target, revision),
    ) as environment:
        environment.configure(connection=conn, render_as_batch=True)
        with environment.begin_transaction():
            environment.run_migrations()


def _stamp(conn: Connection, script: ScriptDirectory, revision: str) -> None:
    with EnvironmentContext(
        Config(), script, fn=lambda rev, _context: script._stamp_revs(revision, rev)
    ) as environment:
        environment.configure(connection=conn)
        with environment.begin_transaction():
            environment.run_migrations()
