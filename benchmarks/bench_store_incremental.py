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
- ``--history N`` (e.g. ``--base 2000 --new 1000 --history 98000``): the
  1k new articles go into a store of ``--base`` articles plus N of closed,
  older history, and into the same store without the history, in one run.
  The history replicates the base store's rows at the SQL level, dated a
  month apart (see ``history_scenario``), so a 100k-article store takes
  minutes to make instead of hours; ``analyze`` of 100k is not run (hours).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))
from ecb_variants import ecb_variants


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def timed(args: list[str], cwd: Path) -> float:
    return measured(args, cwd)[0]


def measured(args: list[str], cwd: Path) -> tuple[float, float]:
    """Seconds and peak resident memory (MB) of one ``newstrace`` command in a fresh process."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "newstrace.cli", *args],
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status):
            errors.seek(0)
            sys.exit(
                f"bench: {' '.join(args[:2])} failed: {errors.read().decode(errors='replace').strip()[-500:]}"
            )
    return seconds, usage.ru_maxrss / 1024


def open_seconds(url: str) -> tuple[float, int]:
    """Seconds to open the store and restore its story index in a fresh process, and its open stories."""
    code = (
        f"import time; t = time.perf_counter(); from newstrace.store import Corpus; c = Corpus({url!r}); "
        "c._catch_up(); print(time.perf_counter() - t, len(c._index.open))"
    )
    seconds, still_open = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(seconds), int(still_open)


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return f"{os.cpu_count()} cores ({model}), CPU only, Python {platform.python_version()}"


def touched_stories(url: str, since: int) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        found = conn.execute(
            sa.text("SELECT count(DISTINCT story) FROM documents WHERE seq > :s"), {"s": since}
        ).scalar()
    engine.dispose()
    return found


def scenario(name: str, records: list[dict], base: int, new: int, steps: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        url = f"sqlite:///{work / 'corpus.db'}"
        start = time.perf_counter()
        timed(["ingest", str(write_jsonl(work / "base.jsonl", records[:base])), "--db", url], work)
        print(
            f"{name}: built the store, {base} articles in {time.perf_counter() - start:.0f} s (not compared)"
        )
        print(
            "  stored   new  touched  open+restore_s  incremental_s  (peak MB)  reanalyse_all_s  (peak MB)  ratio"
        )
        stored = base
        for step in range(steps):
            batch = records[stored : stored + new]
            everything = write_jsonl(work / f"all{step}.jsonl", records[: stored + new])
            opening, _ = open_seconds(url)
            incremental, incremental_mb = measured(
                ["ingest", str(write_jsonl(work / f"new{step}.jsonl", batch)), "--db", url], work
            )
            reanalyse, reanalyse_mb = measured(
                ["analyze", str(everything), "--json", str(work / "report.json"), "--quiet"], work
            )
            print(
                f"  {stored:6d} {len(batch):5d} {touched_stories(url, stored):8d} {opening:15.1f} "
                f"{incremental:14.1f} {incremental_mb:10.0f} {reanalyse:16.1f} {reanalyse_mb:10.0f} "
                f"{reanalyse / incremental:6.2f}x",
                flush=True,
            )
            stored += len(batch)


TODAY = "2026-11-20"
"""The date of the history scenario's base and new articles; its history is dated months before."""


def history_scenario(records: list[dict], base: int, new: int, history: int) -> None:
    """1k new articles into a store whose older history has closed, against the same store without it.

    The history is replicas of the base store's rows (documents, features,
    stories, stored results), each dated a month before the next, so its
    stories are closed and analysed, as a year of stored news would be. Built
    at the SQL level: a real 100k ingest takes hours on 2 cores.
    """
    dated = [{**record, "published": TODAY} for record in records[: base + new]]
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        plain, padded = f"sqlite:///{work / 'plain.db'}", f"sqlite:///{work / 'padded.db'}"
        start = time.perf_counter()
        timed(["ingest", str(write_jsonl(work / "base.jsonl", dated[:base])), "--db", plain], work)
        print(
            f"history: built the {base}-article store in {time.perf_counter() - start:.0f} s (not compared)"
        )
        start = time.perf_counter()
        stored = replicate(plain, padded, copies=max(1, history // base))
        print(
            f"history: {stored} stored articles after replicating it, {time.perf_counter() - start:.0f} s (not compared)"
        )
        batch = write_jsonl(work / "new.jsonl", dated[base : base + new])
        print("  stored   new  open_stories  touched  open+restore_s  incremental_s  (peak MB)")
        runs = [(padded, stored), (plain, base)]
        for url, count in runs + runs[::-1]:  # both orders: the load of a shared machine drifts
            fresh = work / "step.db"
            shutil.copyfile(url.removeprefix("sqlite:///"), fresh)
            step = f"sqlite:///{fresh}"
            opening, still_open = open_seconds(step)
            incremental, peak_mb = measured(["ingest", str(batch), "--db", step], work)
            print(
                f"  {count:6d} {new:5d} {still_open:13d} {touched_stories(step, count):8d} {opening:15.1f} "
                f"{incremental:14.1f} {peak_mb:10.0f}",
                flush=True,
            )
            fresh.unlink()


def replicate(source: str, target: str, copies: int) -> int:
    """Fill ``target`` with ``copies`` dated-back replicas of ``source``'s rows, then ``source``'s own; returns the count."""
    import hashlib
    import re
    from datetime import date, timedelta

    import sqlalchemy as sa

    from newstrace.store import Corpus, schema, state

    Corpus(target).close()
    reading, writing = sa.create_engine(source), sa.create_engine(target)
    with reading.connect() as conn:
        rows = {
            table.name: [dict(r) for r in conn.execute(sa.select(table)).mappings()]
            for table in (
                schema.stories,
                schema.documents,
                schema.features,
                schema.story_results,
                schema.reuse_views,
                schema.parses,
                schema.checkpoints,
            )
        }
    documents, stories = len(rows["documents"]), max(r["number"] for r in rows["stories"])
    today = date.fromisoformat(TODAY)
    with writing.begin() as conn:
        for k in range(copies + 1):
            last = k == copies
            when = None if last else (today - timedelta(days=30 * (copies - k + 1))).isoformat()
            doc_id = lambda m, k=k: f"d{int(m.group(1)) + k * documents}"  # noqa: E731
            story_id = lambda sid, k=k: f"s{int(sid[1:]) + k * stories}"  # noqa: E731
            conn.execute(
                schema.stories.insert(),
                [
                    {
                        **r,
                        "id": story_id(r["id"]),
                        "number": r["number"] + k * stories,
                        **({} if last else {"first_published": when, "last_published": when}),
                    }
                    for r in rows["stories"]
                ],
            )
            conn.execute(
                schema.documents.insert(),
                [
                    {
                        **r,
                        "seq": r["seq"] + k * documents,
                        "id": f"d{r['seq'] + k * documents}",
                        "story": story_id(r["story"]),
                        **(
                            {}
                            if last
                            else {
                                "published": when,
                                "hash": hashlib.sha256(f"{r['hash']}/{k}".encode()).hexdigest(),
                            }
                        ),
                    }
                    for r in rows["documents"]
                ],
            )
            conn.execute(
                schema.features.insert(),
                [{**r, "seq": r["seq"] + k * documents} for r in rows["features"]],
            )
            conn.execute(
                schema.story_results.insert(),
                [
                    {
                        **r,
                        "story": story_id(r["story"]),
                        "reuse": re.sub(
                            r'"d(\d+)"', lambda m, doc_id=doc_id: f'"{doc_id(m)}"', r["reuse"]
                        ),
                        "facts": re.sub(
                            r'"d(\d+)"', lambda m, doc_id=doc_id: f'"{doc_id(m)}"', r["facts"]
                        ),
                    }
                    for r in rows["story_results"]
                ],
            )
            if (
                last
            ):  # closed history is never analysed again: its stored NLP is left out to save space
                for table in (schema.reuse_views, schema.parses):
                    conn.execute(
                        table.insert(),
                        [{**r, "seq": r["seq"] + k * documents} for r in rows[table.name]],
                    )
        frequency = state.unpack_frequency(rows["checkpoints"][0]["data"])
        frequency.documents *= copies + 1
        for counts in frequency.counts.values():
            counts *= copies + 1
        conn.execute(
            schema.checkpoints.insert(),
            {
                **rows["checkpoints"][0],
                "seq": documents * (copies + 1),
                "data": state.pack_frequency(frequency),
            },
        )
    reading.dispose()
    writing.dispose()
    return documents * (copies + 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=1000)
    parser.add_argument("--new", type=int, default=1000)
    parser.add_argument(
        "--steps", type=int, nargs=2, default=[2, 1], metavar=("NEW_EVENTS", "FOLLOW_UPS")
    )
    parser.add_argument(
        "--history",
        type=int,
        default=0,
        help="instead: ingest --new into --base articles plus this many of closed history",
    )
    options = parser.parse_args()
    print(f"machine: {machine()}", flush=True)
    if options.history:
        return history_scenario(
            ecb_variants(options.base + options.new, per_article=4),
            options.base,
            options.new,
            options.history,
        )
    for name, per_article, steps in (
        ("new-events", 4, options.steps[0]),
        ("follow-ups", 0, options.steps[1]),
    ):
        if steps:
            total = options.base + steps * options.new
            scenario(
                name, ecb_variants(total, per_article=per_article), options.base, options.new, steps
            )


if __name__ == "__main__":
    main()
