"""Reuse candidate generation: newstrace's 3-gram index against datasketch's MinHashLSH.

Methods, each in its own process on the same documents and word 3-shingles:

- ``newstrace``: the candidates the reuse stage uses, an inverted index of word
  3-grams (``shingle_hashes`` + ``shingle_pairs``: pairs sharing at least three
  3-grams found in at most 40 documents);
- ``minhash``: newstrace's earlier numpy MinHash LSH, 120 permutations, 40 bands x 3 rows;
- ``datasketch``: ``MinHash`` + ``MinHashLSH(threshold=0.1, num_perm=128)``, the
  peer setting of issue 21.

``--counter`` runs them on COUNTER dev (``../shared/dev/counter``, real Urdu
newsroom reuse) instead and prints the share of wholly and partially derived
pairs each makes a candidate, then times the whole reuse stage
(``find_links`` on cleaned documents, sentence splitting included) against
datasketch's candidate generation on the same documents.

Corpus: N documents built from real ECB+ sentences (each base document is five
sentences drawn from the 772 dev articles), of which 20% are copies of an
earlier document with controlled edits: about 5% of words swapped for
synonyms or dropped, one sentence dropped half of the time, a furniture line
added half of the time. Documents are shorter than full articles (five
sentences, ~110 words) so 100k of them fit the time budget on 2 shared cores.

Both implementations get the same word 3-shingles (``newstrace.reuse.text.words``),
120 permutations and the same banding (40 bands x 3 rows); datasketch's
``MinHash.update_batch`` builds signatures and ``MinHashLSH`` indexes and
queries them. Each run is a separate process, so its peak memory (max RSS) is
its own. Printed: seconds, documents/second, recall of the known copy pairs,
candidate pairs, peak memory, and the growth from 10k to 100k documents.

Usage: ``python benchmarks/bench_reuse.py [--sizes 10000 100000]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "eval"))

FURNITURE = [
    "Leave a Reply",
    "Share this article on Facebook",
    "Subscribe to our newsletter for more stories",
    "Advertisement",
    "Read more: Latest Updates from our newsroom",
]
SWAPS = {
    "said": "stated",
    "people": "individuals",
    "police": "authorities",
    "killed": "slain",
    "about": "around",
    "after": "following",
    "also": "additionally",
    "new": "fresh",
    "many": "numerous",
    "first": "initial",
}


def make_documents(n: int, seed: int = 11) -> tuple[list[list[str]], list[tuple[int, int]]]:
    """Token lists of ``n`` documents and the (original, copy) index pairs among them."""
    from make_reuse_copies import read_ecb, split_sentences

    from newstrace.reuse.text import words

    rng = random.Random(seed)
    pool = [s for _, _, body, _ in read_ecb() for s in split_sentences(body) if len(s.split()) >= 8]
    texts: list[str] = []
    copies: list[tuple[int, int]] = []
    for i in range(n):
        if i > 10 and rng.random() < 0.2:
            original = rng.randrange(i)
            while original in {c for _, c in copies[-50:]}:
                original = rng.randrange(i)
            texts.append(_edit(texts[original], rng))
            copies.append((original, i))
        else:
            texts.append(" ".join(rng.sample(pool, 5)))
    return [words(t) for t in texts], copies


def _edit(text: str, rng: random.Random) -> str:
    from make_reuse_copies import split_sentences

    sentences = split_sentences(text)
    if len(sentences) > 3 and rng.random() < 0.5:
        del sentences[rng.randrange(1, len(sentences))]
    out = []
    for word in " ".join(sentences).split():
        roll = rng.random()
        if roll < 0.03:
            out.append(SWAPS.get(word.lower(), "very " + word))
        elif roll < 0.05:
            continue
        else:
            out.append(word)
    if rng.random() < 0.5:
        out = rng.choice(FURNITURE).split() + out
    return " ".join(out)


def run_ours(tokens: list[list[str]]) -> set[tuple[int, int]]:
    from newstrace.reuse.candidates import shingle_hashes, shingle_pairs

    return shingle_pairs([shingle_hashes(t) for t in tokens])


def run_minhash(tokens: list[list[str]]) -> set[tuple[int, int]]:
    from newstrace.reuse.candidates import BANDS, ROWS, MinHasher, band_pairs

    return band_pairs(MinHasher().signatures(tokens), BANDS, ROWS)


def run_datasketch(tokens: list[list[str]]) -> set[tuple[int, int]]:
    from datasketch import MinHash, MinHashLSH

    from newstrace.reuse.candidates import SHINGLE

    lsh = MinHashLSH(threshold=0.1, num_perm=128)
    signatures = []
    for i, toks in enumerate(tokens):
        m = MinHash(num_perm=128)
        m.update_batch(
            [
                " ".join(toks[k : k + SHINGLE]).encode()
                for k in range(max(1, len(toks) - SHINGLE + 1))
            ]
        )
        lsh.insert(i, m)
        signatures.append(m)
    pairs = set()
    for i, m in enumerate(signatures):
        for j in lsh.query(m):
            if j != i:
                pairs.add((min(i, j), max(i, j)))
    return pairs


METHODS = {"newstrace": run_ours, "minhash": run_minhash, "datasketch": run_datasketch}


def counter_documents() -> tuple[list[list[str]], list[tuple[int, int]], list[str]]:
    """COUNTER dev: token lists, the (source, derived) index pairs of WD and PD, labels."""
    from newstrace.nlp.words import words

    folder = ROOT.parent / "shared" / "dev" / "counter"
    records = [json.loads(line) for line in (folder / "corpus.jsonl").open(encoding="utf-8")]
    index = {r["id"]: k for k, r in enumerate(records)}
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))["pairs"]
    derived = [g for g in gold if g["label"] != "ND"]
    pairs = [tuple(sorted((index[g["source_id"]], index[g["derived_id"]]))) for g in derived]
    return [words(r["text"]) for r in records], pairs, [g["label"] for g in derived]  # type: ignore[return-value]


def run_stage() -> float:
    """Seconds of the whole reuse stage (``find_links``) on cleaned COUNTER dev documents."""
    sys.path.insert(0, str(ROOT / "eval"))
    from score_counter import documents

    from newstrace.reuse.links import find_links

    docs = documents(False)
    started = time.perf_counter()
    find_links(docs)
    return time.perf_counter() - started


def worker(method: str, n: int) -> dict:
    if method == "stage":
        seconds = run_stage()
        return {"method": method, "documents": "counter", "seconds": round(seconds, 2)}
    labels: list[str] = []
    if n == 0:
        tokens, copies, labels = counter_documents()
    else:
        tokens, copies = make_documents(n)
    started = time.perf_counter()
    pairs = METHODS[method](tokens)
    seconds = time.perf_counter() - started
    found = sum((a, b) in pairs for a, b in copies)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    row = {
        "method": method,
        "documents": len(tokens),
        "seconds": round(seconds, 2),
        "docs_per_s": round(len(tokens) / seconds),
        "recall": round(found / len(copies), 4),
        "copies": len(copies),
        "candidate_pairs": len(pairs),
        "peak_rss_mb": round(peak_mb),
    }
    for label in sorted(set(labels)):
        hits = [(a, b) in pairs for (a, b), lab in zip(copies, labels) if lab == label]
        row[f"recall_{label}"] = f"{sum(hits)}/{len(hits)}"
    return row


def _run(method: str, n: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", method, str(n)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--counter", action="store_true", help="COUNTER dev instead")
    parser.add_argument("--worker", nargs=2, metavar=("METHOD", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker[0], int(args.worker[1]))))
        return 0
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores (shared), CPU only, Python {platform.python_version()}"
    )
    if args.counter:
        rows = {method: _run(method, 0) for method in METHODS}
        for method, row in rows.items():
            print(
                f"{method:10} COUNTER dev {row['documents']} docs  {row['seconds']:.3f} s  "
                f"candidates {row['candidate_pairs']}  WD {row['recall_WD']}  PD {row['recall_PD']}"
            )
        stage = _run("stage", 0)["seconds"]
        ds = rows["datasketch"]["seconds"]
        print(f"candidates: datasketch / newstrace time {ds / rows['newstrace']['seconds']:.1f}x")
        print(f"whole reuse stage {stage:.1f} s = {stage / ds:.1f}x datasketch's candidates")
        return 0
    results: dict[tuple[str, int], dict] = {}
    for n in args.sizes:
        for method in METHODS:
            row = _run(method, n)
            results[method, n] = row
            print(
                f"{method:10} n={n:>7}  {row['seconds']:>7.2f} s  {row['docs_per_s']:>7} docs/s  recall {row['recall']:.4f} "
                f"({row['copies']} copies)  pairs {row['candidate_pairs']:>7}  peak {row['peak_rss_mb']} MB",
                flush=True,
            )
        ours, theirs = results["newstrace", n], results["datasketch", n]
        print(
            f"  speed ratio newstrace/datasketch at n={n}: {theirs['seconds'] / ours['seconds']:.1f}x"
        )
    if len(args.sizes) >= 2:
        small, large = args.sizes[0], args.sizes[-1]
        for method in METHODS:
            growth = results[method, large]["seconds"] / results[method, small]["seconds"]
            print(
                f"growth {method}: {small} -> {large} docs ({large / small:.0f}x): time x{growth:.1f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
