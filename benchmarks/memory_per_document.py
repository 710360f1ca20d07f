"""What each document holds in memory after each stage of ``analyze``, field by field.

Why: issue 24 asks for 100k articles under 4 GB; what grows with the corpus is
what the main process keeps per document until the report is written. This
script runs :func:`newstrace.pipeline.analyze` itself on a growth-corpus dump
(see ``bench_growth.py``) in one process (run it with ``NEWSTRACE_JOBS=1``)
and looks at the documents as each stage starts: on entering grouping (what
the NLP left), reuse (what grouping left) and facts (what reuse left), and
once ``analyze`` has returned (what the report is written from). For each it
prints the bytes per document of every field, of the story feature rows and
of the stories' reuse links and facts, and the Python heap (tracemalloc).
Last, the report is written twice, as one dict and one string
(``json.dumps(report.to_dict())``, what ``to_json`` did before) and part by
part (``Report.write_json``, where it exists), with the heap's peak above
what the report already held for each.

Sizes are of the live objects (``sys.getsizeof`` over containers and dataclass
fields, numpy arrays by ``nbytes``), not pickled: a word in a token list
costs its string, a tuple and its ints, some 150 bytes.

Usage: NEWSTRACE_JOBS=1 .venv/bin/python benchmarks/memory_per_document.py [--size 1000] [--dump PATH]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import sys
import tempfile
import tracemalloc
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_growth import write_corpus

METADATA = ("id", "origin", "source", "url", "title", "published", "story", "story_doubt")


def size_of(value, seen: set[int] | None = None) -> int:
    """Bytes ``value`` holds alive: objects reached through containers counted once each
    (small ints and interned strings too, so a slight overcount)."""
    seen = set() if seen is None else seen
    if value is None or id(value) in seen:
        return 0
    seen.add(id(value))
    if isinstance(value, np.ndarray):
        return value.nbytes + 112
    size = sys.getsizeof(value)
    if isinstance(value, dict):
        return size + sum(size_of(k, seen) + size_of(v, seen) for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return size + sum(size_of(v, seen) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return size + sum(size_of(getattr(value, f.name), seen) for f in dataclasses.fields(value))
    return size


def fields(doc) -> dict[str, int]:
    notes = doc.annotations
    found = {
        "text": size_of(doc.text),
        "raw": size_of(doc.raw),
        "removed": size_of(doc.removed),
        "metadata (id, origin, title, ...)": sum(size_of(getattr(doc, n)) for n in METADATA),
        "entities": size_of(notes.entities),
        "parse": size_of(notes.parse),
        "html_metadata, record_position": size_of(notes.html_metadata)
        + size_of(notes.record_position),
    }
    view = notes.reuse
    if view is not None:
        found |= {
            "reuse.embeddings": size_of(view.embeddings),
            "reuse.signature": size_of(view.signature),
            "reuse.sentences+normalised": size_of(view.sentences) + size_of(view.normalised),
            "reuse.spans+content": size_of(view.spans) + size_of(view.content),
        }
        for key, value in view.extra.items():
            found[f"reuse.extra.{key}"] = size_of(value)
    digest = getattr(notes, "reuse_digest", None)  # the view spilled (engine.spill)
    if digest is not None:
        arrays = [getattr(digest, name, None) for name in ("shingles", "words", "lead")]
        found |= {
            "reuse digest: 3-gram hashes": size_of(arrays[0]),
            "reuse digest: word hashes": size_of(arrays[1]),
            "reuse digest: lead vector": size_of(arrays[2]),
            "reuse digest: rest, handles": size_of(digest) - sum(size_of(a) for a in arrays),
        }
    found["spilled parse handle"] = size_of(getattr(notes, "spilled_parse", None))
    found["story profile (packed, or its handle)"] = size_of(getattr(notes, "story_profile", None))
    return found


def features_size(features) -> int:
    if features is None:
        return 0
    tables = sum(
        t.data.nbytes + t.indices.nbytes + t.indptr.nbytes for t in features.tables.values()
    )
    return tables + features.lead_vectors.nbytes + features.lengths.nbytes


class Watch:
    """The documents (and stories) ``analyze`` works on, caught at its seams, and the figures."""

    def __init__(self) -> None:
        self.documents: list = []
        self.stories: list = []
        self.table: dict[str, dict[str, float]] = {}
        self.heap: dict[str, float] = {}

    def look(self, moment: str, features=None) -> None:
        total: Counter[str] = Counter()
        for doc in self.documents:
            total.update(fields(doc))
        n = max(1, len(self.documents))
        total["story feature rows"] = features_size(features)
        total["stories: reuse links, facts"] = size_of(self.stories)
        self.table[moment] = {name: value / n / 1e3 for name, value in total.items()}
        self.heap[moment] = tracemalloc.get_traced_memory()[0] / 1e6


@contextmanager
def watching(watch: Watch) -> Iterator[None]:
    """Catch the documents as grouping gets them, and look at them as reuse and facts start."""
    from newstrace import pipeline

    group, stage = pipeline.group_stories, pipeline.stage

    def grouping(documents, features):
        watch.documents = documents
        watch.look("NLP done", features)
        watch.stories = group(documents, features)
        return watch.stories

    @contextmanager
    def staged(name: str) -> Iterator[None]:
        if name in ("reuse", "facts"):
            watch.look("group done" if name == "reuse" else "reuse done")
        with stage(name):
            yield

    pipeline.group_stories, pipeline.stage = grouping, staged
    try:
        yield
    finally:
        pipeline.group_stories, pipeline.stage = group, stage


def show(watch: Watch, n: int) -> None:
    moments = list(watch.table)
    names = sorted(
        {name for row in watch.table.values() for name in row},
        key=lambda name: -max(row.get(name, 0.0) for row in watch.table.values()),
    )
    print(f"\nKB per document ({n} documents), as each stage starts:")
    print(f"  {'':36s}" + "".join(f"{m:>18s}" for m in moments))
    for name in names:
        values = [watch.table[m].get(name, 0.0) for m in moments]
        if any(v >= 0.05 for v in values):
            print(f"  {name:36s}" + "".join(f"{v:18.1f}" for v in values))
    sums = [sum(watch.table[m].values()) for m in moments]
    print(f"  {'sum':36s}" + "".join(f"{v:18.1f}" for v in sums))
    print(
        f"  {'Python heap, MB (models included)':36s}"
        + "".join(f"{watch.heap[m]:18.0f}" for m in moments)
    )


def writing_peaks(report, folder: Path) -> None:
    """The heap's peak above what the report holds while it is written, each way."""
    ways = {"one dict, one string (json.dumps of to_dict)": _write_whole}
    if hasattr(report, "write_json"):
        ways["part by part (Report.write_json)"] = _write_stream
    print("\nwriting the JSON report: heap peak above the heap before")
    for name, way in ways.items():
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        way(report, folder / "report.json")
        peak = tracemalloc.get_traced_memory()[1] - before
        size = (folder / "report.json").stat().st_size
        print(f"  {name:48s} {peak / 1e6:8.1f} MB  (file {size / 1e6:.1f} MB)")


def _write_whole(report, path: Path) -> None:
    text = json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
    path.write_text(text, encoding="utf-8")


def _write_stream(report, path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        report.write_json(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--dump")
    args = parser.parse_args()
    if os.environ.get("NEWSTRACE_JOBS") != "1":
        print("warning: without NEWSTRACE_JOBS=1 the NLP's workers hold part of the memory")
    from newstrace.pipeline import analyze

    watch = Watch()
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(args.dump) if args.dump else write_corpus(args.size, Path(tmp) / "d.jsonl")
        tracemalloc.start()
        with watching(watch):
            report = analyze([dump])
        watch.documents, watch.stories = report.documents, report.stories
        watch.look("analyze returned")
        show(watch, len(report.documents))
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
        _, peak = tracemalloc.get_traced_memory()
        print(f"\npeak Python heap of the run {peak / 1e6:.0f} MB; peak RSS {rss:.0f} MB")
        writing_peaks(report, Path(tmp))


if __name__ == "__main__":
    main()
