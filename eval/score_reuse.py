"""Score the reuse stage on real ECB+ articles and derived copies of them.

The corpus (see ``make_reuse_copies.py``): all 772 ECB+ dev articles as
originals with publication dates, plus one later copy of 160 of them made by
verbatim reprint, light edits or rule-based paraphrase (with furniture and
dropped sentences). ``trace_reuse`` runs on everything at once, candidates
corpus-wide.

Figures printed:

- link recall: copies linked to their original (any kind), overall and per edit;
- false links per unrelated same-story pair: pairs in one ECB+ story where
  neither is a copy of the other (ECB+ articles of one event were written by
  different outlets; links among them are listed so a real reprint in the data
  can be told from an error);
- direction accuracy: linked copies whose link is directed with the original as origin.

Usage: ``python eval/score_reuse.py [--originals N] [--seed S] [--show]``
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_reuse_copies import make_corpus

from newstrace.clean import clean_documents
from newstrace.model import Document
from newstrace.reuse.links import find_links


def to_documents(corpus) -> list[Document]:
    docs = [
        Document(
            id=d.id,
            origin=f"{d.id}.txt",
            raw=d.title + "\n" + d.text,
            title=d.title,
            source=d.source,
            published=d.published,
        )
        for d in corpus.documents
    ]
    return clean_documents(docs)


def cache_embeddings(docs: list[Document], path: Path | None) -> None:
    """Embed every document's sentences once, reusing ``path`` (an .npz) across runs when given."""
    import hashlib

    import numpy as np

    from newstrace.reuse.text import ensure_embeddings, reuse_view

    views = [reuse_view(d) for d in docs]
    keys = [hashlib.sha1("\x1f".join(v.sentences).encode()).hexdigest() for v in views]
    stored = dict(np.load(path)) if path and path.exists() else {}
    for view, key in zip(views, keys):
        if key in stored:
            view.embeddings = stored[key]
    missing = [v for v in views if v.embeddings is None]
    ensure_embeddings(missing)
    if path and missing:
        stored.update({key: view.embeddings for view, key in zip(views, keys)})
        np.savez(path, **stored)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--originals", type=int, default=160)
    parser.add_argument(
        "--min-evidence", type=float, help="override classify.MIN_EVIDENCE (threshold study)"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--cache", type=Path, help="an .npz file to keep sentence embeddings in between runs"
    )
    parser.add_argument(
        "--no-dates",
        action="store_true",
        help="drop publication dates: direction from containment alone",
    )
    parser.add_argument("--show", action="store_true", help="print every miss and false link")
    args = parser.parse_args(argv)

    if args.min_evidence is not None:
        import newstrace.reuse.classify as classify

        classify.MIN_EVIDENCE = args.min_evidence
    corpus = make_corpus(args.originals, args.seed)
    docs = to_documents(corpus)
    if args.no_dates:
        for doc in docs:
            doc.published = None
    started = time.perf_counter()
    cache_embeddings(docs, args.cache)
    links = find_links(docs)
    seconds = time.perf_counter() - started
    by_pair = {frozenset((link.derived, link.origin)): link for link in links}
    meta = {d.id: d for d in corpus.documents}

    found, directed_ok, per_kind, misses = 0, 0, Counter(), []
    copies = corpus.copies()
    for copy in copies:
        link = by_pair.get(frozenset((copy.id, copy.copy_of)))
        if link is None:
            misses.append(copy.id)
            continue
        found += 1
        per_kind[copy.kind] += 1
        directed_ok += link.directed and link.origin == copy.copy_of

    root = {d.id: d.copy_of or d.id for d in corpus.documents}
    negatives = [
        (a.id, b.id)
        for a, b in combinations(corpus.documents, 2)
        if a.story == b.story and root[a.id] != root[b.id]
    ]
    false_links = [by_pair[frozenset(p)] for p in negatives if frozenset(p) in by_pair]
    between_originals = [
        link
        for link in false_links
        if not meta[link.derived].copy_of and not meta[link.origin].copy_of
    ]
    other_story = [link for link in links if meta[link.derived].story != meta[link.origin].story]

    kinds = Counter(c.kind for c in copies)
    print(
        f"documents {len(docs)} (copies {len(copies)}), reuse stage {seconds:.1f} s, links {len(links)}"
    )
    print(
        f"link recall        {found / len(copies):.3f}  ({found}/{len(copies)})  "
        + "  ".join(f"{k} {per_kind[k]}/{kinds[k]}" for k in kinds)
    )
    print(
        f"false links        {len(false_links)} over {len(negatives)} unrelated same-story pairs "
        f"= {len(false_links) / max(len(negatives), 1):.4f} per pair (limit 0.05); "
        f"{len(between_originals)} of them between two ECB originals"
    )
    print(f"links across ECB stories {len(other_story)}")
    print(f"direction accuracy {directed_ok / max(found, 1):.3f}  ({directed_ok}/{found})")
    print(
        "kinds found        "
        + ", ".join(f"{k} {v}" for k, v in Counter(link.kind for link in links).items())
    )
    if args.show:
        for miss in misses:
            print("MISS", miss)
        for link in false_links + other_story:
            print("FALSE", link.derived, link.origin, link.kind, link.score, link.why)
        for copy in copies:
            link = by_pair.get(frozenset((copy.id, copy.copy_of)))
            if link and not (link.directed and link.origin == copy.copy_of):
                print("DIRECTION", copy.id, link.kind, link.directed, link.why)
    return 0


if __name__ == "__main__":
    sys.exit(main())
