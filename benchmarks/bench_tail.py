"""The serial tail of ``analyze`` (reuse pair checks, facts) here or on the run's worker pool.

One process, one pool, one batch: the first N ECB+ development articles are
read, cleaned, analysed in a pool of ``--jobs`` workers (the local engine's
:func:`newstrace.engine.local.local_run`) and grouped; then the stories'
analysis (reuse, then facts, as ``analyze`` runs them) runs ``--repeats``
times on fresh copies of the documents and stories, alternately with the
builtin ``map`` (in this process, as before issue 24's tail moved) and with
the pool's ``map`` (on the workers that ran the NLP). For each run: wall
time, this process's CPU (its threads included: pickling the work items and
results happens here) and the workers' CPU (from ``/proc``), and a digest of
the stories (reuse links and facts), which must be the same either way.
Measured in one process and alternated, so the ratio holds on a shared
machine better than two separate runs would; the first ``map`` run also pays
for loading spaCy in this process (as a run without the pool does).

Usage: .venv/bin/python benchmarks/bench_tail.py [--size 300] [--repeats 3] [--jobs 2]
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from newstrace import pipeline
from newstrace.engine.local import WorkerPool, jobs_limit, local_run, prepare_local
from newstrace.engine.work import annotate_each
from newstrace.stories import group_stories

ECB = Path(__file__).resolve().parents[2] / "shared" / "dev" / "ecb"
TICKS = os.sysconf("SC_CLK_TCK")


def workers_cpu(pool: WorkerPool) -> float:
    """CPU seconds (user + system) the pool's live worker processes have used so far."""
    executor = pool._executor
    total = 0.0
    for process in (getattr(executor, "_processes", None) or {}).values():
        try:
            fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


def tail(kept, stories, work_map) -> str:
    """Reuse then facts, story by story on failure, as ``analyze`` runs them; a digest of the stories."""
    skipped: list = []
    pipeline._story_by_story(pipeline._reuse_only, "reuse", kept, stories, skipped, work_map)
    pipeline._story_by_story(pipeline._facts_only, "facts", kept, stories, skipped, work_map)
    text = json.dumps([s.to_dict() for s in stories] + [str(s) for s in skipped], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("NEWSTRACE_THREADS", "1")
    runs: dict[str, list[dict]] = {"map": [], "pool": []}
    with tempfile.TemporaryDirectory() as tmp:
        for path in sorted(ECB.glob("*.txt"))[: args.size]:
            (Path(tmp) / path.name).write_bytes(path.read_bytes())
        with jobs_limit(args.jobs), local_run() as run:
            prepared = prepare_local([tmp], lambda step, done, total: None)
            kept, _, _ = pipeline._kept(prepared)
            kept, features, _ = annotate_each(kept, True, True)
            stories = group_stories(kept, features)
            pool = run.pool
            assert pool is not None, "the NLP did not run in a pool: raise --size or --jobs"
            print(f"{len(kept)} documents, {len(stories)} stories, {pool.workers} workers; "
                  f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
            for _ in range(args.repeats):
                for name, work_map in (("map", map), ("pool", pool.map)):
                    docs, grouped = copy.deepcopy((kept, stories))
                    wall, cpu, other = time.perf_counter(), time.process_time(), workers_cpu(pool)
                    digest = tail(docs, grouped, work_map)
                    runs[name].append(
                        {
                            "wall": time.perf_counter() - wall,
                            "cpu": time.process_time() - cpu,
                            "workers": workers_cpu(pool) - other,
                            "digest": digest,
                            "load": os.getloadavg()[0],
                        }
                    )
                    print(name, json.dumps(runs[name][-1]))
    print(f"\nmedian of {args.repeats}, alternated (map first in each round):")
    for name, rs in runs.items():
        wall = statistics.median(r["wall"] for r in rs)
        cpu = statistics.median(r["cpu"] for r in rs)
        workers = statistics.median(r["workers"] for r in rs)
        print(f"  {name:5s} wall {wall:5.2f} s  this process CPU {cpu:5.2f} s  "
              f"workers CPU {workers:5.2f} s  digests {sorted({r['digest'] for r in rs})}")  # fmt: skip


if __name__ == "__main__":
    main()
