"""Story grouping on a public, dated, multi-outlet news set no one here tuned to, beside a peer.

    git clone https://github.com/launchnlp/Partisan-Event-Dataset /tmp/pac
    .venv/bin/python eval/score_public_stream.py --pac /tmp/pac [--dates both|published|none]
        [--peer-tune basil|ecb] [--json OUT]                                        # ~4 min

The set is PAC (``pac_data.py``: 100 AllSides stories of two articles from
outlets of opposite leaning, 2012-2014 and 2020-2023). It has no published
clustering figures, so a peer runs on the same articles in the same script:
TF-IDF cosine (sublinear tf, English stop words, IDF over the set being
grouped) with average-linkage agglomerative clustering for batch and
single-pass clustering (join the most similar story centroid above the
threshold, else start a story) for the stream. The peer's thresholds are
chosen on our own dev data (BASIL dev by default, or ECB+ dev), never on
PAC; it ignores dates.

newstrace runs exactly as ``score_stream.py`` runs BASIL (its ``measure``):
batch and incremental, in publication-time order, with and without the
``published`` field, each run in a fresh process. Printed per run: B-cubed
and pairwise P/R/F1, ARI, stories, articles per second, peak RSS.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pac_data import pac_documents
from score_stream import GROUPINGS, figures, measure, run_one

from newstrace.model import Document

THRESHOLDS = [n / 100 for n in range(5, 96, 5)]
PEERS = ("tfidf-agglo", "tfidf-1pass")


def _tfidf(docs: list[Document]) -> np.ndarray:
    """Unit-length TF-IDF rows of headline and text, IDF fitted on ``docs`` themselves."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [f"{doc.title or ''}\n{doc.text}" for doc in docs]
    return TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts).toarray()


def agglomerative(vectors: np.ndarray, threshold: float) -> list[int]:
    """Average linkage on cosine similarity, merging while the mean similarity is >= threshold."""
    from sklearn.cluster import AgglomerativeClustering

    if len(vectors) < 2:
        return [0] * len(vectors)
    distance = np.clip(1.0 - vectors @ vectors.T, 0.0, 2.0)
    model = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=1 - threshold
    )
    return [int(label) for label in model.fit_predict(distance)]


def single_pass(vectors: np.ndarray, threshold: float) -> list[int]:
    """Each article in turn joins the story whose centroid is most similar, if >= threshold."""
    sums = np.zeros((len(vectors), vectors.shape[1]))
    norms = np.ones(len(vectors))
    stories = 0
    labels = []
    for vector in vectors:
        similarity = sums[:stories] @ vector / norms[:stories]
        best = int(np.argmax(similarity)) if stories else -1
        if best < 0 or similarity[best] < threshold:
            best, stories = stories, stories + 1
        sums[best] += vector
        norms[best] = float(np.linalg.norm(sums[best])) or 1.0
        labels.append(best)
    return labels


PEER_METHODS: dict[str, Callable[[np.ndarray, float], list[int]]] = {
    "tfidf-agglo": agglomerative,
    "tfidf-1pass": single_pass,
}


def peer_grouping(method: str, threshold: float) -> Callable[[list[Document]], None]:
    """The peer as a grouping for ``run_one``: vectorise, cluster, set ``doc.story``."""

    def group(docs: list[Document]) -> None:
        for doc, label in zip(docs, PEER_METHODS[method](_tfidf(docs), threshold)):
            doc.story = f"p{label}"

    return group


def _dev_sets(name: str) -> list[tuple[list[Document], dict[str, str]]]:
    """Our dev data for the peer's thresholds, undated (the peer reads content only)."""
    if name == "basil":
        from basil_data import basil_documents

        return [basil_documents(False, time_order=True)]
    from ecb_data import load_documents, load_gold

    gold = load_gold()
    return [(load_documents(gold), {r["doc"]: r["story"] for r in gold})]


def tune_peer(dev: str) -> dict[str, float]:
    """Each peer's threshold with the best B-cubed F1 on ``dev`` (the lowest on ties)."""
    chosen = {}
    for method in PEERS:
        best = (-1.0, 0.0)
        for docs, gold in _dev_sets(dev):
            vectors = _tfidf(docs)
            for threshold in THRESHOLDS:
                labels = PEER_METHODS[method](vectors, threshold)
                f1 = figures(gold, {d.id: f"p{n}" for d, n in zip(docs, labels)})["bcubed_f1"]
                if f1 > best[0]:
                    best = (f1, threshold)
        chosen[method] = float(best[1])
        print(f"peer {method}: threshold {best[1]:.2f} (B-cubed F1 {best[0]:.3f} on {dev} dev)")
    return chosen


def _child(pac: Path, thresholds: dict[str, float]) -> Callable[[str, bool], list[str]]:
    def command(mode: str, dated: bool) -> list[str]:
        extra = [f"--threshold={thresholds[mode]}"] if mode in PEERS else []
        dates = "dated" if dated else "undated"
        return [sys.executable, __file__, "--pac", str(pac), *extra, "--one", mode, dates]

    return command


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--pac", type=Path, required=True, help="a clone of launchnlp/Partisan-Event-Dataset"
    )
    parser.add_argument("--dates", choices=("both", "published", "none"), default="both")
    parser.add_argument("--peer-tune", choices=("basil", "ecb"), default="basil")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument("--threshold", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--one", nargs=2, metavar=("MODE", "DATES"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    def load(dated: bool) -> tuple[list[Document], dict[str, str]]:
        return pac_documents(args.pac, dated)

    if args.one:
        mode, dates = args.one
        docs, _ = load(dates == "dated")
        if mode in PEERS:
            print(json.dumps(run_one(docs, peer_grouping(mode, args.threshold), warm=None)))
        else:
            print(json.dumps(run_one(docs, GROUPINGS[mode])))
        return
    docs, gold = load(True)
    dated = sum(doc.published is not None for doc in docs)
    print(f"PAC: {len(docs)} articles ({dated} dated), {len(set(gold.values()))} stories")
    thresholds = tune_peer(args.peer_tune)
    rows = measure("pac", load, _child(args.pac, thresholds), args.dates)
    rows += measure("pac", load, _child(args.pac, thresholds), "none", modes=PEERS)
    for row in rows:
        row["peer_tuned_on"] = args.peer_tune if row["mode"] in PEERS else None
        row["threshold"] = thresholds.get(row["mode"])
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
