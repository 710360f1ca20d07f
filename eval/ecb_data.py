"""The ECB+ development articles as Documents, and a fast B-cubed for tuning.

Shared by ``train_story_model.py``, ``score_stories.py`` and the benchmark.
Features take a minute to extract (spaCy NER), so they are cached under
``$TMPDIR/newstrace-ecb-features.pkl`` keyed on the feature code's hash; the
cache is a scratch file, never shipped.
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
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_documents(gold: list[dict]) -> list[Document]:
    documents = []
    for record in gold:
        path = ECB / record["doc"]
        text = path.read_text(encoding="utf-8")
        title = text.strip().splitlines()[0] if text.strip() else None
        documents.append(Document(id=record["doc"], origin=str(path), title=title, text=text.strip()))
    return documents


def cached_features(documents: list[Document]):
    """``features.extract`` on ``documents``, cached across runs of the eval scripts."""
    from newstrace.stories import features

    source = Path(features.__file__).read_bytes() + "".join(d.id for d in documents).encode()
    key = hashlib.sha1(source).hexdigest()[:12]
    path = Path(tempfile.gettempdir()) / f"newstrace-ecb-features-{key}.pkl"
    if path.exists() and not os.environ.get("NEWSTRACE_NO_CACHE"):
        return pickle.loads(path.read_bytes())
    raw = features.extract(documents)
    path.write_bytes(pickle.dumps(raw))
    return raw


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


def topic_folds(gold: list[dict], folds: int) -> list[np.ndarray]:
    """Document indices of each fold; whole topics go to one fold."""
    topics = sorted({record["topic"] for record in gold})
    fold_of = {topic: n % folds for n, topic in enumerate(topics)}
    return [np.array([i for i, r in enumerate(gold) if fold_of[r["topic"]] == f]) for f in range(folds)]
