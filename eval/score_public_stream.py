"""Story grouping on a public, dated, multi-outlet news set no one here tuned to, beside a peer.

    git clone https://github.com/launchnlp/Partisan-Event-Dataset /tmp/pac
    .venv/bin/python eval/score_public_stream.py --pac /tmp/pac [--dates both|published|none]
        [--half all|tune|untouched] [--peer-tune basil|ecb] [--json OUT]          # ~4 min

The set is PAC (``pac_data.py``: 97 AllSides stories of two articles from
outlets of opposite leaning, 2012-2014 and 2020-2023, one of three). It has no published
clustering figures, so a peer runs on the same articles in the same script:
TF-IDF cosine (sublinear tf, English stop words, IDF over the set being
grouped) with average-linkage agglomerative clustering for batch and
single-pass clustering (join the most similar story centroid above the
threshold, else start a story) for the stream; with dates, articles more
than a window of days apart never join. The peer's threshold and window are
chosen on our own dev data (BASIL dev by default, dated for the dated runs;
or ECB+ dev, which has no dates), never on PAC.

newstrace runs exactly as ``score_stream.py`` runs BASIL (its ``measure``):
batch and incremental, in publication-time order, with and without the
``published`` field, each run in a fresh process. Printed per run: B-cubed
and pairwise P/R/F1, ARI, stories, articles per second, peak RSS.

``--half`` scores one half of PAC split by year (``pac_data.HALVES``):
``tune`` (2020-2023), the half that may be used to choose and fit, or
``untouched`` (2012-2014), only ever reported.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pac_data import HALVES, pac_documents
from score_stream import GROUPINGS, figures, measure, run_one

from newstrace.model import Document

THRESHOLDS = [n / 100 for n in range(5, 96, 5)]
WINDOWS: list[int | None] = [1, 3, 7, 14, 30, None]
"""Days two articles may lie apart and still be one story for the peer (None: no limit)."""
PEERS = ("tfidf-agglo", "tfidf-1pass")
APART = 10.0
"""The peer's distance for two articles further apart than its window: never merged
while any pair under the threshold's distance is left."""


@dataclass(frozen=True)
class PeerSetting:
    threshold: float
    window: int | None


@dataclass
class PeerInput:
    """Unit-length TF-IDF rows of headline and text (IDF fitted on the articles
    themselves) and each article's publication day (NaN when undated)."""

    vectors: np.ndarray
    days: np.ndarray

    @classmethod
    def of(cls, docs: list[Document]) -> PeerInput:
        from sklearn.feature_extraction.text import TfidfVectorizer

        texts = [f"{doc.title or ''}\n{doc.text}" for doc in docs]
        vectors = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
        days = [_day(doc.published) for doc in docs]
        return cls(vectors.toarray(), np.array(days, dtype=float))


def _day(published: str | None) -> float:
    return float(date.fromisoformat(published[:10]).toordinal()) if published else np.nan


def _too_far(days_a: np.ndarray, days_b: np.ndarray, window: int | None) -> np.ndarray:
    """Pairs both dated and more than ``window`` days apart (undated pairs never are)."""
    if window is None:
        return np.zeros((len(days_a), len(days_b)), dtype=bool)
    with np.errstate(invalid="ignore"):
        return np.abs(days_a[:, None] - days_b[None, :]) > window


def agglomerative(data: PeerInput, setting: PeerSetting) -> list[int]:
    """Average linkage on cosine similarity, merging while the mean similarity is >= threshold."""
    from sklearn.cluster import AgglomerativeClustering

    if len(data.vectors) < 2:
        return [0] * len(data.vectors)
    distance = np.clip(1.0 - data.vectors @ data.vectors.T, 0.0, 2.0)
    distance[_too_far(data.days, data.days, setting.window)] = APART
    model = AgglomerativeClustering(
        n_clusters=None,
        metric="precomputed",
        linkage="average",
        distance_threshold=1 - setting.threshold,
    )
    return [int(label) for label in model.fit_predict(distance)]


def single_pass(data: PeerInput, setting: PeerSetting) -> list[int]:
    """Each article in turn joins the story whose centroid is most similar, if >= threshold,
    among the stories whose newest article is within the window (undated: all)."""
    vectors = data.vectors
    sums = np.zeros((len(vectors), vectors.shape[1]))
    norms = np.ones(len(vectors))
    newest = np.full(len(vectors), np.nan)
    stories = 0
    labels = []
    for vector, day in zip(vectors, data.days):
        similarity = sums[:stories] @ vector / norms[:stories]
        similarity[_too_far(np.array([day]), newest[:stories], setting.window)[0]] = -1.0
        best = int(np.argmax(similarity)) if stories else -1
        if best < 0 or similarity[best] < setting.threshold:
            best, stories = stories, stories + 1
        sums[best] += vector
        norms[best] = float(np.linalg.norm(sums[best])) or 1.0
        newest[best] = np.fmax(newest[best], day)
        labels.append(best)
    return labels


PEER_METHODS: dict[str, Callable[[PeerInput, PeerSetting], list[int]]] = {
    "tfidf-agglo": agglomerative,
    "tfidf-1pass": single_pass,
}


def peer_grouping(method: str, setting: PeerSetting) -> Callable[[list[Document]], None]:
    """The peer as a grouping for ``run_one``: vectorise, cluster, set ``doc.story``."""

    def group(docs: list[Document]) -> None:
        for doc, label in zip(docs, PEER_METHODS[method](PeerInput.of(docs), setting)):
            doc.story = f"p{label}"

    return group


def _dev_set(name: str, dated: bool) -> tuple[list[Document], dict[str, str]]:
    """Our dev data for the peer's settings, in publication-time order where dated."""
    if name == "basil":
        from basil_data import basil_documents

        return basil_documents(dated, time_order=True)
    from ecb_data import load_documents, load_gold

    gold = load_gold()  # ECB+ has no dates
    return load_documents(gold), {r["doc"]: r["story"] for r in gold}


def tune_peer(dev: str, dated: bool) -> dict[str, PeerSetting]:
    """Each peer's threshold (and window, when dated) with the best B-cubed F1 on ``dev``.

    Ties go to the lowest threshold and the widest window.
    """
    docs, gold = _dev_set(dev, dated)
    data = PeerInput.of(docs)
    windows = WINDOWS if dated and not np.isnan(data.days).all() else [None]
    chosen = {}
    for method in PEERS:
        best, best_f1 = PeerSetting(0.0, None), -1.0
        for window in reversed(windows):
            for threshold in THRESHOLDS:
                setting = PeerSetting(threshold, window)
                labels = PEER_METHODS[method](data, setting)
                f1 = figures(gold, {d.id: f"p{n}" for d, n in zip(docs, labels)})["bcubed_f1"]
                if f1 > best_f1:
                    best, best_f1 = setting, f1
        chosen[method] = best
        print(
            f"peer {method} ({'dated' if dated else 'undated'}): threshold {best.threshold:.2f}, "
            f"window {best.window} days (B-cubed F1 {best_f1:.3f} on {dev} dev)",
            flush=True,
        )
    return chosen


def _child(
    pac: Path, settings: dict[tuple[str, bool], PeerSetting], half: str = "all"
) -> Callable[[str, bool], list[str]]:
    def command(mode: str, dated: bool) -> list[str]:
        extra = []
        if mode in PEERS:
            setting = settings[mode, dated]
            extra = [f"--threshold={setting.threshold}", f"--window={setting.window or 0}"]
        dates = "dated" if dated else "undated"
        return [
            *(sys.executable, __file__, "--pac", str(pac), "--half", half),
            *(*extra, "--one", mode, dates),
        ]

    return command


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--pac", type=Path, required=True, help="a clone of launchnlp/Partisan-Event-Dataset"
    )
    parser.add_argument("--dates", choices=("both", "published", "none"), default="both")
    parser.add_argument("--half", choices=("all", *HALVES), default="all", help="PAC by year")
    parser.add_argument("--peer-tune", choices=("basil", "ecb"), default="basil")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument("--threshold", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--window", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--one", nargs=2, metavar=("MODE", "DATES"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    def load(dated: bool) -> tuple[list[Document], dict[str, str]]:
        return pac_documents(args.pac, dated, half=args.half)

    if args.one:
        mode, dates = args.one
        docs, _ = load(dates == "dated")
        if mode in PEERS:
            setting = PeerSetting(args.threshold, args.window or None)
            print(json.dumps(run_one(docs, peer_grouping(mode, setting), warm=None)))
        else:
            print(json.dumps(run_one(docs, GROUPINGS[mode])))
        return
    docs, gold = load(True)
    dated = sum(doc.published is not None for doc in docs)
    print(
        f"PAC ({args.half}): {len(docs)} articles ({dated} dated), "
        f"{len(set(gold.values()))} stories"
    )
    settings = {
        (method, dated): setting
        for dated in {"both": (True, False), "published": (True,), "none": (False,)}[args.dates]
        for method, setting in tune_peer(args.peer_tune, dated).items()
    }
    rows = measure(
        "pac", load, _child(args.pac, settings, args.half), args.dates, modes=(*GROUPINGS, *PEERS)
    )
    for row in rows:
        row["half"] = args.half
        setting = settings.get((row["mode"], row["dates"] == "published"))
        row["peer"] = None if setting is None else {"tuned_on": args.peer_tune, **asdict(setting)}
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
