"""Score the reuse stage on COUNTER dev (real Urdu newsroom reuse), in Urdu script and romanised.

COUNTER (Sharjeel, Nawab & Rayson, LREC 2016; CC BY-NC-SA 4.0, not shipped):
``../shared/dev/counter`` holds 304 pairs of a news agency story and a
newspaper story labelled wholly derived (WD), partially derived (PD) or
written independently (ND). The documents are cleaned by the clean stage and
``find_links`` runs on all of them at once, so links are searched corpus-wide
as in ``newstrace analyze``; the links are then scored by the scorer beside
the data (``score_counter.py``: derived-pair F1 and precision, three-way
WD/PD/ND macro F1, link recall per label, direction, links across pairs).

``--romanised`` transliterates every text to Latin letters with ``anyascii``
first (a dependency of this script only: ``pip install anyascii==0.3.3``).

``--cv K`` also sets the passage thresholds (``PASSAGE_COVERAGE``,
``SHARED_VOCABULARY``, ``PASSAGE_NEAR_COPY``, ``NEAR_COPY_VOCABULARY``) by K-fold cross-validation over
the pairs: on each fold's training pairs the grid point with the best derived
F1 among those with derived precision >= 0.85 (then three-way macro F1) is
chosen, and the held-out fold is labelled with it; the printed cross-validated
figures come from those held-out labels only. A grid value of 1.01 switches
that test off. ``--peers`` runs datasketch's
MinHashLSH at threshold 0.1 on the same documents as the issue's peer.

Usage: ``python eval/score_counter.py [--romanised] [--cv 10] [--peers] [--json OUT]``
"""

from __future__ import annotations

import argparse
import copy
import importlib.util
import json
import random
import sys
import time
from pathlib import Path

import newstrace.reuse.classify as classify
from newstrace.clean import clean_documents
from newstrace.ingest.dates import published_at
from newstrace.model import Document
from newstrace.reuse.links import _shared, find_links, pair_links, resolve

COUNTER = Path(__file__).resolve().parents[2] / "shared" / "dev" / "counter"
GRID_COVERAGE = [0.06, 0.1, 0.15, OFF := 1.01]
GRID_VOCABULARY = [0.14, 0.16, 0.18, 0.2, 0.22, 0.24, 0.26, 0.3, OFF]
GRID_NEAR_COPY = [0.35, 0.4, 0.45, 0.5, 0.55]
GRID_NEAR_VOCABULARY = [0.5, 0.55, 0.6, 0.65, 0.7, OFF]
GRID = [
    (c, v, n, w)
    for c in GRID_COVERAGE
    for v in GRID_VOCABULARY
    for n in GRID_NEAR_COPY
    for w in GRID_NEAR_VOCABULARY
]
THRESHOLDS = ("PASSAGE_COVERAGE", "SHARED_VOCABULARY", "PASSAGE_NEAR_COPY", "NEAR_COPY_VOCABULARY")


def scorer():
    spec = importlib.util.spec_from_file_location("score_counter", COUNTER / "score_counter.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def documents(romanised: bool) -> list[Document]:
    convert = (lambda t: t) if not romanised else __import__("anyascii").anyascii
    docs = []
    for line in (COUNTER / "corpus.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        docs.append(
            Document(
                id=r["id"],
                origin=f"corpus.jsonl#{r['id']}",
                raw=convert(r["text"]),
                title=convert(r["title"]) if r.get("title") else None,
                source=r.get("source"),
                published=r.get("published"),
            )
        )
    return clean_documents(docs)


def as_records(links) -> list[dict]:
    return [
        {
            "derived": link.derived,
            "origin": link.origin,
            "directed": link.directed,
            "kind": link.kind,
            "score": link.score,
            "passages": len(link.passages),
        }
        for link in links
    ]


def passage_link(link) -> bool:
    """Whether a link was made on shared passages alone (not by the sentence alignment)."""
    return "shared word for word" in link.why


def thresholded(raw, views, docs, point: tuple[float, ...]) -> list[dict]:
    """The links ``find_links`` gives with the passage thresholds ``point`` (values of
    ``THRESHOLDS``), from its pairwise links made with every passage threshold at
    zero: each passage link is decided again by ``passage_kind`` on what its two texts
    share; then the same explaining away and orientation run."""
    kept = []
    for link in raw:
        link = copy.deepcopy(link)
        if passage_link(link):
            kind = _passage_kind_at(link, views, docs, point)
            if kind is None:
                continue
            link.kind = kind
        kept.append(link)
    return as_records(resolve(kept, views))


_SHARED: dict[tuple[str, str], object] = {}


def _passage_kind_at(link, views, docs, point: tuple[float, ...]) -> str | None:
    key = (link.derived, link.origin)
    if key not in _SHARED:
        _SHARED[key] = _shared(views[link.derived], views[link.origin])
    when_d, when_o = (
        published_at(docs[link.derived].published),
        published_at(docs[link.origin].published),
    )
    apart = abs(when_d.moment - when_o.moment) if when_d and when_o else None
    _set_thresholds(point)
    return classify.passage_kind(_SHARED[key], link.kind == "duplicate", apart)  # type: ignore[arg-type]


def _set_thresholds(point: tuple[float, ...]) -> None:
    for name, value in zip(THRESHOLDS, point):
        setattr(classify, name, value)


def cross_validate(runs: dict, gold, folds: int, seed: int = 0) -> dict:
    """Held-out-fold labels, each from thresholds chosen on the other folds only."""
    score = scorer().score
    pairs = list(gold["pairs"])
    random.Random(seed).shuffle(pairs)
    held_out_links: list[dict] = []
    chosen = []
    for k in range(folds):
        test = pairs[k::folds]
        train = [p for p in pairs if p not in test]
        train_ids = {i for p in train for i in (p["source_id"], p["derived_id"])}
        test_ids = {i for p in test for i in (p["source_id"], p["derived_id"])}

        def fit(point, train=train, train_ids=train_ids):
            res = score({"pairs": train}, _within(runs[point], train_ids))[0]
            return _objective(res)

        best = max(runs, key=fit)
        chosen.append(best)
        held_out_links += _within(runs[best], test_ids)
    result = score({"pairs": pairs}, held_out_links)[0]
    result["chosen_per_fold"] = chosen
    return result


MIN_PRECISION = 0.85


def _objective(res: dict) -> tuple:
    """Derived precision at least ``MIN_PRECISION`` first (the issue's bar), then derived F1,
    then three-way macro F1."""
    b = res["binary"]
    return (b["derived_P"] >= MIN_PRECISION, b["derived_F1"], res["three_way"]["macro_F1"])


def _within(links: list[dict], ids: set[str]) -> list[dict]:
    return [link for link in links if link["derived"] in ids and link["origin"] in ids]


def peers(docs: list[Document]) -> list[dict]:
    """datasketch MinHashLSH at threshold 0.1 over word 3-shingles, as the issue ran it."""
    from datasketch import MinHash, MinHashLSH

    from newstrace.nlp.words import words

    lsh = MinHashLSH(threshold=0.1, num_perm=128)
    hashes = {}
    for doc in docs:
        tokens = words(doc.text)
        grams = {" ".join(tokens[k : k + 3]).encode() for k in range(len(tokens) - 2)}
        m = MinHash(num_perm=128)
        m.update_batch(list(grams))
        hashes[doc.id] = m
        lsh.insert(doc.id, m)
    links = {}
    for doc_id, m in hashes.items():
        for other in lsh.query(m):
            if other != doc_id:
                links[tuple(sorted((doc_id, other)))] = True
    return [
        {"derived": a, "origin": b, "directed": False, "kind": "rewrite", "score": 0.0}
        for a, b in links
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--romanised", action="store_true")
    parser.add_argument("--cv", type=int, default=0, help="folds for cross-validated thresholds")
    parser.add_argument("--peers", action="store_true", help="also score datasketch at 0.1")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)
    gold = json.loads((COUNTER / "gold.json").read_text(encoding="utf-8"))
    score = scorer().score
    docs = documents(args.romanised)
    started = time.perf_counter()
    links = as_records(find_links(docs))
    seconds = time.perf_counter() - started
    out = {"script": "romanised" if args.romanised else "urdu", "seconds": round(seconds, 1)}
    out["in_sample"] = score(gold, links)[0]
    if args.cv:
        shipped = tuple(getattr(classify, name) for name in THRESHOLDS)
        classify.PASSAGE_COVERAGE = 0.0
        raw, views = pair_links(docs)
        by_id = {d.id: d for d in docs}
        runs = {point: thresholded(raw, views, by_id, point) for point in GRID}
        _set_thresholds(shipped)
        out["cross_validated"] = cross_validate(runs, gold, args.cv)
        grid = {point: score(gold, links)[0] for point, links in runs.items()}
        best = max(grid, key=lambda p: _objective(grid[p]))
        out["best_in_sample"] = dict(grid[best], thresholds=best)
    if args.peers:
        out["datasketch_0.1"] = score(gold, peers(docs))[0]
    for name in ("in_sample", "best_in_sample", "cross_validated", "datasketch_0.1"):
        if name in out:
            r = out[name]
            print(
                f"{out['script']:9} {name:16} derived F1 {r['binary']['derived_F1']:.3f} "
                f"P {r['binary']['derived_P']:.3f} R {r['binary']['derived_R']:.3f}  "
                f"3-way macro F1 {r['three_way']['macro_F1']:.3f}  WD {r['linked_WD']} "
                f"PD {r['linked_PD']} ND {r['linked_ND']}  across pairs {r['links_across_pairs']}"
            )
    print(f"reuse stage {seconds:.1f} s; direction {out['in_sample']['direction']}")
    for name in ("in_sample", "cross_validated"):
        if name in out:
            print(name, out[name]["three_way"])
    if "best_in_sample" in out:
        print("best in-sample thresholds", out["best_in_sample"]["thresholds"])
        print("chosen per fold", out["cross_validated"]["chosen_per_fold"])
    if args.json:
        args.json.write_text(json.dumps(out, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
