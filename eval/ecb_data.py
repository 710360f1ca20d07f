"""The ECB+ development articles as Documents, and a fast B-cubed for tuning.

Shared by ``train_story_model.py``, ``score_stories.py`` and the benchmark.
Features take a minute to extract (spaCy NER), so they are cached under
``$TMPDIR/newstrace-ecb-{entities,features}-<hash>.pkl`` keyed on the code's
hash; the caches are scratch files, never shipped.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

from newstrace.model import Document

SHARED = Path(__file__).resolve().parents[2] / "shared"
ECB = SHARED / "dev" / "ecb"
GOLD = ECB / "gold.jsonl"
SCORER = SHARED / "dev" / "score_clusters.py"


def load_gold() -> list[dict]:
    return [
        json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def load_documents(gold: list[dict]) -> list[Document]:
    documents = []
    for record in gold:
        path = ECB / record["doc"]
        text = path.read_text(encoding="utf-8")
        title = text.strip().splitlines()[0] if text.strip() else None
        documents.append(
            Document(id=record["doc"], origin=str(path), title=title, text=text.strip())
        )
    return documents


def cached_features(documents: list[Document]):
    """``features.extract`` on ``documents``, cached across runs of the eval scripts.

    The spaCy entities are cached on their own (keyed on the NLP code), so a
    change to the feature code reruns only the cheap part of extraction.
    """
    from newstrace.stories import features

    _cached_entities(documents)
    source = (
        Path(features.__file__).read_bytes()
        + "".join(f"{d.id}@{d.published}" for d in documents).encode()
    )  # dated and undated copies of one set differ (relative dates resolve)
    path = _cache_path("features", source)
    if path.exists() and not os.environ.get("NEWSTRACE_NO_CACHE"):
        return pickle.loads(path.read_bytes())
    raw = features.extract(documents)
    path.write_bytes(pickle.dumps(raw))
    return raw


def _cached_entities(documents: list[Document]) -> None:
    from newstrace.nlp import document_entities, pipeline

    source = Path(pipeline.__file__).read_bytes() + "".join(d.id for d in documents).encode()
    path = _cache_path("entities", source)
    if path.exists() and not os.environ.get("NEWSTRACE_NO_CACHE"):
        for doc, found in zip(documents, pickle.loads(path.read_bytes())):
            if doc.annotations.entities is None:
                doc.annotations.entities = found
        return
    path.write_bytes(pickle.dumps(document_entities(documents)))


def _cache_path(kind: str, source: bytes) -> Path:
    return (
        Path(tempfile.gettempdir())
        / f"newstrace-ecb-{kind}-{hashlib.sha1(source).hexdigest()[:12]}.pkl"
    )


def dev_set():
    """The labelled dev set as the story scripts use it: gold records, documents,
    their cached features and the gold story of each document."""
    gold = load_gold()
    documents = load_documents(gold)
    return gold, documents, cached_features(documents), np.array([r["story"] for r in gold])


def bcubed_f1(labels, gold) -> float:
    """B-cubed F1 of predicted ``labels`` against ``gold`` story ids (same order)."""
    labels, gold = list(labels), list(gold)
    pairs = Counter(zip(labels, gold))
    pred_sizes, gold_sizes = Counter(labels), Counter(gold)
    precision = sum(c * c / pred_sizes[p] for (p, g), c in pairs.items()) / len(labels)
    recall = sum(c * c / gold_sizes[g] for (p, g), c in pairs.items()) / len(labels)
    return 2 * precision * recall / (precision + recall)


def topic_folds(gold: list[dict], folds: int, seed: int | None = None) -> list[np.ndarray]:
    """Document indices of each fold; whole topics go to one fold.

    Without ``seed`` topics are dealt round-robin in sorted order (the
    standard split); with one they are shuffled first.
    """
    topics = sorted({record["topic"] for record in gold})
    if seed is not None:
        topics = [topics[i] for i in np.random.default_rng(seed).permutation(len(topics))]
    fold_of = {topic: n % folds for n, topic in enumerate(topics)}
    return [
        np.array([i for i, r in enumerate(gold) if fold_of[r["topic"]] == f]) for f in range(folds)
    ]
