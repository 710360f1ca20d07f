"""The stored corpus: articles keyed by content hash, grouped into stories as they arrive.

- Articles are keyed by the sha256 of their whitespace-normalised cleaned
  text, so ingesting the same input twice adds nothing, and re-running an
  interrupted ingest finishes the job without doubling anything.
- Each batch is one transaction. On SQLite (WAL journal, busy timeout) the
  transaction starts with ``BEGIN IMMEDIATE`` and on PostgreSQL it takes an
  advisory lock, so two ingests at once take turns batch by batch; a killed
  process loses at most its open batch and leaves the store consistent.
- Story grouping is incremental (:class:`newstrace.stories.StoryIndex`). Each
  document is stored with its story features and blocking keys, and the
  document frequencies are checkpointed, so a new process rebuilds the index
  from the store without NLP (:mod:`newstrace.store.state`); inside each
  batch's transaction it first replays what other processes committed meanwhile.
  Stored features of an older feature extractor are re-extracted once.
- Reuse links and facts are stored per story, with the story revision they
  were computed for. A batch bumps the revision of the stories it touches; at
  the end of an ingest (or on ``export``/``story``) only stories whose results
  are older than their revision are analysed again. Reuse is traced within a
  story: a link between two stored stories does not merge them (``analyze``
  merges them), the price of not re-linking the whole corpus. Each article's
  sentence embeddings and spaCy parse are stored when first computed, so a
  story analysed again embeds and parses only its new members.
- The schema is versioned with Alembic (:mod:`newstrace.store.schema`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newstrace.errors import StoreError
from newstrace.model import Document, Removal, Report, Skipped, Story
from newstrace.store import schema
from newstrace.store.backend import (
    missing_sqlite_file,
    open_engine,
    read_only_error,
    reading,
    refuse_foreign_file,
    shown_url,
    sqlite_path,
    writable,
    writer_lock,
)

if TYPE_CHECKING:
    from newstrace.stories import StoryIndex

BATCH_SIZE = 64
CHECKPOINT_EVERY = 2000  # documents between two checkpoints of the document frequencies
ANALYSIS_CHUNK = 64  # stories analysed (and their results committed) at a time
DEFAULT_DB = "newstrace.db"

_stories, _documents, _features = schema.stories, schema.documents, schema.features
_checkpoints, _results = schema.checkpoints, schema.story_results
_views, _parses = schema.reuse_views, schema.parses


@dataclass
class IngestResult:
    """What one ingest did."""

    added: int = 0
    already_stored: int = 0
    new_stories: int = 0
    analysed_stories: int = 0
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
    """A stored corpus. ``Corpus(url)`` opens (creating if needed) and checks the schema.

    ``create=False`` opens an existing store only. ``read_only``: never write
    (no schema upgrade, no analysis); None decides by the file: a SQLite store
    the user cannot write (a 444 file, a read-only folder) is opened read-only
    (``mode=ro``, ``immutable``). A path that holds something other than a
    newstrace store (an empty file, another program's database) is refused
    before anything is written.
    """

    def __init__(self, db: str | None = None, create: bool = True, read_only: bool | None = None):
        self.url = database_url(db)
        if not create and missing_sqlite_file(self.url):
            raise StoreError(
                f"{self.url}: no store there yet; add articles with: newstrace ingest INPUT --db ..."
            )
        path = sqlite_path(self.url)
        if path is not None and path.exists():
            refuse_foreign_file(path)
        if read_only is None:
            read_only = not create and path is not None and not writable(path)
        if create and path is not None and path.exists() and not writable(path):
            raise StoreError(
                f"{shown_url(self.url)}: the store is read-only here (file or folder not writable); "
                "ingest needs write access"
            )
        self.read_only = read_only
        self.stale_note: str | None = None
        """Why stored reuse and facts may be out of date (a read-only store), else None."""
        self.engine = open_engine(self.url, read_only=read_only)
        self._index: StoryIndex | None = None
        self._replayed = 0  # highest document seq replayed into the index
        self._checkpointed = 0  # seq of the stored frequency checkpoint
        self._pending_features: list[dict] = []
        if not read_only and not create and self.engine.dialect.name == "postgresql":
            self.read_only = read_only = self._guard(self._pg_read_only)
        self._guard(self._check_read_only if read_only else self._create_or_check)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- writing -------------------------------------------------------

    def ingest(
        self,
        inputs: Iterable[str | Path],
        batch_size: int = BATCH_SIZE,
        on_batch: Callable[[IngestResult], None] | None = None,
        analyse: bool = True,
        prepared=None,
    ) -> IngestResult:
        """Read, clean and add ``inputs`` batch by batch, each batch in one transaction.

        Then (unless ``analyse`` is false) trace reuse and compare facts in the
        stories the new articles joined; ``export``/``story`` do it otherwise.
        ``prepared`` (a :class:`newstrace.engine.Prepared`, e.g. from the Dask
        engine): documents already read and cleaned, used instead of reading ``inputs``.
        """
        from newstrace.engine.work import clean_each
        from newstrace.ingest import read_inputs

        result = IngestResult()
        pending: list[Document] = []

        def clean_and_bound(batch: list[Document]) -> list[Document]:
            cleaned, failed = clean_each(batch)
            result.skipped.extend(failed.values())
            return cleaned

        items: Iterable[Document | Skipped]
        clean: Callable[[list[Document]], list[Document]]
        if prepared is None:
            items, clean, features = read_inputs(inputs), clean_and_bound, None
        else:  # the engine read and cleaned them, and may have computed their features
            items, clean, features = (
                [*prepared.skipped, *prepared.documents],
                list,
                _prepared_features(prepared),
            )
        for item in items:
            if isinstance(item, Skipped):
                result.skipped.append(item)
                continue
            result.read += 1
            pending.append(item)
            if len(pending) >= batch_size:
                self._guard(
                    lambda batch=pending: self._ingest_batch(clean(batch), result, features)
                )
                pending = []
                if on_batch:
                    on_batch(result)
        if pending:
            self._guard(lambda: self._ingest_batch(clean(pending), result, features))
            if on_batch:
                on_batch(result)
        if result.added:
            self._guard(self._checkpoint)
        if analyse:
            result.analysed_stories = self.refresh()
        return result

    def _ingest_batch(self, documents: list[Document], result: IngestResult, features=None) -> None:
        """Add the new ones of ``documents`` in one transaction; ``features`` gives their story
        features if an engine computed them (else they are extracted here)."""
        from newstrace.engine.work import features_each
        from newstrace.stories.features import extract

        fresh: dict[str, Document] = {}
        nonempty = sum(1 for doc in documents if doc.text.strip())
        for doc in documents:
            if not doc.text.strip():
                result.skipped.append(Skipped(doc.origin, "no article text left after cleaning"))
                continue
            fresh.setdefault(content_hash(doc.text), doc)
        with reading(self.engine) as conn:
            stored = _stored_hashes(conn, list(fresh))
        fresh = {h: d for h, d in fresh.items() if h not in stored}
        docs, raw, failed = features_each(features or extract, list(fresh.values()))
        if failed:  # each named among the skips; the batch goes on without it
            result.skipped.extend(failed.values())
            nonempty -= len(failed)
            fresh = {h: d for h, d in fresh.items() if id(d) not in failed}
        self._catch_up()  # outside the lock: the bulk of other processes' work
        self._save_pending_features()
        with self.engine.begin() as conn:
            writer_lock(conn)
            self._catch_up(conn)
            stored = _stored_hashes(conn, list(fresh))
            keep = [n for n, h in enumerate(fresh) if h not in stored]
            result.already_stored += nonempty - len(keep)
            if not keep:
                return
            assert raw is not None  # documents to keep, so their features were extracted
            seq = conn.execute(sa.select(sa.func.max(_documents.c.seq))).scalar() or 0
            touched: dict[str, Story] = {}
            rows, feature_rows, inserted = [], [], {}
            for n in keep:
                seq += 1
                docs[n].id = f"d{seq}"
                inserted[seq] = docs[n]
                row = raw.rows([n])
                assignment = self.index.add_features(docs[n], row)
                result.new_stories += assignment.new_story
                touched[assignment.story] = self.index.open[assignment.story].story
                rows.append(_document_row(seq, docs[n]))
                feature_rows.append(_feature_row(seq, row, set(assignment.keys)))
            for story in touched.values():
                _upsert_story(conn, story)
            conn.execute(_documents.insert(), rows)
            conn.execute(_features.insert(), feature_rows)
            _save_nlp(conn, inserted)  # what an engine computed for reuse and facts
            result.added += len(rows)
            self._replayed = seq
            if seq - self._checkpointed >= CHECKPOINT_EVERY:
                self._write_checkpoint(conn)

    def _checkpoint(self) -> None:
        """Checkpoint the document frequencies at the newest stored document (after an ingest)."""
        with self.engine.begin() as conn:
            writer_lock(conn)
            self._catch_up(conn)
            if self._replayed > self._checkpointed:
                self._write_checkpoint(conn)

    def _write_checkpoint(self, conn: Connection) -> None:
        from newstrace.store.state import FEATURES_VERSION, pack_frequency

        values = {
            "seq": self._replayed,
            "version": FEATURES_VERSION,
            "data": pack_frequency(self.index.frequency),
        }
        if not conn.execute(
            _checkpoints.update().where(_checkpoints.c.name == "frequency").values(values)
        ).rowcount:
            conn.execute(_checkpoints.insert().values(name="frequency", **values))
        self._checkpointed = self._replayed

    @property
    def index(self) -> StoryIndex:
        """The story index, once :meth:`_catch_up` has restored it."""
        if self._index is None:
            raise AssertionError("the story index is used before it was restored")
        return self._index

    def _catch_up(self, conn: Connection | None = None) -> None:
        """Bring the index up to the store: restore it on first use, then replay what others committed."""
        if conn is None:
            with reading(self.engine) as own:
                return self._catch_up(own)
        if self._index is None:
            return self._restore(conn)
        rows = (
            conn.execute(
                sa.select(
                    _documents,
                    _stories.c.title.label("story_title"),
                    _features.c["keys"].label("join_keys"),
                    _features.c.data.label("features"),
                    _features.c.version.label("version"),
                )
                .join(_stories, _stories.c.id == _documents.c.story)
                .outerjoin(_features, _features.c.seq == _documents.c.seq)
                .where(_documents.c.seq > self._replayed)
                .order_by(_documents.c.seq)
            )
            .mappings()
            .all()
        )
        if not rows:
            return
        from newstrace.store.replay import replay
        from newstrace.store.state import FEATURES_VERSION, unpack_features

        documents = [_row_document(r) for r in rows]
        if all(r["version"] == FEATURES_VERSION for r in rows):
            features = [unpack_features(r["features"]) for r in rows]
            keys = [set(json.loads(r["join_keys"])) for r in rows]
            replay(self.index, documents, [r["story_title"] for r in rows], features, keys)
        else:
            replay(self.index, documents, [r["story_title"] for r in rows])
        self._replayed = rows[-1]["seq"]

    def _restore(self, conn: Connection) -> None:
        """Rebuild the story index from the stored features (or, if there are none, by re-extracting)."""
        from newstrace.store import state
        from newstrace.stories import StoryIndex

        index = self._index = StoryIndex()
        listing = conn.execute(
            sa.select(
                _documents.c.seq,
                _documents.c.id,
                _documents.c.story,
                _documents.c.published,
                _features.c["keys"].label("join_keys"),
                _features.c.version,
            )
            .outerjoin(_features, _features.c.seq == _documents.c.seq)
            .order_by(_documents.c.seq)
        ).all()
        if not listing:
            return
        if any(row.version != state.FEATURES_VERSION for row in listing):
            return self._restore_by_extracting(conn)
        documents = [
            state.StoredDocument(r.seq, r.id, r.story, r.published, r.join_keys) for r in listing
        ]
        stories = {
            r.id: state.StoredStory(r.id, r.title, r.first_published, r.last_published)
            for r in conn.execute(sa.select(_stories))
        }
        checkpoint = conn.execute(
            sa.select(_checkpoints).where(
                _checkpoints.c.name == "frequency", _checkpoints.c.version == state.FEATURES_VERSION
            )
        ).first()
        since = checkpoint.seq if checkpoint else 0
        members = state.open_members(index, documents)
        wanted = {d.seq for d in documents if d.seq > since} | {
            s for seqs in members.values() for s in seqs
        }
        features = _load_features(conn, sorted(wanted))
        self._repack_older(features, documents)
        frequency = state.unpack_frequency(checkpoint.data) if checkpoint else index.frequency
        later = [features[doc.seq] for doc in documents if doc.seq > since]
        if later:
            frequency.add(state.unpack_stacked(later))
        state.restore(index, documents, stories, frequency, features)
        self._replayed = documents[-1].seq
        self._checkpointed = since

    def _repack_older(self, features: dict[int, bytes], documents: list) -> None:
        """Queue features stored in the older ``.npz`` format for rewriting, so the next open reads them fast."""
        from newstrace.store import state

        older = [seq for seq, data in features.items() if not state.is_current_packing(data)]
        keys = {doc.seq: doc.keys for doc in documents} if older else {}
        self._pending_features += [
            {
                "seq": seq,
                "version": state.FEATURES_VERSION,
                "keys": keys[seq],
                "data": state.pack_features(state.unpack_features(features[seq])),
            }
            for seq in older
        ]

    def _restore_by_extracting(self, conn: Connection) -> None:
        """Replay every stored document, re-extracting its features (a store of older features)."""
        from newstrace.store.replay import replay

        rows = (
            conn.execute(
                sa.select(_documents, _stories.c.title.label("story_title"))
                .join(_stories, _stories.c.id == _documents.c.story)
                .order_by(_documents.c.seq)
            )
            .mappings()
            .all()
        )
        extracted = replay(
            self.index, [_row_document(r) for r in rows], [r["story_title"] for r in rows]
        )
        self._replayed = rows[-1]["seq"]
        self._pending_features = [
            _feature_row(r["seq"], raw, keys) for r, (raw, keys) in zip(rows, extracted)
        ]

    def _save_pending_features(self) -> None:
        """Store the features a re-extracting restore made, so the next process need not."""
        pending, self._pending_features = self._pending_features, []
        if not pending:
            return
        with self.engine.begin() as conn:
            writer_lock(conn)
            seqs = [row["seq"] for row in pending]
            for start in range(0, len(seqs), 500):
                conn.execute(
                    _features.delete().where(_features.c.seq.in_(seqs[start : start + 500]))
                )
            conn.execute(_features.insert(), pending)

    # ---- per-story analysis ---------------------------------------------

    def refresh(self, story_ids: list[str] | None = None) -> int:
        """Trace reuse and compare facts in every story whose stored results are out of date.

        Returns how many stories were analysed. Each chunk of stories commits
        on its own; results are written only if the story did not change
        meanwhile (another process will analyse it again).
        """
        if self.read_only:
            self._note_stale(story_ids)
            return 0
        try:
            return self._guard(lambda: self._refresh(story_ids))
        except StoreError as exc:
            if not read_only_error(str(exc)):
                raise
            self.read_only = True  # e.g. a read-only PostgreSQL role: read what is stored
            self._note_stale(story_ids)
            return 0

    def stale_stories(self, story_ids: list[str] | None = None) -> int:
        """How many stories' stored reuse and facts are older than the story (or missing)."""
        query = self._stale_query(story_ids)
        return self._guard(lambda: self._read(lambda conn: len(conn.execute(query).all())))

    def _note_stale(self, story_ids: list[str] | None, writable: bool = False) -> None:
        stale = self.stale_stories(story_ids)
        why = "not analysed yet" if writable else "the store is read-only here"
        self.stale_note = (
            f"{stale} story(ies) have no up-to-date reuse and facts ({why}): shown as stored; "
            "bring them up to date with: newstrace refresh --db ..."
            if stale
            else None
        )

    def _refresh(self, story_ids: list[str] | None) -> int:
        query = self._stale_query(story_ids)
        stale = self._read(lambda conn: conn.execute(query).all())
        for start in range(0, len(stale), ANALYSIS_CHUNK):
            self._analyse(stale[start : start + ANALYSIS_CHUNK])
        return len(stale)

    def _stale_query(self, story_ids: list[str] | None):
        query = (
            sa.select(
                _stories.c.id,
                _stories.c.title,
                _stories.c.first_published,
                _stories.c.last_published,
                _stories.c.revision,
            )
            .outerjoin(_results, _results.c.story == _stories.c.id)
            .where(
                sa.or_(_results.c.revision.is_(None), _results.c.revision != _stories.c.revision)
            )
            .order_by(_stories.c.number)
        )
        if story_ids is not None:
            query = query.where(_stories.c.id.in_(story_ids))
        return query

    def _analyse(self, stale: list) -> None:
        """Analyse a chunk of stale stories and store the results; never let one document stop it.

        If the chunk fails, each story is analysed alone; in a story that
        fails, the documents the per-document NLP fails on are marked failed
        (with the reason, in ``meta``) and the story is analysed without them;
        a story that still fails is stored with no reuse and no facts and its
        reason. Either way its revision is recorded, so later commands read the
        store instead of failing on it again (``refresh(retry_failed=True)`` retries).
        """
        ids = [row.id for row in stale]
        documents, seqs = self._read(lambda conn: _documents_with_nlp(conn, ids))
        failed_docs = self._guard(lambda: self._read(_failed_documents))
        documents, seqs = _without(documents, seqs, failed_docs)
        try:
            stories = _analysed_stories(stale, documents)
        except Exception:  # find the story and document at fault below
            if len(stale) > 1:
                for row in stale:
                    self._analyse([row])
                return
            stories, documents, seqs, failures = _analyse_alone(stale[0], documents, seqs)
            self._guard(lambda: self._record_failures(failures))
        self._save_results(stale, stories, documents, seqs)

    def _record_failures(self, failures: dict[str, str]) -> None:
        if not failures:
            return
        with self.engine.begin() as conn:
            writer_lock(conn)
            keys = list(failures)
            conn.execute(schema.meta.delete().where(schema.meta.c.key.in_(keys)))
            conn.execute(
                schema.meta.insert(), [{"key": k, "value": v} for k, v in failures.items()]
            )

    def _save_results(
        self, stale: list, stories: list[Story], documents: list[Document], seqs: list[int]
    ) -> None:
        with self.engine.begin() as conn:
            writer_lock(conn)
            _save_nlp(conn, dict(zip(seqs, documents)))
            for row, story in zip(stale, stories):
                current = conn.execute(
                    sa.select(_stories.c.revision).where(_stories.c.id == row.id)
                ).scalar()
                if current != row.revision:
                    continue
                values = {
                    "revision": row.revision,
                    "reuse": json.dumps(
                        [link.to_dict() for link in story.reuse], ensure_ascii=False
                    ),
                    "facts": json.dumps(
                        [fact.to_dict() for fact in story.facts], ensure_ascii=False
                    ),
                }
                if not conn.execute(
                    _results.update().where(_results.c.story == row.id).values(values)
                ).rowcount:
                    conn.execute(_results.insert().values(story=row.id, **values))

    def failures(self) -> list[Skipped]:
        """Documents and stories whose analysis failed, each with its origin (or story) and reason."""

        def read(conn: Connection) -> list[Skipped]:
            rows = conn.execute(
                sa.select(schema.meta).where(schema.meta.c.key.like(f"{_FAILED}%"))
            ).all()
            ids = {r.key[len(_FAILED) :]: r.value for r in rows}
            origins = dict(
                conn.execute(
                    sa.select(_documents.c.id, _documents.c.origin).where(
                        _documents.c.id.in_(list(ids))
                    )
                ).all()
            )
            return [
                Skipped(origins.get(key, f"story {key}"), reason)
                for key, reason in sorted(ids.items())
            ]

        return self._guard(lambda: self._read(read))

    def retry_failed(self) -> int:
        """Forget recorded analysis failures and mark their stories stale; returns how many."""

        def work() -> int:
            with self.engine.begin() as conn:
                writer_lock(conn)
                keys = list(
                    conn.execute(
                        sa.select(schema.meta.c.key).where(schema.meta.c.key.like(f"{_FAILED}%"))
                    ).scalars()
                )
                if not keys:
                    return 0
                ids = [k[len(_FAILED) :] for k in keys]
                stories = set(
                    conn.execute(
                        sa.select(_documents.c.story).where(_documents.c.id.in_(ids))
                    ).scalars()
                ) | {i for i in ids if i.startswith("s")}
                conn.execute(_results.delete().where(_results.c.story.in_(list(stories))))
                conn.execute(schema.meta.delete().where(schema.meta.c.key.in_(keys)))
                return len(keys)

        return self._guard(work)

    # ---- reading -------------------------------------------------------

    def stories(self) -> list[dict]:
        """Each story: id, title, article count, first and last publication date."""
        count = sa.func.count(_documents.c.seq)
        query = (
            sa.select(
                _stories.c.id,
                _stories.c.title,
                count.label("articles"),
                _stories.c.first_published,
                _stories.c.last_published,
            )
            .join(_documents, _documents.c.story == _stories.c.id)
            .group_by(_stories.c.id)
            .order_by(_stories.c.number)
        )
        return self._guard(
            lambda: self._read(lambda conn: [dict(r) for r in conn.execute(query).mappings()])
        )

    def documents(self) -> list[Document]:
        """Every stored document, in arrival order."""
        query = sa.select(_documents).order_by(_documents.c.seq)
        return self._guard(
            lambda: self._read(
                lambda conn: [_row_document(r) for r in conn.execute(query).mappings()]
            )
        )

    def export_report(self, refresh: bool = True) -> Report:
        """The stored corpus as a ``newstrace.report/1`` report, with each story's stored reuse and facts.

        Stale stories are analysed first unless ``refresh`` is false or the store
        is read-only (then :attr:`stale_note` says how many are out of date).
        """
        if refresh:
            self.refresh()
        else:
            self._note_stale(None, writable=not self.read_only)
        report = self._guard(lambda: self._read(lambda conn: self._report(conn, None)))
        report.skipped = self.failures()
        return report

    def story_report(self, story_id: str) -> Report:
        """A report holding one story and its documents (:class:`StoreError` if there is no such story)."""
        self.refresh([story_id])
        report = self._guard(lambda: self._read(lambda conn: self._report(conn, story_id)))
        if not report.stories:
            raise StoreError(
                f"{shown_url(self.url)}: no story {story_id!r} in the store (see: newstrace stories --db ...)"
            )
        return report

    def _report(self, conn: Connection, story_id: str | None) -> Report:
        from newstrace.report.load import report_from_dict

        documents = sa.select(_documents).order_by(_documents.c.seq)
        stories = (
            sa.select(_stories, _results.c.reuse, _results.c.facts)
            .outerjoin(_results, _results.c.story == _stories.c.id)
            .order_by(_stories.c.number)
        )
        if story_id is not None:
            documents = documents.where(_documents.c.story == story_id)
            stories = stories.where(_stories.c.id == story_id)
        docs = [_row_document(r) for r in conn.execute(documents).mappings()]
        members: dict[str, list[str]] = {}
        for doc in docs:
            members.setdefault(doc.story or "", []).append(doc.id)
        story_dicts = [
            {
                "id": r["id"],
                "title": r["title"],
                "documents": members[r["id"]],
                "first_published": r["first_published"],
                "last_published": r["last_published"],
                "reuse": json.loads(r["reuse"] or "[]"),
                "facts": json.loads(r["facts"] or "[]"),
            }
            for r in conn.execute(stories).mappings()
            if r["id"] in members
        ]
        report = report_from_dict({"documents": [], "skipped": [], "stories": story_dicts})
        report.documents = docs
        return report

    # ---- internals -----------------------------------------------------

    def _read(self, work):
        with reading(self.engine) as conn:
            return work(conn)

    def _pg_read_only(self) -> bool:
        """Whether this PostgreSQL session may not write the store (a read-only role or database)."""
        with reading(self.engine) as conn:
            if conn.exec_driver_sql("SHOW transaction_read_only").scalar() == "on":
                return True
            if not sa.inspect(conn).has_table("story_results"):
                return False  # not created yet: the normal check says what is wrong
            return not conn.exec_driver_sql(
                "SELECT has_table_privilege('story_results', 'INSERT')"
            ).scalar()

    def _check_read_only(self) -> None:
        with reading(self.engine) as conn:
            schema.check(conn, shown_url(self.url))

    def _create_or_check(self) -> None:
        with self.engine.begin() as conn:
            writer_lock(conn)
            schema.migrate(conn, shown_url(self.url))

    def _guard(self, work):
        try:
            return work()
        except sa.exc.SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            raise StoreError(f"{shown_url(self.url)}: {reason}") from None


_FAILED = "analysis_failed:"
"""``meta`` keys marking a document (``analysis_failed:d12``) or a story
(``analysis_failed:s3``) whose analysis failed; the value is the reason."""


def _failed_documents(conn: Connection) -> set[str]:
    keys = conn.execute(
        sa.select(schema.meta.c.key).where(schema.meta.c.key.like(f"{_FAILED}d%"))
    ).scalars()
    return {k[len(_FAILED) :] for k in keys}


def _without(
    documents: list[Document], seqs: list[int], failed: set[str]
) -> tuple[list[Document], list[int]]:
    kept = [(d, s) for d, s in zip(documents, seqs) if d.id not in failed]
    return [d for d, _ in kept], [s for _, s in kept]


def _analysed_stories(stale: list, documents: list[Document]) -> list[Story]:
    """Reuse (story by story) and facts of the ``stale`` stories over their ``documents``."""
    from newstrace.pipeline import analyse_stories

    members: dict[str, list[Document]] = {}
    for doc in documents:
        members.setdefault(doc.story or "", []).append(doc)
    stories = [
        Story(
            id=row.id,
            title=row.title,
            documents=[d.id for d in members.get(row.id, [])],
            first_published=row.first_published,
            last_published=row.last_published,
        )
        for row in stale
    ]
    # a link never merges two stored stories; the parses are kept to be stored
    analyse_stories(documents, stories, merge_linked=False, keep_parses=True)
    return stories


def _analyse_alone(row, documents: list[Document], seqs: list[int]):
    """One story whose analysis failed: drop the documents the per-document NLP fails on, retry.

    Returns the analysed story (empty if it still fails), the documents and
    seqs whose NLP is to be stored, and the failures to record.
    """
    from newstrace.engine.work import failure, failure_reason
    from newstrace.facts.extract import parse
    from newstrace.reuse.text import ensure_embeddings, ensure_signatures, reuse_view

    failures: dict[str, str] = {}
    for doc in documents:
        try:
            views = [reuse_view(doc)]
            ensure_embeddings(views)
            ensure_signatures(views)
            parse([doc])
        except Exception as exc:  # recorded, the story goes on without it
            failures[_FAILED + doc.id] = failure(doc, "analysis", exc).error
    documents, seqs = _without(documents, seqs, {k[len(_FAILED) :] for k in failures})
    try:
        return _analysed_stories([row], documents), documents, seqs, failures
    except Exception as exc:  # the story is stored without reuse and facts
        failures[_FAILED + row.id] = failure_reason("analysis", exc)
        empty = Story(id=row.id, title=row.title, documents=[])
        return [empty], [], [], failures


def _documents_with_nlp(conn: Connection, story_ids: list[str]) -> tuple[list[Document], list[int]]:
    """The stories' documents and their seqs, with the sentence embeddings and parses stored for them."""
    from newstrace.facts.extract import parse_version, restore_parse
    from newstrace.nlp.embeddings import DIMENSIONS
    from newstrace.reuse.text import VIEW_VERSION, restore_view

    rows = (
        conn.execute(
            sa.select(_documents)
            .where(_documents.c.story.in_(story_ids))
            .order_by(_documents.c.seq)
        )
        .mappings()
        .all()
    )
    documents, seqs = [_row_document(r) for r in rows], [r["seq"] for r in rows]
    by_seq = dict(zip(seqs, documents))

    def view(row) -> None:
        spans = np.frombuffer(row.spans, dtype=np.int32).reshape(-1, 2)
        embeddings = (
            np.frombuffer(row.embeddings, dtype=np.float32).reshape(len(spans), DIMENSIONS).copy()
        )
        restore_view(by_seq[row.seq], [(int(a), int(b)) for a, b in spans], embeddings)

    _restore_rows(conn, _views, VIEW_VERSION, seqs, view)
    _restore_rows(
        conn, _parses, parse_version(), seqs, lambda row: restore_parse(by_seq[row.seq], row.data)
    )
    return documents, seqs


def _restore_rows(
    conn: Connection, table: sa.Table, version: str, seqs: list[int], restore
) -> None:
    for start in range(0, len(seqs), 500):
        query = sa.select(table).where(
            table.c.seq.in_(seqs[start : start + 500]), table.c.version == version
        )
        for row in conn.execute(query):
            restore(row)


def _save_nlp(conn: Connection, documents: dict[int, Document]) -> None:
    """Store the sentence embeddings and parses kept on ``documents`` (by seq) that are not stored yet."""
    from newstrace.facts.extract import pack_parse, parse_version
    from newstrace.reuse.text import VIEW_VERSION

    def view_row(doc: Document) -> dict:
        view = doc.annotations.reuse
        if view is None:
            raise ValueError(f"{doc.id}: no reuse view to store")
        return {
            "spans": np.asarray(view.spans, dtype=np.int32).reshape(-1, 2).tobytes(),
            "embeddings": np.ascontiguousarray(view.embeddings, dtype=np.float32).tobytes(),
        }

    with_views = {
        seq: doc
        for seq, doc in documents.items()
        if getattr(doc.annotations.reuse, "embeddings", None) is not None
    }
    _save_rows(conn, _views, lambda: VIEW_VERSION, with_views, view_row)
    with_parses = {seq: doc for seq, doc in documents.items() if doc.annotations.parse is not None}
    _save_rows(conn, _parses, parse_version, with_parses, lambda doc: {"data": pack_parse(doc)})


def _save_rows(
    conn: Connection, table: sa.Table, version_of, documents: dict[int, Document], row_of
) -> None:
    """Insert ``row_of(doc)`` per seq unless a row of this version is there (stored before, or by another process)."""
    if not documents:
        return
    version = version_of()
    seqs = sorted(documents)
    for start in range(0, len(seqs), 500):
        chunk = seqs[start : start + 500]
        conn.execute(table.delete().where(table.c.seq.in_(chunk), table.c.version != version))
        stored = set(conn.execute(sa.select(table.c.seq).where(table.c.seq.in_(chunk))).scalars())
        rows = [
            {"seq": seq, "version": version, **row_of(documents[seq])}
            for seq in chunk
            if seq not in stored
        ]
        if rows:
            conn.execute(table.insert(), rows)


def _prepared_features(prepared):
    """Story features an engine computed (one row per document with text), looked up by document."""
    if prepared.features is None:
        return None
    row_of = {id(doc): n for n, doc in enumerate(d for d in prepared.documents if d.text.strip())}
    return lambda docs: prepared.features.rows([row_of[id(doc)] for doc in docs])


def _stored_hashes(conn: Connection, hashes: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(hashes), 500):
        chunk = hashes[start : start + 500]
        found.update(
            conn.execute(sa.select(_documents.c.hash).where(_documents.c.hash.in_(chunk))).scalars()
        )
    return found


def _document_row(seq: int, doc: Document) -> dict:
    return {
        "seq": seq,
        "id": doc.id,
        "hash": content_hash(doc.text),
        "origin": doc.origin,
        "source": doc.source,
        "url": doc.url,
        "title": doc.title,
        "published": doc.published,
        "text": doc.text,
        "removed": json.dumps([{"text": r.text, "reason": r.reason} for r in doc.removed]),
        "story": doc.story,
    }


def _row_document(row) -> Document:
    return Document(
        id=row["id"],
        origin=row["origin"],
        text=row["text"],
        source=row["source"],
        url=row["url"],
        title=row["title"],
        published=row["published"],
        story=row["story"],
        removed=[Removal(**r) for r in json.loads(row["removed"])],
    )


def _upsert_story(conn: Connection, story: Story) -> None:
    """Store the story's title and dates and bump its revision (its reuse and facts are now out of date)."""
    values = {
        "title": story.title,
        "first_published": story.first_published,
        "last_published": story.last_published,
    }
    updated = conn.execute(
        _stories.update()
        .where(_stories.c.id == story.id)
        .values(revision=_stories.c.revision + 1, **values)
    ).rowcount
    if not updated:
        conn.execute(
            _stories.insert().values(id=story.id, number=int(story.id[1:]), revision=1, **values)
        )


def _feature_row(seq: int, raw, keys: set[int]) -> dict:
    from newstrace.store.state import FEATURES_VERSION, keys_json, pack_features

    return {
        "seq": seq,
        "version": FEATURES_VERSION,
        "keys": keys_json(keys),
        "data": pack_features(raw),
    }


def _load_features(conn: Connection, seqs: list[int]) -> dict[int, bytes]:
    """The packed features of ``seqs`` (unpacked by the caller, stacked per story)."""
    found = {}
    for start in range(0, len(seqs), 500):
        chunk = seqs[start : start + 500]
        for row in conn.execute(
            sa.select(_features.c.seq, _features.c.data).where(_features.c.seq.in_(chunk))
        ):
            found[row.seq] = bytes(row.data)
    return found
