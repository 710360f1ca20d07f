"""Local engine vs Dask LocalCluster: throughput and peak memory, in one run on the same data.

Data: one JSON Lines dump of N short articles built from the ECB+ development
texts (headline and first three paragraphs of an article, ~1 KB of text,
with a numbered reference line so every record is distinct), so the Dask
engine also exercises record-range partitions.

Two stages are measured, each engine in a fresh child process (the parent
samples the resident memory of the child *and all its descendants*, i.e.
the Dask scheduler and worker processes, every 50 ms and keeps the peak):

- ``clean``: read + clean only (``prepared_documents(..., nlp=False)``), at
  1k, 10k and 100k articles;
- ``nlp``: read + clean + everything the Dask engine runs on workers: spaCy
  NER, sentence splitting and MiniLM embeddings for reuse, the spaCy parse
  for facts, story features (``engine.work.annotate``). Full NLP on 10k+ articles takes far longer than a
  benchmark should (tens of minutes on 2 cores), so by default only 1k.

Models are loaded before timing in both engines (the Dask workers load them
in their ``WorkerPlugin`` at start); the LocalCluster's start-up is reported
apart. CPU time (user + system, summed over the client and every worker)
is printed too: on a shared machine the wall-clock throughput depends on
what else runs, the CPU cost per document does not. Grouping, linking and
comparing are not measured: they run on the
client in both engines, on the same documents.

A third mode, ``--analyze-sizes N``, runs the whole ``analyze`` (report
included) on the first N ECB+ dev articles (whole texts, one file each) in
three fresh processes: the local engine, the Dask engine of this checkout and
the Dask engine of ``--other-src`` (another checkout's ``src``, e.g. main's:
before the stories' analysis moved to the workers). It prints the wall time,
the CPU time of the client process (which also hosts the LocalCluster's
scheduler) and of the workers, peak memory, and a digest of the report JSON
(equal digests: byte-identical reports); then, per stage (read, clean, nlp,
group, reuse, facts), wall and client CPU seconds from the stage's first
progress report to the next stage's (the last one runs to the end of
``to_json``).

Usage: .venv/bin/python benchmarks/bench_engine.py [--clean-sizes 1000,10000,100000] [--nlp-sizes 1000]
       .venv/bin/python benchmarks/bench_engine.py --clean-sizes '' --nlp-sizes '' --analyze-sizes 300 --other-src ../main/src
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ECB = Path(__file__).resolve().parents[2] / "shared" / "dev" / "ecb"
WORKERS = 2


def short_articles(n: int) -> list[dict]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(ECB.glob("*.txt"))]
    records = []
    for i in range(n):
        lines = [line for line in texts[i % len(texts)].splitlines() if line.strip()]
        body = "\n".join(lines[1:4] + [f"Reference {i}."])
        records.append({"title": lines[0], "text": body, "source": f"outlet{i % 50}.example"})
    return records


def write_dump(folder: Path, n: int) -> Path:
    path = folder / f"articles_{n}.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        for record in short_articles(n):
            out.write(json.dumps(record) + "\n")
    return path


def child(stage: str, engine: str, path: str) -> None:
    """Run one measurement in this process; print its figures as JSON."""
    if stage == "analyze":
        print(json.dumps(child_analyze(engine, path)))
        return
    from newstrace.engine import prepared_documents
    from newstrace.engine.work import annotate, warm_models

    nlp = stage == "nlp"
    started = time.perf_counter()
    if engine == "local":
        warm_models(nlp=nlp)
        begin, cpu_before = time.perf_counter(), _cpu_seconds()
        prepared = prepared_documents([path])
        if nlp:
            annotate([d for d in prepared.documents if d.text.strip()], reuse=True)
        seconds, startup = time.perf_counter() - begin, begin - started
        cpu = _cpu_seconds() - cpu_before
    else:
        from newstrace.engine.dask_engine import (
            PLUGIN_NAME,
            _model_plugin,
            dask_client,
            prepare_on_dask,
        )

        with dask_client(workers=WORKERS) as client:
            client.register_plugin(_model_plugin(True, nlp), name=PLUGIN_NAME)
            begin, cpu_before = time.perf_counter(), _cluster_cpu_seconds(client)
            prepared = prepare_on_dask([path], client, nlp=nlp)
            seconds, startup = time.perf_counter() - begin, begin - started
            cpu = _cluster_cpu_seconds(client) - cpu_before
    print(
        json.dumps(
            {
                "documents": len(prepared.documents),
                "seconds": seconds,
                "startup": startup,
                "cpu": cpu,
            }
        )
    )


def child_analyze(engine: str, folder: str) -> dict:
    """The whole ``analyze`` of ``folder`` with ``engine``, models loaded before the clock starts."""
    import hashlib

    from newstrace.pipeline import analyze

    stages: dict[str, tuple[float, float]] = {}

    def progress(name: str, done: int, total: int) -> None:
        """The wall and client CPU clocks when each stage first reports."""
        stages.setdefault(name.split(":")[0], (time.perf_counter(), time.process_time()))

    if engine == "local":
        from newstrace.engine.work import warm_models

        warm_models()
        begin, client_before = time.perf_counter(), _cpu_seconds()
        report = analyze([folder], progress=progress)
        seconds, workers_cpu = time.perf_counter() - begin, 0.0
        client_cpu = _cpu_seconds() - client_before
    else:
        from newstrace.engine.dask_engine import PLUGIN_NAME, _model_plugin, dask_client

        with dask_client(workers=WORKERS) as client:
            client.register_plugin(_model_plugin(True), name=PLUGIN_NAME)
            begin, client_before = time.perf_counter(), _cpu_seconds()
            workers_before = sum(client.run(_cpu_seconds).values())
            report = analyze([folder], engine="dask", client=client, progress=progress)
            seconds = time.perf_counter() - begin
            client_cpu = _cpu_seconds() - client_before
            workers_cpu = sum(client.run(_cpu_seconds).values()) - workers_before
    text = report.to_json()
    stages["end"] = (time.perf_counter(), time.process_time())
    return {
        "stages": _stage_spans(stages),
        "documents": len(report.documents),
        "seconds": seconds,
        "client_cpu": client_cpu,
        "workers_cpu": workers_cpu,
        "report": hashlib.sha256(text.encode()).hexdigest()[:12],
    }


def _stage_spans(stages: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """Wall and client CPU seconds of each stage: from its first report to the next stage's."""
    marks = sorted(stages.items(), key=lambda item: item[1][0])
    return {
        name: (round(after[0] - at[0], 1), round(after[1] - at[1], 1))
        for (name, at), (_, after) in itertools.pairwise(marks)
    }


def _cpu_seconds() -> float:
    """CPU time (user + system) of this process."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _cluster_cpu_seconds(client) -> float:
    """CPU time of the client process (which also hosts the LocalCluster's scheduler) and of every worker."""
    return _cpu_seconds() + sum(client.run(_cpu_seconds).values())


def measure(stage: str, engine: str, path: Path, src: str | None = None) -> dict:
    env = dict(os.environ, PYTHONPATH=src) if src else None
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", stage, engine, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        parent = psutil.Process(proc.pid)
        while not done.is_set():
            try:
                tree = [parent, *parent.children(recursive=True)]
                peak = max(peak, sum(_rss(p) for p in tree))
            except psutil.NoSuchProcess:
                pass
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    done.set()
    sampler.join()
    if proc.returncode:
        raise SystemExit(f"{stage}/{engine} failed with exit code {proc.returncode}")
    figures = json.loads(out.strip().splitlines()[-1])
    figures["peak_mb"] = peak / 1e6
    return figures


def _rss(process: psutil.Process) -> int:
    try:
        return process.memory_info().rss
    except psutil.NoSuchProcess:
        return 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clean-sizes", default="1000,10000,100000")
    parser.add_argument("--nlp-sizes", default="1000")
    parser.add_argument("--analyze-sizes", default="")
    parser.add_argument("--other-src", help="another checkout's src: its Dask engine is run too")
    parser.add_argument("--child", nargs=3, metavar=("STAGE", "ENGINE", "PATH"))
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GB RAM, "
        f"Python {platform.python_version()}; Dask LocalCluster of {WORKERS} single-threaded worker processes"
    )
    plan = [("clean", int(n)) for n in args.clean_sizes.split(",") if n] + [
        ("nlp", int(n)) for n in args.nlp_sizes.split(",") if n
    ]
    for n in (int(n) for n in args.analyze_sizes.split(",") if n):
        compare_analyze(n, args.other_src)
    if plan:
        print(
            f"{'stage':6} {'articles':>8} {'engine':6} {'docs/s':>8} {'CPU ms/doc':>10} {'peak MB':>8} {'startup s':>9}   dask/local"
        )
    with tempfile.TemporaryDirectory() as tmp:
        dumps: dict[int, Path] = {}
        for stage, n in plan:
            dumps.setdefault(n, write_dump(Path(tmp), n))
            load = os.getloadavg()[0]
            rows = {engine: measure(stage, engine, dumps[n]) for engine in ("local", "dask")}
            for engine, row in rows.items():
                rate = row["documents"] / row["seconds"]
                ratio = ""
                if engine == "dask":
                    local = rows["local"]
                    ratio = (
                        f"throughput x{rate / (local['documents'] / local['seconds']):.2f}, "
                        f"CPU per doc x{row['cpu'] / local['cpu']:.2f}, "
                        f"peak memory x{row['peak_mb'] / local['peak_mb']:.2f}"
                    )
                cpu_ms = 1000 * row["cpu"] / row["documents"]
                print(
                    f"{stage:6} {n:>8} {engine:6} {rate:>8.0f} {cpu_ms:>10.2f} {row['peak_mb']:>8.0f} {row['startup']:>9.1f}   {ratio}"
                    + (f" (load before: {load:.1f})" if engine == "dask" else ""),
                    flush=True,
                )


def compare_analyze(n: int, other_src: str | None) -> None:
    """``analyze`` of the first ``n`` ECB+ dev articles: local, Dask here, Dask in ``other_src``."""
    runs = [("local", "local", None), ("dask", "dask", None)]
    if other_src:
        runs.append(("dask (other)", "dask", str(Path(other_src).resolve())))
    print(
        f"analyze, {n} ECB+ dev articles: {'run':13} {'wall s':>7} {'client CPU s':>12} "
        f"{'workers CPU s':>13} {'peak MB':>8} {'load':>5}  report"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "ecb"
        folder.mkdir()
        for path in sorted(ECB.glob("*.txt"))[:n]:
            (folder / path.name).symlink_to(path)
        for name, engine, src in runs:
            load = os.getloadavg()[0]
            row = measure("analyze", engine, folder, src)
            print(
                f"{'':34}{name:13} {row['seconds']:>7.1f} {row['client_cpu']:>12.1f} "
                f"{row['workers_cpu']:>13.1f} {row['peak_mb']:>8.0f} {load:>5.1f}  {row['report']}",
                flush=True,
            )
            spans = ", ".join(f"{k} {w:.1f}/{c:.1f}" for k, (w, c) in row["stages"].items())
            print(f"{'':34}  stages, wall/client CPU s: {spans}", flush=True)


if __name__ == "__main__":
    main()
