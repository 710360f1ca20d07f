"""Story grouping at 1k, 10k and 100k articles: time, peak memory, growth.

    .venv/bin/python benchmarks/bench_stories.py [--sizes 1000 10000 100000]

What is measured (say so when quoting):
- The corpus is the 772 real ECB+ articles plus generated variants. A variant
  is a new "event": every entity, number and date of its source article is
  renamed consistently for that variant (done on the hashed feature rows, which
  is what renaming the strings would give), a third of its vocabulary is
  renamed the same way and the rest stays (so
  variants of one topic collide on most key terms, the hard case for
  blocking), and its lead embedding is perturbed.
- The grouping stage is timed alone on these precomputed features at each
  size (candidate blocking, pair features, both pair-model stages, linkage),
  each size in a fresh subprocess so peak RSS is its own.
- The peer, a bare spaCy NER pass (``spacy_nlp(parser=False)``, ``nlp.pipe``),
  is timed on a sample of real articles in the same run and extrapolated per
  article; 100k articles through spaCy would take hours on 2 cores.
- Feature extraction (our own NER-only pass plus one lead embedding per
  article) is timed on the same sample, so the full cost per article is
  extraction + grouping.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))
from ecb_data import bcubed_f1, cached_features, load_documents, load_gold

from newstrace.stories.features import N_FEATURES, RawFeatures

PARTLY_RENAMED = ("words", "lead")
"""A third of the vocabulary (the names and event-specific terms a rewrite of
the event would change) is renamed too; the rest stays shared. Every other
table (names, numbers, dates, years) is renamed whole."""
SAMPLE = 150


def variant_corpus(size: int) -> tuple[RawFeatures, list[str]]:
    gold = load_gold()
    raw = cached_features(load_documents(gold))
    stories = [r["story"] for r in gold]
    n = len(gold)
    rng = np.random.default_rng(0)
    parts, labels = [], []
    for copy in range(-(-size // n)):
        rows = raw.rows(np.arange(n))
        if copy:
            rows = _rename(rows, copy, stories, rng)
        parts.append(rows)
        labels.extend(f"{s}#{copy}" for s in stories)
    corpus = RawFeatures(
        {
            name: sp.vstack([p.tables[name] for p in parts], format="csr")[:size]
            for name in raw.tables
        },
        np.vstack([p.lead_vectors for p in parts])[:size],
        [d for p in parts for d in p.published][:size],
        np.concatenate([p.lengths for p in parts])[:size],
    )
    return corpus, labels[:size]


def _rename(rows: RawFeatures, copy: int, stories: list[str], rng) -> RawFeatures:
    """Each (story, copy) gets its own entity names: a shift of hashed indices."""
    story_ids = {s: i for i, s in enumerate(sorted(set(stories)))}
    shift = np.array([(story_ids[s] * 7919 + copy * 104729) % N_FEATURES for s in stories])
    tables = dict(rows.tables)
    for name in (name for name in rows.tables if name not in PARTLY_RENAMED):
        table = rows.tables[name].tocoo()
        cols = (table.col + shift[table.row]) % N_FEATURES
        tables[name] = sp.csr_matrix((table.data, (table.row, cols)), shape=table.shape)
    for name in PARTLY_RENAMED:
        table = rows.tables[name].tocoo()
        renamed = (table.col.astype(np.int64) * 2654435761 + copy) % 3 == 0
        cols = np.where(renamed, (table.col + shift[table.row]) % N_FEATURES, table.col)
        tables[name] = sp.csr_matrix((table.data, (table.row, cols)), shape=table.shape)
    noise = rng.normal(0, 0.02, rows.lead_vectors.shape).astype(np.float32)
    vectors = rows.lead_vectors + noise
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return RawFeatures(tables, vectors, rows.published, rows.lengths)


def measure_grouping(size: int) -> dict:
    from newstrace.stories.grouping import group_features

    corpus, labels = variant_corpus(size)
    start = time.perf_counter()
    grouping = group_features(corpus)
    seconds = time.perf_counter() - start
    return {
        "articles": size,
        "grouping_s": round(seconds, 2),
        "candidate_pairs": len(grouping.pairs),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "bcubed_f1": round(bcubed_f1(grouping.labels, labels), 4),
    }


def measure_peer() -> dict:
    from newstrace.nlp import spacy_nlp
    from newstrace.stories.features import extract

    documents = load_documents(load_gold())[:SAMPLE]
    texts = [doc.text for doc in documents]
    nlp = spacy_nlp(parser=False)
    list(nlp.pipe(texts[:5]))  # load and warm up both models
    extract(load_documents(load_gold())[SAMPLE : SAMPLE + 5])
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    bare = (time.perf_counter() - start) / len(texts)
    start = time.perf_counter()
    extract(documents)
    ours = (time.perf_counter() - start) / len(texts)
    return {"sample": len(texts), "bare_ner_s_per_article": bare, "extract_s_per_article": ours}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_grouping(args.one)))
        return
    peer = measure_peer()
    print(
        f"machine: 2 cores, CPU only. Peer sample: {peer['sample']} real articles; bare spaCy NER "
        f"{peer['bare_ner_s_per_article'] * 1000:.1f} ms/article, our extraction "
        f"{peer['extract_s_per_article'] * 1000:.1f} ms/article"
    )
    print(
        f"{'articles':>9} {'grouping s':>11} {'ms/article':>11} {'pairs':>10} {'peak MB':>8} "
        f"{'B3 F1':>6} {'(extract+group)/NER':>20}"
    )
    previous = None
    for size in args.sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(size)], capture_output=True, text=True
        )
        if out.returncode:
            print(out.stderr)
            continue
        row = json.loads(out.stdout.strip().splitlines()[-1])
        per = row["grouping_s"] / size
        ratio = (peer["extract_s_per_article"] + per) / peer["bare_ner_s_per_article"]
        growth = (
            ""
            if previous is None
            else f"  x{row['grouping_s'] / previous['grouping_s']:.1f} time for x{size / previous['articles']:.0f} articles"
        )
        print(
            f"{size:>9} {row['grouping_s']:>11.1f} {per * 1000:>11.2f} {row['candidate_pairs']:>10} "
            f"{row['peak_rss_mb']:>8.0f} {row['bcubed_f1']:>6.3f} {ratio:>20.2f}{growth}"
        )
        previous = row


if __name__ == "__main__":
    main()
