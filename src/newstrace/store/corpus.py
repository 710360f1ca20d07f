"""The stored corpus: articles keyed by content hash, grouped into stories as they arrive.

Design (first slice of issue 7):

- Articles are keyed by the sha256 of their whitespace-normalised cleaned
  text, so ingesting the same input twice adds nothing, and re-running an
  interrupted ingest finishes the job without doubling anything.
- Each batch is one transaction. On SQLite (WAL journal, busy timeout) the
  transaction starts with ``BEGIN IMMEDIATE`` and on PostgreSQL it takes an
  advisory lock, so two ingests at once take turns batch by batch; a killed
  process loses at most its open batch and leaves the store consistent.
- Story grouping is incremental (:class:`newstrace.stories.StoryIndex`). The
  index state is not persisted: when a process opens the store it rebuilds the
  index by replaying the stored documents, in arrival order, onto their stored
  stories (features are re-extracted; assignments are never recomputed), and
  inside each batch's transaction it first replays whatever other processes
  committed meanwhile. Simplest correct choice; its cost is one feature pass
  over the stored corpus per process, which persisting the features will remove.
- Reuse links and facts are not stored yet: ``export_report`` computes them
  over the stored documents. Persisting them per story, incrementally, is the
  next slice, as are Alembic migrations (the ``meta`` table's
  ``schema_version`` is checked on open) and tests on a real PostgreSQL.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from newstrace.errors import NewstraceError
from newstrace.model import Document, Removal, Report, Skipped, Story

SCHEMA_VERSION = 1
BATCH_SIZE = 64
DEFAULT_DB = "newstrace.db"
_BUSY_TIMEOUT_MS = 120_000
_PG_LOCK_KEY = 0x6E657773  # "news"

_metadata = sa.MetaData()
_meta = sa.Table(
    "meta", _metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)
_stories = sa.Table(
    "stories", _metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("number", sa.Integer, nullable=False, unique=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("first_published", sa.String(40)),
    sa.Column("last_published", sa.String(40)),
)
_documents = sa.Table(
    "documents", _metadata,
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


class StoreError(NewstraceError):
    """The store cannot be opened or used (bad URL, wrong schema version, database error)."""

    code = "NT300"


@dataclass
class IngestResult:
    """What one ingest did."""

    added: int = 0
    already_stored: int = 0
    new_stories: int = 0
    read: int = 0
    skipped: list[Skipped] = field(default_factory=list)


def content_hash(text: str) -> str:
    """sha256 of the whitespace-normalised cleaned text: the article's key."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def database_url(db: str | None) -> str:
    """A SQLAlchemy URL for ``db``: a URL as given, a plain path as a SQLite file."""
    if not db:
        db = DEFAULT_DB
    return db if "://" in db else f"sqlite:///{Path(db)}"


class Corpus:
    """A stored corpus. ``Corpus(url)`` opens (creating if needed) and checks the schema."""

    def __init__(self, db: str | None = None, create: bool = True):
        self.url = database_url(db)
        if not create and _missing_sqlite_file(self.url):
            raise StoreError(f"{self.url}: no store there yet; add articles with: newstrace ingest INPUT --db ...")
        self.engine = _engine(self.url)
        self._index = None
        self._replayed = 0  # highest document seq replayed into the index
        self._guard(self._create_or_check)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- writing -------------------------------------------------------

    def ingest(self, inputs: Iterable[str | Path], batch_size: int = BATCH_SIZE,
               on_batch: Callable[[IngestResult], None] | None = None) -> IngestResult:
        """Read, clean and add ``inputs`` batch by batch, each batch in one transaction."""
        from newstrace.clean import clean_documents
        from newstrace.ingest import read_inputs

        result = IngestResult()
        pending: list[Document] = []
        for item in read_inputs(inputs):
            if isinstance(item, Skipped):
                result.skipped.append(item)
                continue
            result.read += 1
            pending.append(item)
            if len(pending) >= batch_size:
                self._guard(lambda: self._ingest_batch(clean_documents(pending), result))
                pending = []
                if on_batch:
                    on_batch(result)
        if pending:
            self._guard(lambda: self._ingest_batch(clean_documents(pending), result))
            if on_batch:
                on_batch(result)
        return result

    def _ingest_batch(self, documents: list[Document], result: IngestResult) -> None:
        from newstrace.stories.features import extract

        fresh: dict[str, Document] = {}
        nonempty = sum(1 for doc in documents if doc.text.strip())
        for doc in documents:
            if not doc.text.strip():
                result.skipped.append(Skipped(doc.origin, "no article text left after cleaning"))
                continue
            fresh.setdefault(content_hash(doc.text), doc)
        with _reading(self.engine) as conn:
            stored = _stored_hashes(conn, list(fresh))
        fresh = {h: d for h, d in fresh.items() if h not in stored}
        docs = list(fresh.values())
        raw = extract(docs) if docs else None
        self._catch_up()  # outside the lock: the bulk of other processes' work
        with self.engine.begin() as conn:
            _lock(conn)
            self._catch_up(conn)
            stored = _stored_hashes(conn, list(fresh))
            keep = [n for n, h in enumerate(fresh) if h not in stored]
            result.already_stored += nonempty - len(keep)
            if not keep:
                return
            seq = (conn.execute(sa.select(sa.func.max(_documents.c.seq))).scalar() or 0)
            touched: dict[str, Story] = {}
            rows = []
            for n in keep:
                seq += 1
                docs[n].id = f"d{seq}"
                assignment = self._index.add_features(docs[n], raw.rows([n]))
                result.new_stories += assignment.new_story
                touched[assignment.story] = self._index.open[assignment.story].story
                rows.append(_document_row(seq, docs[n]))
            for story in touched.values():
                _upsert_story(conn, story)
            conn.execute(_documents.insert(), rows)
            result.added += len(rows)
            self._replayed = seq

    def _catch_up(self, conn: Connection | None = None) -> None:
        """Replay documents committed since this process last looked onto their stored stories."""
        if self._index is None:
            from newstrace.stories import StoryIndex

            self._index = StoryIndex()
        if conn is None:
            with _reading(self.engine) as own:
                return self._catch_up(own)
        rows = conn.execute(
            sa.select(_documents, _stories.c.title.label("story_title"))
            .join(_stories, _stories.c.id == _documents.c.story)
            .where(_documents.c.seq > self._replayed).order_by(_documents.c.seq)
        ).mappings().all()
        if not rows:
            return
        from newstrace.store.replay import replay

        replay(self._index, [_row_document(r) for r in rows], [r["story_title"] for r in rows])
        self._replayed = rows[-1]["seq"]

    # ---- reading -------------------------------------------------------

    def stories(self) -> list[dict]:
        """Each story: id, title, article count, first and last publication date."""
        count = sa.func.count(_documents.c.seq)
        query = (
            sa.select(_stories.c.id, _stories.c.title, count.label("articles"),
                      _stories.c.first_published, _stories.c.last_published)
            .join(_documents, _documents.c.story == _stories.c.id)
            .group_by(_stories.c.id).order_by(_stories.c.number)
        )
        return self._guard(lambda: self._read(lambda conn: [dict(r) for r in conn.execute(query).mappings()]))

    def documents(self) -> list[Document]:
        """Every stored document, in arrival order."""
        query = sa.select(_documents).order_by(_documents.c.seq)
        return self._guard(lambda: self._read(lambda conn: [_row_document(r) for r in conn.execute(query).mappings()]))

    def export_report(self) -> Report:
        """The stored corpus as a ``newstrace.report/1`` report.

        Stories and their documents come from the store; ``reuse`` and
        ``facts`` are computed now over the stored documents (persisting them
        incrementally, per touched story, is the next slice).
        """
        from newstrace.facts import compare_facts
        from newstrace.reuse import trace_reuse

        documents = self.documents()
        stories = [
            Story(id=s["id"], title=s["title"], first_published=s["first_published"],
                  last_published=s["last_published"])
            for s in self.stories()
        ]
        by_id = {s.id: s for s in stories}
        for doc in documents:
            by_id[doc.story].documents.append(doc.id)
        trace_reuse(documents, stories)
        compare_facts(documents, stories)
        return Report(documents=documents, skipped=[], stories=[s for s in stories if s.documents])

    # ---- internals -----------------------------------------------------

    def _read(self, work):
        with _reading(self.engine) as conn:
            return work(conn)

    def _create_or_check(self) -> None:
        with self.engine.begin() as conn:
            _lock(conn)
            _metadata.create_all(conn)
            found = conn.execute(sa.select(_meta.c.value).where(_meta.c.key == "schema_version")).scalar()
            if found is None:
                conn.execute(_meta.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
            elif found != str(SCHEMA_VERSION):
                raise StoreError(
                    f"{_shown(self.url)}: store has schema version {found}, this newstrace reads version "
                    f"{SCHEMA_VERSION}; migrate it or use another --db"
                )

    def _guard(self, work):
        try:
            return work()
        except sa.exc.SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            raise StoreError(f"{_shown(self.url)}: {reason}") from None


def _missing_sqlite_file(url: str) -> bool:
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        return False
    database = parsed.database or ""
    return parsed.get_backend_name() == "sqlite" and database not in ("", ":memory:") \
        and not database.startswith("file:") and not Path(database).exists()


def _engine(url: str) -> Engine:
    try:
        engine = sa.create_engine(url)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError) as exc:
        raise StoreError(f"{url}: not a usable database URL ({exc})") from None
    except ImportError as exc:
        raise StoreError(f"{_shown(url)}: database driver missing ({exc})") from None
    if engine.dialect.name == "sqlite":
        _sqlite_transactions(engine)
    return engine


def _sqlite_transactions(engine: Engine) -> None:
    """WAL journal, a busy timeout, and BEGIN IMMEDIATE so writers queue instead of failing."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # let the "begin" hook below emit BEGIN
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        reading = conn.get_execution_options().get("newstrace_read")
        conn.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


def _reading(engine: Engine) -> Connection:
    """A connection for reads only (on SQLite its transactions take no write lock)."""
    return engine.connect().execution_options(newstrace_read=True)


def _lock(conn: Connection) -> None:
    """Serialise writers: SQLite already holds the write lock (BEGIN IMMEDIATE)."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})


def _stored_hashes(conn: Connection, hashes: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(hashes), 500):
        chunk = hashes[start:start + 500]
        found.update(conn.execute(sa.select(_documents.c.hash).where(_documents.c.hash.in_(chunk))).scalars())
    return found


def _document_row(seq: int, doc: Document) -> dict:
    return {
        "seq": seq, "id": doc.id, "hash": content_hash(doc.text), "origin": doc.origin,
        "source": doc.source, "url": doc.url, "title": doc.title, "published": doc.published,
        "text": doc.text, "removed": json.dumps([{"text": r.text, "reason": r.reason} for r in doc.removed]),
        "story": doc.story,
    }


def _row_document(row) -> Document:
    return Document(
        id=row["id"], origin=row["origin"], text=row["text"], source=row["source"], url=row["url"],
        title=row["title"], published=row["published"], story=row["story"],
        removed=[Removal(**r) for r in json.loads(row["removed"])],
    )


def _upsert_story(conn: Connection, story: Story) -> None:
    values = {"title": story.title, "first_published": story.first_published,
              "last_published": story.last_published}
    updated = conn.execute(_stories.update().where(_stories.c.id == story.id).values(values)).rowcount
    if not updated:
        conn.execute(_stories.insert().values(id=story.id, number=int(story.id[1:]), **values))


def _shown(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url
