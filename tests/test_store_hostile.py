"""Issue 22: a store can never be poisoned by one document.

A document whose analysis fails is recorded as failed with its reason, the
rest of its story is analysed, and every later command reads the store.
"""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import SEEDS, newstrace
from typer.testing import CliRunner

import newstrace.web as web
from newstrace.cli import app as cli_app
from newstrace.store import Corpus

pytestmark = pytest.mark.shared


def seeds() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


def one_line(chars: int) -> str:
    words = " ".join(p.read_text(encoding="utf-8") for p in seeds()).split()
    rng = random.Random(7)
    return " ".join(rng.choice(words) for _ in range(chars // 5))[:chars]


def poisoned_store(tmp_path: Path) -> tuple[Path, str]:
    """A store whose first document holds a 1.2 MB one-line text (as an older newstrace stored
    it), its stories not analysed yet; returns the file and that document's origin."""
    db = tmp_path / "store.db"
    with Corpus(str(db)) as corpus:
        corpus.ingest([str(p) for p in seeds()[:3]], analyse=False)
    with sqlite3.connect(db) as conn:
        (origin,) = conn.execute("SELECT origin FROM documents WHERE id = 'd1'").fetchone()
        conn.execute("UPDATE documents SET text = ? WHERE id = 'd1'", (one_line(1_200_000),))
    return db, origin


@pytest.mark.slow
def test_a_document_whose_analysis_fails_is_recorded_and_the_store_stays_readable(tmp_path):
    db, origin = poisoned_store(tmp_path)
    with Corpus(str(db)) as corpus:
        report = corpus.export_report()
        assert {d.id for d in report.documents} == {"d1", "d2", "d3"}
        assert [s.origin for s in report.skipped] == [origin]
        assert report.skipped[0].error.startswith("analysis failed: ValueError: [E088]")
        stories = corpus.stories()
    assert sum(s["articles"] for s in stories) == 3
    again = newstrace("export", "--db", str(db), "--json", str(tmp_path / "r.json"), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    listed = newstrace("stories", "--db", str(db), cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr


@pytest.mark.slow
def test_refresh_retry_failed_analyses_a_repaired_document(tmp_path):
    db, origin = poisoned_store(tmp_path)
    with Corpus(str(db)) as corpus:
        corpus.refresh()
        assert [f.origin for f in corpus.failures()] == [origin]
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE documents SET text = ? WHERE id = 'd1'",
            (seeds()[0].read_text(encoding="utf-8"),),
        )
    run = newstrace("refresh", "--db", str(db), "--retry-failed", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "1 earlier failure(s) retried" in run.stdout
    with Corpus(str(db)) as corpus:
        assert corpus.failures() == []


# --- read-only stores, files that are not stores ----------------------------------------


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("how", ["file 444", "folder 555"])
@pytest.mark.slow
def test_a_read_only_store_is_read_and_never_written(tmp_path, how, monkeypatch):
    folder = tmp_path / "archive"
    folder.mkdir()
    db = folder / "store.db"
    with Corpus(str(db)) as corpus:
        corpus.ingest([str(p) for p in seeds()[:3]], analyse=False)
    db.chmod(0o444)
    if how == "folder 555":
        db.chmod(0o644)
        folder.chmod(0o555)
    before = snapshot(folder)
    try:
        out = tmp_path / "r.json"
        exported = newstrace("export", "--db", str(db), "--json", str(out), cwd=tmp_path)
        assert exported.returncode == 0, exported.stderr
        assert "the store is read-only here" in exported.stderr
        assert len(json.loads(out.read_text(encoding="utf-8"))["documents"]) == 3
        listed = newstrace("stories", "--db", str(db), cwd=tmp_path)
        assert listed.returncode == 0 and "s1" in listed.stdout, listed.stderr
        shown = newstrace("story", "s1", "--db", str(db), cwd=tmp_path)
        assert shown.returncode == 0, shown.stderr
        refused = newstrace("ingest", str(seeds()[4]), "--db", str(db), cwd=tmp_path)
        assert refused.returncode == 1 and "read-only" in refused.stderr
        served = []
        monkeypatch.setattr(web, "run_server", lambda *args: served.append(args[0]))
        serve = CliRunner().invoke(cli_app, ["serve", "--db", str(db)])
        assert serve.exit_code == 0 and "read-only" in serve.output, serve.output
        assert len(served[0].documents) == 3
        for args in (["refresh"], ["refresh", "--retry-failed"]):
            no_refresh = newstrace(*args, "--db", str(db), cwd=tmp_path)
            assert no_refresh.returncode == 1 and "read-only" in no_refresh.stderr
        assert "Traceback" not in exported.stderr + listed.stderr + shown.stderr + refused.stderr
        assert snapshot(folder) == before
    finally:
        folder.chmod(0o755)
        db.chmod(0o644)


@pytest.mark.slow
def test_an_empty_file_or_another_database_as_db_is_refused_untouched(tmp_path):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
    other_bytes = other.read_bytes()
    for db, reason in ((empty, "an empty file"), (other, "another program")):
        for args in (
            ["ingest", str(seeds()[0]), "--db", str(db)],
            ["export", "--db", str(db), "--json", str(tmp_path / "r.json")],
            ["stories", "--db", str(db)],
        ):
            run = newstrace(*args, cwd=tmp_path)
            assert run.returncode == 1, (args, run.stdout)
            assert reason in run.stderr and "Traceback" not in run.stderr
    assert empty.read_bytes() == b"" and other.read_bytes() == other_bytes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db", "other.db"]


def test_a_read_only_postgresql_role_reads_the_store_and_writes_nothing(tmp_path, request):
    postgres = request.getfixturevalue("postgres")
    url = postgres.database()
    with Corpus(url) as corpus:
        corpus.ingest([str(p) for p in seeds()[:3]], analyse=False)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP ROLE IF EXISTS reader"))
        conn.execute(sa.text("CREATE ROLE reader LOGIN"))
        conn.execute(sa.text("GRANT USAGE ON SCHEMA public TO reader"))
        conn.execute(sa.text("GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader"))
    engine.dispose()
    reader = url.replace("//newstrace@", "//reader@")
    with Corpus(reader, create=False) as corpus:
        assert corpus.read_only
        report = corpus.export_report()
        assert len(report.documents) == 3 and not any(s.facts for s in report.stories)
        assert "read-only" in (corpus.stale_note or "")
        assert corpus.stories()[0]["articles"] >= 1
    with Corpus(url, create=False) as corpus:
        assert corpus.stale_stories() >= 1  # nothing was analysed or written
