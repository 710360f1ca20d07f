"""The issue's check: kill -9 during a large ingest, re-run, and compare with a clean run.

The corpus is short generated variants of the real ECB+ articles (headline
plus a 40-word window of the body, under an outlet tag), so that thousands of
distinct articles stay affordable. The clean run goes into SQLite, the killed
and resumed one into PostgreSQL: equal stories then also show both backends
group alike. Size: ``NEWSTRACE_KILL_ARTICLES``, default the issue's 10,000
(about 17 minutes on two busy cores: the clean and the killed ingest run side
by side); set it lower for a quick local run.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))
from ecb_variants import ecb_variants

ARTICLES = int(os.environ.get("NEWSTRACE_KILL_ARTICLES", "10000"))


def stored(url: str) -> list[tuple]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [
                tuple(r)
                for r in conn.execute(
                    sa.text("SELECT origin, story, hash FROM documents ORDER BY seq")
                )
            ]
    except sa.exc.SQLAlchemyError:
        return []
    finally:
        engine.dispose()


@pytest.mark.slow
def test_kill_9_during_a_large_ingest_then_rerun_equals_a_clean_run(tmp_path, new_store_url):
    corpus = tmp_path / "variants.jsonl"
    corpus.write_text(
        "".join(json.dumps(r) + "\n" for r in ecb_variants(ARTICLES)), encoding="utf-8"
    )
    clean_url, killed_url = (
        f"sqlite:///{tmp_path / 'clean.db'}",
        new_store_url("postgresql", tmp_path),
    )
    ingest = [sys.executable, "-m", "newstrace.cli", "ingest", str(corpus), "--defer-analysis"]
    clean = subprocess.Popen(
        [*ingest, "--db", clean_url],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    killed = subprocess.Popen(
        [*ingest, "--db", killed_url],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 1800
    while (
        time.monotonic() < deadline
        and killed.poll() is None
        and len(stored(killed_url)) < ARTICLES // 3
    ):
        time.sleep(0.5)
    os.kill(killed.pid, signal.SIGKILL)
    killed.wait()
    partial = stored(killed_url)
    assert 0 < len(partial) < ARTICLES, "the kill came too late to test anything"
    rerun = subprocess.run(
        [*ingest, "--db", killed_url], cwd=tmp_path, capture_output=True, text=True, timeout=3600
    )
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stdout.startswith(
        f"added {ARTICLES - len(partial)} article(s), {len(partial)} already stored"
    )
    assert clean.wait(timeout=3600) == 0, clean.stderr.read()
    resumed = stored(killed_url)
    assert len(resumed) == ARTICLES == len({h for _, _, h in resumed})
    assert resumed[: len(partial)] == partial
    assert resumed == stored(clean_url)
