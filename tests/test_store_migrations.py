"""Schema migrations: old stores upgrade with their data, newer ones are refused, code and migrations agree."""

from __future__ import annotations

import subprocess
import sys

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from newstrace.store import Corpus, schema

FIRST_SLICE_ROWS = [
    ("s1", 1, "Quake hits the coast", "2024-10-22", "2024-10-23"),
    ("s2", 2, "Minister resigns", None, None),
]
FIRST_SLICE_DOCUMENTS = [
    (
        1,
        "d1",
        "a" * 64,
        "one.txt",
        "Coast Herald",
        "Quake hits the coast",
        "2024-10-22",
        "Quake hits the coast\n\nA strong earthquake struck the coast on Tuesday, officials said.",
        "s1",
    ),
    (
        2,
        "d2",
        "b" * 64,
        "two.txt",
        None,
        None,
        None,
        "Minister resigns\n\nThe minister resigned on Friday after a week of protests in the capital.",
        "s2",
    ),
    (
        3,
        "d3",
        "c" * 64,
        "three.txt",
        "Daily",
        None,
        "2024-10-23",
        "Quake toll rises\n\nThe earthquake that struck the coast killed 12 people, officials said.",
        "s1",
    ),
]


def _engine(url: str) -> sa.Engine:
    return sa.create_engine(url)


def _make_first_slice_store(url: str) -> None:
    """A store as the first slice wrote it: revision 0001 tables, rows, and no alembic_version table."""
    engine = _engine(url)
    with engine.begin() as conn:
        schema.migrate(conn, url, target=schema.FIRST_REVISION)
        conn.execute(sa.text("DROP TABLE alembic_version"))
        for row in FIRST_SLICE_ROWS:
            conn.execute(
                sa.text(
                    "INSERT INTO stories (id, number, title, first_published, last_published) "
                    "VALUES (:i, :n, :t, :f, :l)"
                ),
                dict(zip("intfl", row)),
            )
        for (
            seq,
            doc_id,
            digest,
            origin,
            source,
            title,
            published,
            text,
            story,
        ) in FIRST_SLICE_DOCUMENTS:
            conn.execute(
                sa.text(
                    "INSERT INTO documents (seq, id, hash, origin, source, url, title, published, text, removed, story) "
                    "VALUES (:seq, :id, :hash, :origin, :source, NULL, :title, :published, :text, '[]', :story)"
                ),
                {
                    "seq": seq,
                    "id": doc_id,
                    "hash": digest,
                    "origin": origin,
                    "source": source,
                    "title": title,
                    "published": published,
                    "text": text,
                    "story": story,
                },
            )
    engine.dispose()


def test_a_first_slice_store_is_upgraded_with_its_data_intact(db_url):
    _make_first_slice_store(db_url)
    with Corpus(db_url) as corpus:
        documents = corpus.documents()
        listed = corpus.stories()
        report = corpus.export_report()
    assert [(d.id, d.origin, d.story, d.published, d.text) for d in documents] == [
        (doc_id, origin, story, published, text)
        for _, doc_id, _, origin, _, _, published, text, story in FIRST_SLICE_DOCUMENTS
    ]
    assert [(s["id"], s["title"], s["articles"]) for s in listed] == [
        ("s1", "Quake hits the coast", 2),
        ("s2", "Minister resigns", 1),
    ]
    assert [s.documents for s in report.stories] == [["d1", "d3"], ["d2"]]
    engine = _engine(db_url)
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == schema.head()
    engine.dispose()


def test_the_tables_the_code_uses_are_what_the_migrations_make(db_url):
    engine = _engine(db_url)
    with engine.begin() as conn:
        schema.migrate(conn, db_url)
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), schema.metadata)
    engine.dispose()
    assert differences == []


def test_every_revision_downgrades_and_upgrades_again(db_url):
    from alembic.config import Config
    from alembic.runtime.environment import EnvironmentContext

    engine = _engine(db_url)
    with engine.begin() as conn:
        schema.migrate(conn, db_url)
    script = schema.scripts()
    with engine.begin() as conn:
        with EnvironmentContext(
            Config(), script, fn=lambda rev, _c: script._downgrade_revs("base", rev)
        ) as env:
            env.configure(connection=conn)
            env.run_migrations()
        assert not sa.inspect(conn).has_table("documents")
        schema.migrate(conn, db_url)
        assert sa.inspect(conn).has_table("story_results")
    engine.dispose()


def test_a_store_from_a_newer_newstrace_is_a_one_line_error(tmp_path, db_url):
    Corpus(db_url).close()
    engine = _engine(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0999'"))
    engine.dispose()
    run = subprocess.run(
        [sys.executable, "-m", "newstrace.cli", "stories", "--db", db_url],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert "0999" in run.stderr and schema.head() in run.stderr
