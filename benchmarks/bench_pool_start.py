"""What starting the pool while reading saves: the wait for warm workers before the NLP.

Each run is a fresh process that reads and cleans the first N ECB+
development articles inside :func:`newstrace.engine.local.local_run` and then
waits until the pool's first worker has loaded its models (where the NLP
would start), without running the NLP. ``early``: the pool starts as soon as
reading has found enough documents (what ``analyze`` does); ``after``: it
starts once reading and cleaning are done (before issue 24's third round).
Runs alternate; for each: wall time to reading+cleaning done, to the first
warm worker, and the wait in between (this process idle).

Usage: .venv/bin/python benchmarks/bench_pool_start.py [--size 300] [--repeats 3] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ECB = Path(__file__).resolve().parents[2] / "shared" / "dev" / "ecb"

CHILD = """
import json, sys, time
start = time.perf_counter()
from newstrace.engine import local
if sys.argv[2] == "after":
    local.LocalRun.documents_read = lambda self, count: None
with local.jobs_limit(int(sys.argv[3])), local.local_run() as run:
    local.prepare_local([sys.argv[1]], lambda step, done, total: None)
    read = time.perf_counter() - start
    run.pool_for(int(sys.argv[3])).check()
    warm = time.perf_counter() - start
print(json.dumps({"read": read, "warm": warm, "wait": warm - read}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    env = dict(os.environ, NEWSTRACE_THREADS="1")
    runs: dict[str, list[dict]] = {"early": [], "after": []}
    with tempfile.TemporaryDirectory() as tmp:
        for path in sorted(ECB.glob("*.txt"))[: args.size]:
            (Path(tmp) / path.name).write_bytes(path.read_bytes())
        for _ in range(args.repeats):
            for name in runs:
                load = os.getloadavg()[0]
                out = subprocess.run(
                    [sys.executable, "-c", CHILD, tmp, name, str(args.jobs)],
                    env=env, capture_output=True, text=True, check=True,
                ).stdout  # fmt: skip
                runs[name].append(json.loads(out.strip().splitlines()[-1]) | {"load": load})
                print(name, json.dumps(runs[name][-1]))
    print(f"\nmedian of {args.repeats}, alternated:")
    for name, rs in runs.items():
        cells = "  ".join(f"{k} {statistics.median(r[k] for r in rs):5.2f} s" for k in rs[0])
        print(f"  {name:5s} {cells}")


if __name__ == "__main__":
    main()
