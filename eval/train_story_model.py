"""Train the story pair model on ECB+ and cross-validate it by topic.

    .venv/bin/python eval/train_story_model.py [--folds 5] [--write]

Leave-topics-out: each fold's model is trained (and its linkage threshold
tuned) on the other topics only, then groups its own held-out topics; the
pooled held-out grouping is scored with ``shared/dev/score_clusters.py``.
That is the figure to report. ``--write`` then trains on all topics and
writes ``src/newstrace/stories/pair_model.json`` (deterministic: liblinear,
fixed folds).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ecb_data import GOLD, SCORER, bcubed_f1, dev_set, topic_folds  # noqa: E402

from newstrace.stories.features import DocumentFrequency  # noqa: E402
from newstrace.stories.grouping import group_features  # noqa: E402
from newstrace.stories.pairs import (  # noqa: E402
    MODEL_PATH, PAIR_FEATURES, Logistic, PairModel, candidate_pairs, pair_features, shared_neighbours,
)

THRESHOLDS = np.round(np.arange(0.15, 0.71, 0.05), 2)
STREAM_THRESHOLD = 0.3
"""Incremental grouping's threshold (first stage): set from score_stories.py --tune-stream."""
C = 1.0


def training_pairs(raw, stories: np.ndarray):
    """Candidate pairs in ``raw``, their features and same-story labels."""
    frequency = DocumentFrequency()
    frequency.add(raw)
    weighted = frequency.weigh(raw)
    pairs = candidate_pairs(weighted)
    labels = (stories[pairs[:, 0]] == stories[pairs[:, 1]]).astype(int)
    return pairs, pair_features(weighted, raw, pairs), labels


def _logistic(x: np.ndarray, y: np.ndarray) -> Logistic:
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    regression = LogisticRegression(C=C, solver="liblinear", max_iter=1000)
    regression.fit((x - mean) / scale, y)
    return Logistic(mean.astype(np.float32), scale.astype(np.float32),
                    regression.coef_[0].astype(np.float32), float(regression.intercept_[0]))


def fit(raw, stories: np.ndarray, topics: np.ndarray, stream_threshold: float = 0.5) -> PairModel:
    """Both stages on ``raw``; threshold tuned on two halves of its topics.

    The second stage learns from first-stage probabilities cross-fitted over
    two halves of the topics, as it will see them on unseen topics.
    """
    pairs, x, y = training_pairs(raw, stories)
    first = _logistic(x, y)
    pair_topics = topics[pairs[:, 0]]
    unique = np.unique(topics)
    crossfit = np.zeros(len(pairs), dtype=np.float32)
    for half in (unique[::2], unique[1::2]):
        inside = np.isin(pair_topics, half)
        crossfit[inside] = _logistic(x[~inside], y[~inside]).probability(x[inside])
    second = _logistic(np.column_stack([x, shared_neighbours(len(raw), pairs, crossfit)]), y)
    model = PairModel(first, second, 0.5, stream_threshold)
    best = max(THRESHOLDS, key=lambda t: (_score_split(raw, stories, topics, model, t), -abs(t - 0.4)))
    return PairModel(first, second, float(best), stream_threshold)


def _score_split(raw, stories, topics, model, threshold) -> float:
    """Mean B-cubed over two halves of the topics, each grouped on its own."""
    unique = np.unique(topics)
    scores = []
    for half in (unique[::2], unique[1::2]):
        index = np.flatnonzero(np.isin(topics, half))
        labels = group_features(raw.rows(index), model, threshold).labels
        scores.append(bcubed_f1(labels, stories[index]))
    return float(np.mean(scores))


def official_score(predictions: dict[str, str]) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as handle:
        for doc, story in predictions.items():
            handle.write(json.dumps({"doc": doc, "story": story}) + "\n")
    result = subprocess.run([sys.executable, str(SCORER), handle.name, str(GOLD)], capture_output=True, text=True)
    return result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="train on all topics and write pair_model.json")
    args = parser.parse_args()
    gold, documents, raw, stories = dev_set()
    topics = np.array([r["topic"] for r in gold])
    held_out, together = {}, {}
    for fold, test in enumerate(topic_folds(gold, args.folds)):
        train = np.setdiff1d(np.arange(len(gold)), test)
        model = fit(raw.rows(train), stories[train], topics[train])
        labels = group_features(raw.rows(test), model).labels
        everything = group_features(raw, model).labels
        print(f"fold {fold}: {len(np.unique(topics[test]))} topics, threshold {model.threshold:.2f}, "
              f"held-out B3 {bcubed_f1(labels, stories[test]):.4f}, "
              f"grouped with all {bcubed_f1(everything[test], stories[test]):.4f}")
        for i, label in zip(test, labels):
            held_out[gold[i]["doc"]] = f"{fold}-{label}"
        for i in test:
            together[gold[i]["doc"]] = f"{fold}-{everything[i]}"
    print("\n== held-out topics, each fold grouped on its own (cross-validated) ==")
    print(official_score(held_out))
    print("== held-out topics, grouped together with all 772 articles ==")
    print(official_score(together).strip().splitlines()[-1])
    if args.write:
        model = fit(raw, stories, topics, STREAM_THRESHOLD)
        cv = float(official_score(held_out).strip().splitlines()[-1].split("=")[1])
        MODEL_PATH.write_text(model.to_json(
            trained_on="shared/dev/ecb (772 articles, 33 topics)", cv_folds=args.folds,
            cv_bcubed_f1=round(cv, 4), C=C) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH} (threshold {model.threshold:.2f})")
        names = PAIR_FEATURES + ["shared_neighbours"]
        for name, weight in sorted(zip(names, model.second.coef), key=lambda p: -abs(p[1])):
            print(f"  {name:16s} {weight:+.3f}")


if __name__ == "__main__":
    main()
