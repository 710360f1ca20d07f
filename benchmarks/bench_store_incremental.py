"""Incremental ingest of 1k new articles into a stored corpus vs re-analysing everything.

    .venv/bin/python benchmarks/bench_store_incremental.py [--base 1000] [--new 1000] [--steps 2 1]

What is measured (say so when quoting):
- The corpus is short generated variants of the 772 real ECB+ articles
  (headline plus a 40-word window of the body under an outlet tag, the
  generator of ``tests/test_store_kill.py``): real text, thousands of distinct
  articles. Two orders, two scenarios:
  ``new-events``: four variants of each article in turn, so the next 1k
  articles are mostly about events the store has not seen (a day's news);
  ``follow-ups``: one variant of every article per round, so every new article
  joins a stored story (the worst case: each touched story is analysed again).
- A SQLite store is built with ``--base`` articles (not timed). Then, per step,
  ``newstrace ingest NEW_1K`` (a fresh process: opening the store, restoring
  the story index, NLP of the new articles, grouping, then reuse + facts of the
  stories they touched) is timed against ``newstrace analyze ALL --json`` over
  everything stored so far plus the new 1k (the peer: what one does without a
  store). Both are the real command in a subprocess, in the same run.
- Also timed: opening the store and restoring the index alone (what grows with
  the stored corpus in the incremental path), and the stories touched.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))
from ecb_variants import ecb_variants  # noqa: E402


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def timed(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "newstrace.cli", *args], cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if run.returncode:
        sys.exit(f"bench: {' '.join(args[:2])} failed: {run.stderr.strip()[-500:]}")
    return seconds


def open_seconds(url: str) -> float:
    code = ("import time; t = time.perf_counter(); from newstrace.store import Corpus; c = Corpus(%r); "
            "c._catch_up(); print(time.perf_counter() - t)") % url
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    return f"{os.cpu_count()} cores ({model}), CPU only, Python {platform.python_version()}"


def touched_stories(url: str, since: int) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        found = conn.execute(sa.text("SELECT count(DISTINCT story) FROM documents WHERE seq > :s"), {"s": since}).scalar()
    engine.dispose()
    return found


def scenario(name: str, records: list[dict], base: int, new: int, steps: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        url = f"sqlite:///{work / 'corpus.db'}"
        start = time.perf_counter()
        timed(["ingest", str(write_jsonl(work / "base.jsonl", records[:base])), "--db", url], work)
        print(f"{name}: built the store, {base} articles in {time.perf_counter() - start:.0f} s (not compared)")
        print("  stored   new  touched  open+restore_s  incremental_s  reanalyse_all_s  ratio")
        stored = base
        for step in range(steps):
            batch = records[stored:stored + new]
            everything = write_jsonl(work / f"all{step}.jsonl", records[:stored + new])
            opening = open_seconds(url)
            incremental = timed(["ingest", str(write_jsonl(work / f"new{step}.jsonl", batch)), "--db", url], work)
            reanalyse = timed(["analyze", str(everything), "--json", str(work / "report.json"), "--quiet"], work)
            print(f"  {stored:6d} {len(batch):5d} {touched_stories(url, stored):8d} {opening:15.1f} "
                  f"{incremental:14.1f} {reanalyse:16.1f} {reanalyse / incremental:6.2f}x", flush=True)
            stored += len(batch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=1000)
    parser.add_argument("--new", type=int, default=1000)
    parser.add_argument("--steps", type=int, nargs=2, default=[2, 1], metavar=("NEW_EVENTS", "FOLLOW_UPS"))
    options = parser.parse_args()
    print(f"machine: {machine()}", flush=True)
    for name, per_article, steps in (("new-events", 4, options.steps[0]), ("follow-ups", 0, options.steps[1])):
        if steps:
            total = options.base + steps * options.new
            scenario(name, ecb_variants(total, per_article=per_article), options.base, options.new, steps)


if __name__ == "__main__":
    main()
