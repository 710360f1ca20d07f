"""What each document holds in memory after each stage of ``analyze``, field by field.

Why: issue 24 asks for 100k articles under 4 GB; what grows with the corpus is
what the main process keeps per document until the report is written. This
script runs the stages of :func:`newstrace.pipeline.analyze` one after another
on a growth-corpus dump (see ``bench_growth.py``) in one process and, after
each, prints the bytes per document of every field, the story features,
and the Python heap (tracemalloc) and peak resident memory.

Sizes are of the live objects (``sys.getsizeof`` over containers, numpy
arrays by ``nbytes``), not pickled: a word in a token list costs its string,
a tuple and its ints, some 150 bytes.

Usage: .venv/bin/python benchmarks/memory_per_document.py [--size 1000] [--dump PATH]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import tracemalloc
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_growth import write_corpus


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
    return size


def fields(doc) -> dict[str, int]:
    found = {
        "text": size_of(doc.text),
        "raw": size_of(doc.raw),
        "removed": size_of(doc.removed),
        "entities": size_of(doc.annotations.entities),
        "parse": size_of(doc.annotations.parse),
    }
    view = doc.annotations.reuse
    if view is not None:
        found |= {
            "reuse.embeddings": size_of(view.embeddings),
            "reuse.signature": size_of(view.signature),
            "reuse.sentences+normalised": size_of(view.sentences) + size_of(view.normalised),
            "reuse.spans+content": size_of(view.spans) + size_of(view.content),
        }
        for key, value in view.extra.items():
            found[f"reuse.extra.{key}"] = size_of(value)
    return found


def features_size(features) -> int:
    if features is None:
        return 0
    tables = sum(
        t.data.nbytes + t.indices.nbytes + t.indptr.nbytes for t in features.tables.values()
    )
    return tables + features.lead_vectors.nbytes + features.lengths.nbytes


def show(stage: str, documents, features) -> None:
    total: Counter[str] = Counter()
    for doc in documents:
        total.update(fields(doc))
    n = max(1, len(documents))
    heap, _ = tracemalloc.get_traced_memory()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    print(
        f"\nafter {stage}: {len(documents)} documents; Python heap {heap / 1e6:.0f} MB, "
        f"peak RSS so far {rss:.0f} MB"
    )
    for name, value in sorted(total.items(), key=lambda kv: -kv[1]):
        if value:
            print(f"  {name:32s} {value / n / 1e3:8.1f} KB per document")
    print(
        f"  {'story features (rows)':32s} {features_size(features) / n / 1e3:8.1f} KB per document"
    )
    print(
        f"  {'sum':32s} {(sum(total.values()) + features_size(features)) / n / 1e3:8.1f} KB per document"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--dump")
    args = parser.parse_args()
    from newstrace import pipeline
    from newstrace.engine import prepared_documents
    from newstrace.engine.work import annotate_each
    from newstrace.stories import group_stories

    drop = getattr(pipeline, "_drop", None)  # what analyze frees between stages (None before)
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(args.dump) if args.dump else write_corpus(args.size, Path(tmp) / "d.jsonl")
        tracemalloc.start()
        prepared = prepared_documents([dump], engine="local", progress=lambda *a: None)
        kept = [doc for doc in prepared.documents if doc.text.strip()]
        if drop:
            for doc in kept:
                doc.raw = None
            del prepared  # analyze keeps neither it nor the feature rows after grouping
        show("read + clean", kept, None)
        kept, features, _ = annotate_each(kept, True, True)
        show("nlp", kept, features)
        stories = group_stories(kept, features)
        if drop:
            features = None
        show(f"group ({len(stories)} stories)", kept, features)
        pipeline._reuse_only(kept, stories, map)
        show("reuse", kept, features)
        if drop:
            drop(kept, "reuse")
        pipeline._facts_only(kept, stories, map)
        if drop:
            drop(kept, "parse")
        show("facts", kept, features)
        _, peak = tracemalloc.get_traced_memory()
        print(f"\npeak Python heap of the whole run: {peak / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
