"""How ``newstrace analyze`` grows with the corpus: time, CPU, peak memory, growth exponent.

Why: issue 24 asks for 100k articles under 4 GB with a growth exponent of at
most 1.05, and for the local engine on one core against all cores (and, where
installed, a Dask LocalCluster of 1 and 2 workers). Tests never assert
timings; this script measures them, as ratios and slopes, with the machine
and its load printed beside them.

The corpus (one JSON Lines dump per size, the first N records of one fixed
sequence, seed 24):

1. the real articles: ECB+ dev (772, topics 1-35 only), BASIL dev (150) and
   the samples' plain-text articles, in that order;
2. then *clones of real stories*, round after round: for each real story (an
   ECB+ gold story, a BASIL triple) a new event is made from all its articles
   with one consistent substitution for the whole story (:class:`Substitution`:
   every word but the function words of :data:`FUNCTION_WORDS` replaced by a
   word drawn from the corpus's vocabulary, every name by a name, every
   number by another of as many digits), the publication date moved by 1-10
   years, and in about 5% of the articles one paragraph of the clone event
   made just before put in, unchanged.

Effect: the number of stories grows with N while their sizes stay those of
real stories. A clone shares only function words with its original and with
the other clones, so neither grouping nor reuse joins it to them (an earlier
version replaced only names and numbers: the clones then joined their
originals, 3k articles made 122 stories against 121 at 1k, and work done per
story looked quadratic for that reason alone); the articles of one clone
event share their words as the original's do, so it keeps its story's inner
structure (copies, recurring facts). The borrowed paragraphs are partial
overlaps between events, which reuse's candidate search has to survive, kept
rare so that the events they join stay small. The texts keep English grammar
and function words (the MiniLM and spaCy passes see English), not their sense.

Each run is a fresh child process (``analyze`` on the dump, JSON report
written); wall time, CPU time (user + system of the child and every process
it waited for: the pool workers, the Dask workers), and peak resident memory
of the whole process tree (sampled every 0.2 s with psutil) are recorded,
with the 1-minute load average before and after. The sampler keeps its
timeline (time, tree RSS, main process RSS), and the summary gives the peak
of each step between its first and last event; the child marks the end of a
run itself (``analyze: returned``, from the last progress event to
``analyze`` returning, then ``report: ...``: with ``--writer whole`` the
report's ``to_dict``, ``json.dumps`` and the write one after another, as
``to_json`` did before the stream writer; with ``--writer stream``,
``Report.write_json`` to the file), so a step at the end of a run is told
apart from the end of facts. The growth exponent is the
least-squares slope of log(time) against log(N) over the sizes, and per step
(the ``stage: step`` progress events) between consecutive sizes, so a step
that grows faster than linearly shows, with its item count (``reuse: pairs``
counts chunks of 100 candidate pairs, ``group: pairs`` scored pairs).

Configurations: ``local1`` (``--jobs 1``), ``local`` (every core),
``dask1``/``dask2`` (a LocalCluster of 1/2 single-threaded workers).

Usage: .venv/bin/python benchmarks/bench_growth.py [--sizes 1000,3000,10000]
       [--configs local1,local] [--json out.json] [--corpus-dir DIR] [--writer stream|whole]
       .venv/bin/python benchmarks/bench_growth.py --summarise out.json   (runs saved so far)

100k articles (``--sizes 100000``) takes the same script; at about 0.1 s of
CPU per article for the NLP alone it needs hours on two cores.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "dev"
SAMPLES = ROOT / "samples" / "articles"
SEED = 24
BORROW_SHARE = 0.05

CHILD = """
import json, resource, sys, time
epoch = time.time()
start = time.perf_counter()
spans, totals = {}, {}
def progress(step, done, total):
    now = time.perf_counter() - start
    first, _ = spans.get(step, (now, now))
    spans[step] = (first, now)
    totals[step] = max(total, totals.get(step, 0))
def mark(step, since):
    spans[step] = (since, time.perf_counter() - start)
    return spans[step][1]
from newstrace.pipeline import analyze
path, out, engine, workers, writer = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
if engine == "dask":
    from newstrace.engine.dask_engine import dask_client
    with dask_client(workers=workers) as client:
        report = analyze([path], progress=progress, engine="dask", client=client)
else:
    report = analyze([path], progress=progress)
since = mark("analyze: returned", max(last for _, last in spans.values()))
if writer == "whole":  # what Report.to_json does, in its three parts
    whole = report.to_dict()
    since = mark("report: to_dict", since)
    text = json.dumps(whole, ensure_ascii=False, indent=2)
    since = mark("report: json.dumps", since)
    with open(out, "w", encoding="utf-8") as handle:
        handle.write(text)
    mark("report: write", since)
    del whole, text
else:
    with open(out, "w", encoding="utf-8") as handle:
        report.write_json(handle)
    mark("report: write", since)
own = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"steps": spans, "totals": totals, "end": time.perf_counter() - start,
                  "epoch": epoch, "client_cpu": own.ru_utime + own.ru_stime,
                  "documents": len(report.documents), "stories": len(report.stories),
                  "skipped": len(report.skipped)}))
"""

CONFIGS = {  # name: (engine, NEWSTRACE_JOBS or Dask workers)
    "local1": ("local", 1),
    "local": ("local", 0),
    "dask1": ("dask", 1),
    "dask2": ("dask", 2),
}


# The corpus


def real_stories() -> list[list[dict]]:
    """The real articles as records, grouped by story, in a fixed order."""
    gold = [json.loads(line) for line in (DEV / "ecb" / "gold.jsonl").open()]
    by_story: dict[str, list[dict]] = {}
    for row in gold:
        by_story.setdefault(row["story"], []).append(ecb_record(DEV / "ecb" / row["doc"]))
    for record in (json.loads(line) for line in (DEV / "basil" / "corpus.jsonl").open()):
        story = record["id"].rsplit("_", 1)[0]
        by_story.setdefault(f"basil-{story}", []).append(
            {k: record.get(k) for k in ("title", "text", "source", "published")}
        )
    samples = [sample_record(path) for path in sorted(SAMPLES.glob("*.txt"))]
    return [*by_story.values(), *([samples] if samples else [])]


def ecb_record(path: Path) -> dict:
    title, _, body = path.read_text(encoding="utf-8").partition("\n")
    return {"title": title.strip(), "text": body.strip(), "source": None, "published": None}


def sample_record(path: Path) -> dict:
    return {
        "title": None,
        "text": path.read_text(encoding="utf-8"),
        "source": None,
        "published": None,
    }


FUNCTION_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    out over own said same she should so some such than that the their theirs them themselves
    then there these they this those through to too under until up very was we were what when
    where which while who whom why will with would you your yours""".split()  # noqa: SIM905
)
"""Words a clone keeps: the grammar of the sentence; every other word is replaced."""


@dataclass(frozen=True)
class Vocabulary:
    """What clones draw replacements from: the real articles' content words and names."""

    words: list[str]  # lower-case words, function words left out
    known: frozenset[str]  # the same, for look-ups
    names: list[str]  # capitalised words never seen in lower case


def vocabulary(stories: list[list[dict]]) -> Vocabulary:
    """The corpus's lower-case content words, and its names (capitalised words never seen in lower case)."""
    lower: set[str] = set()
    capitalised: set[str] = set()
    for story in stories:
        for record in story:
            for word in re.findall(r"[A-Za-z]{2,}", f"{record['title'] or ''} {record['text']}"):
                (lower if word.islower() else capitalised).add(word)
    lower -= FUNCTION_WORDS
    names = {
        w for w in capitalised if w[0].isupper() and w[1:].islower() and w.lower() not in lower
    }
    return Vocabulary(sorted(lower), frozenset(lower), sorted(names))


class Substitution:
    """One consistent replacement of every content word, name and number, for a whole clone event.

    The articles of one real story share words, and keep sharing them (each
    word is replaced alike in all of them), so a clone event keeps the inner
    structure of its original (who copies whom, which facts recur); but it
    shares with the original, and with every other clone, only the
    function words of :data:`FUNCTION_WORDS`: no names, no content words, no
    numbers. Grouping and reuse thus see an unrelated event.
    """

    def __init__(self, words: Vocabulary, rng: random.Random) -> None:
        self.vocabulary, self.rng = words, rng
        self.mapping: dict[str, str] = {}

    def __call__(self, text: str | None) -> str | None:
        return re.sub(r"[A-Za-z]+|\d+", self._replace, text) if text else text

    def _replace(self, match: re.Match) -> str:
        token = match.group()
        if token.isdigit():
            if token not in self.mapping:
                low = 10 ** (len(token) - 1) if len(token) > 1 else 0
                self.mapping[token] = str(self.rng.randint(low, 10 ** len(token) - 1))
            return self.mapping[token]
        key = token.lower()
        if key in FUNCTION_WORDS or len(token) < 2:
            return token
        if token[0].isupper() and token[1:].islower() and key not in self.vocabulary.known:
            if token not in self.mapping:  # a name: another name
                self.mapping[token] = self.rng.choice(self.vocabulary.names)
            return self.mapping[token]
        if key not in self.mapping:
            self.mapping[key] = self.rng.choice(self.vocabulary.words)
        new = self.mapping[key]
        if token.isupper() and len(token) > 1:
            return new.upper()
        return new.capitalize() if token[0].isupper() else new


def clone(
    story: list[dict], previous: list[dict], words: Vocabulary, rng: random.Random
) -> list[dict]:
    """A new event made from ``story``: every name, content word and number replaced (one
    :class:`Substitution` for all its articles), dates moved by 1 to 10 years, and here and
    there a paragraph of ``previous`` (another clone event) put in unchanged."""
    substitute = Substitution(words, rng)
    shift = rng.randint(365, 3650)
    clones = []
    for record in story:
        paragraphs = (substitute(record["text"]) or "").split("\n")
        if previous and rng.random() < BORROW_SHARE:
            other = rng.choice(previous)["text"].split("\n")
            paragraphs.insert(rng.randint(1, max(1, len(paragraphs))), rng.choice(other))
        published = record["published"]
        base = dt.date.fromisoformat(published[:10]) if published else dt.date(2012, 1, 1)
        clones.append(
            {
                "title": substitute(record["title"]),
                "text": "\n".join(paragraphs),
                "source": record["source"],
                "published": (base + dt.timedelta(days=shift)).isoformat(),
            }
        )
    return clones


def corpus(size: int) -> Iterator[dict]:
    """The first ``size`` records of the fixed sequence: real articles, then story clones."""
    rng = random.Random(SEED)
    stories = real_stories()
    everything = [record for story in stories for record in story]
    words = vocabulary(stories)
    made = 0
    for record in everything:
        if made == size:
            return
        yield record
        made += 1
    previous: list[dict] = []
    while True:
        for story in stories:
            previous = clone(story, previous, words, rng)
            for record in previous:
                if made == size:
                    return
                yield record
                made += 1


def text_chars(dump: Path) -> int:
    """Characters of article text in a dump: sizes mix short and long articles unevenly."""
    return sum(len(json.loads(line).get("text", "")) for line in dump.open(encoding="utf-8"))


def write_corpus(size: int, path: Path) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for n, record in enumerate(corpus(size)):
            record = {k: v for k, v in record.items() if v} | {"id": f"a{n}"}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


# Measuring


def tree_rss(process: psutil.Process) -> int:
    total = 0
    for member in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += member.memory_info().rss
    return total


def run(config: str, dump: Path, out: Path, writer: str = "stream") -> dict:
    engine, count = CONFIGS[config]
    env = dict(os.environ, NEWSTRACE_THREADS="1")
    env.pop("NEWSTRACE_JOBS", None)
    if engine == "local" and count:
        env["NEWSTRACE_JOBS"] = str(count)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(dump), str(out), engine, str(count), writer],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    timeline: list[tuple[float, int, int]] = []
    watcher = threading.Thread(target=_watch, args=(psutil.Process(child.pid), timeline, child))
    watcher.start()
    stdout = child.stdout.read() if child.stdout else ""
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = status
    wall = time.perf_counter() - started
    watcher.join()
    if status != 0:
        raise SystemExit(f"{config} at {dump} failed ({status})")
    result = json.loads(stdout.strip().splitlines()[-1])
    return result | {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": max((tree for _, tree, _ in timeline), default=0) / 1e6,
        "peak_main_rss_mb": max((main for _, _, main in timeline), default=0) / 1e6,
        "timeline": [(round(t - result["epoch"], 2), tree, main) for t, tree, main in timeline],
        "load": [load_before, os.getloadavg()[0]],
    }


def _watch(
    process: psutil.Process, timeline: list[tuple[float, int, int]], child: subprocess.Popen
) -> None:
    """Sample (time, RSS of the process tree, RSS of the main process) every 0.2 s."""
    while child.returncode is None:
        try:
            main = process.memory_info().rss
            timeline.append((time.time(), tree_rss(process), main))
        except psutil.Error:
            return
        time.sleep(0.2)


def step_peaks(result: dict) -> dict[str, list[float]]:
    """Per step: the highest (tree, main process) RSS in MB from its first event to the next step's.

    The time between two steps' events (work that reports no progress, such
    as reuse's candidate search after its sentence views) counts to the
    earlier step. The report steps (``report: ...``) and ``analyze:
    returned`` (from the last progress event, the end of facts, to
    ``analyze`` returning) are marked by the child itself, so the end of a
    run is told apart step by step.
    """
    starts = sorted((first, name) for name, (first, _) in result["steps"].items())
    peaks: dict[str, list[float]] = {}
    for k, (first, name) in enumerate(starts):
        until = starts[k + 1][0] if k + 1 < len(starts) else float("inf")
        inside = [(tree, main) for t, tree, main in result["timeline"] if first <= t < until]
        if inside:
            peaks[name] = [max(tree for tree, _ in inside) / 1e6, max(m for _, m in inside) / 1e6]
    return peaks


def slope(sizes: list[int], values: list[float]) -> float:
    """Least-squares slope of log(value) against log(size)."""
    xs = [math.log(s) for s in sizes]
    ys = [math.log(max(v, 1e-3)) for v in values]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den if den else float("nan")


def step_times(result: dict) -> dict[str, float]:
    return {name: last - first for name, (first, last) in result["steps"].items()}


def summarise(config: str, sizes: list[int], results: list[dict]) -> None:
    print(f"\n{config}")
    for size, r in zip(sizes, results):
        print(
            f"  {size:>7,} articles: wall {r['wall']:7.1f} s  CPU {r['cpu']:7.1f} s "
            f"(client {r['client_cpu']:6.1f} s)  cores busy {r['cpu'] / r['wall']:.2f}  "
            f"peak RSS {r['peak_rss_mb']:6.0f} MB (main {r.get('peak_main_rss_mb', 0):5.0f} MB)  "
            f"{r['stories']} stories  "
            f"load {r['load'][0]:.1f}-{r['load'][1]:.1f}"
        )
    _print_step_peaks(sizes, results)
    if len(sizes) < 2:
        return
    print(
        f"  growth exponent: wall {slope(sizes, [r['wall'] for r in results]):.2f}, "
        f"CPU {slope(sizes, [r['cpu'] for r in results]):.2f}, "
        f"client CPU {slope(sizes, [r['client_cpu'] for r in results]):.2f}, "
        f"peak RSS {slope(sizes, [r['peak_rss_mb'] for r in results]):.2f}"
    )
    if all("text_chars" in r for r in results):
        chars = [r["text_chars"] for r in results]
        print(
            f"  against characters of text ({', '.join(f'{c:,}' for c in chars)}): "
            f"wall {slope(chars, [r['wall'] for r in results]):.2f}, "
            f"CPU {slope(chars, [r['cpu'] for r in results]):.2f}, "
            f"client CPU {slope(chars, [r['client_cpu'] for r in results]):.2f}"
        )
    steps = [step_times(r) for r in results]
    for name in sorted(steps[-1], key=lambda k: -steps[-1][k]):
        values = [s.get(name, 0.0) for s in steps]
        if values[-1] < 1.0:
            continue
        pairs = [
            f"{slope(sizes[i : i + 2], values[i : i + 2]):.2f}"
            for i in range(len(sizes) - 1)
            if values[i] >= 0.5
        ]
        shown = ", ".join(f"{v:.1f}" for v in values)
        counts = [r.get("totals", {}).get(name) for r in results]
        counted = f"   items {', '.join(f'{c:,}' for c in counts)}" if all(counts) else ""
        print(f"    {name:26s} {shown:>28s} s   exponent per step {', '.join(pairs)}{counted}")


def _print_step_peaks(sizes: list[int], results: list[dict]) -> None:
    """Peak RSS (tree / main process) per step, in run order: where the peak of a run came."""
    if not all("timeline" in r for r in results):
        return
    peaks = [step_peaks(r) for r in results]
    last = results[-1]
    order = sorted(peaks[-1], key=lambda name: last["steps"][name][0])
    print("    peak RSS by step, MB (tree / main process), to the next step's start:")
    for name in order:
        shown = "   ".join(
            f"{p[name][0]:6.0f} / {p[name][1]:5.0f}" if name in p else f"{'-':>14s}" for p in peaks
        )
        first, end = last["steps"][name]
        print(f"      {name:26s} {shown}   ({first:.0f}-{end:.0f} s at {sizes[-1]:,})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,3000,10000")
    parser.add_argument("--configs", default="local1,local")
    parser.add_argument("--json", help="write every run here")
    parser.add_argument("--corpus-dir", help="keep the generated dumps here")
    parser.add_argument(
        "--writer",
        choices=("stream", "whole"),
        default="stream",
        help="stream: Report.write_json; whole: to_dict then json.dumps (before the stream writer)",
    )
    parser.add_argument("--summarise", help="only print the summary of runs saved with --json")
    args = parser.parse_args()
    if args.summarise:
        saved = json.loads(Path(args.summarise).read_text(encoding="utf-8"))
        for config, by_size in saved.items():
            done = sorted(by_size, key=int)
            summarise(config, [int(s) for s in done], [by_size[s] for s in done])
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    print(
        f"machine: {platform.processor() or platform.machine()}, "
        f"{len(os.sched_getaffinity(0))} CPUs available, "
        f"{psutil.virtual_memory().total / 1e9:.0f} GB; Python {platform.python_version()}; "
        f"load average at start {os.getloadavg()[0]:.1f}"
    )
    everything: dict[str, dict[int, dict]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.corpus_dir or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for size in sizes:
            dump = folder / f"growth-{size}.jsonl"
            if not dump.exists():
                write_corpus(size, dump)
            for config in args.configs.split(","):
                result = run(config, dump, Path(tmp) / "report.json", args.writer)
                result["text_chars"] = text_chars(dump)
                everything.setdefault(config, {})[size] = result
                print(
                    f"  done {config} {size}: wall {result['wall']:.1f} s, CPU {result['cpu']:.1f} s",
                    flush=True,
                )
                if args.json:
                    Path(args.json).write_text(json.dumps(everything, indent=1), encoding="utf-8")
    for config, by_size in everything.items():
        done = sorted(by_size)
        summarise(config, done, [by_size[s] for s in done])


if __name__ == "__main__":
    main()
