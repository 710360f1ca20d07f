"""Score story grouping on the ECB+ development set, batch and incremental.

    .venv/bin/python eval/score_stories.py [--timing [--repeat N]] [--tune-stream]

Prints, with ``shared/dev/score_clusters.py``:
- the cross-validated (leave-topics-out) batch figures recorded in
  ``pair_model.json`` by ``eval/train_story_model.py`` — the honest figure is
  the mean over several topic splits;
- batch grouping of all 772 articles with the shipped model (trained on these
  same topics, so in-sample: an upper bound, not the figure to quote);
- incremental grouping (``StoryIndex``, one article at a time, in file-name
  order, which is arbitrary) and the B-cubed F1 between batch and incremental;
- with ``--timing``: wall time of ``group_stories`` from plain text against a
  bare spaCy NER pass (``spacy_nlp(parser=False)``, ``nlp.pipe``) on the same
  texts in the same run, as a ratio.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ecb_data import bcubed_f1, dev_set, load_documents
from train_story_model import official_score

from newstrace.nlp import spacy_nlp
from newstrace.stories import StoryIndex, group_stories
from newstrace.stories.grouping import group_features
from newstrace.stories.scoring import MODEL_PATH, PairModel, shipped_model


def incremental_labels(documents, raw, model=None) -> list[str]:
    index = StoryIndex(model=model)
    return [index.add_features(doc, raw.rows([n])).story for n, doc in enumerate(documents)]


def timing(gold, repeat: int = 1) -> None:
    """Bare NER pass and ``group_stories`` alternately, ``repeat`` times each;
    the fastest of each is kept (the machine is shared: the minimum is the
    least disturbed run)."""
    texts = [doc.text for doc in load_documents(gold)]
    nlp = spacy_nlp(parser=False)
    bare, grouping = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=32):
            pass
        bare.append(time.perf_counter() - start)
        documents = load_documents(gold)
        start = time.perf_counter()
        group_stories(documents)
        grouping.append(time.perf_counter() - start)
    print(
        f"timing on {len(texts)} articles (2 cores, CPU only, best of {repeat}): bare spaCy NER pass "
        f"{min(bare):.1f} s, group_stories {min(grouping):.1f} s, ratio {min(grouping) / min(bare):.2f}x "
        f"(each run: {', '.join(f'{g / b:.2f}x' for g, b in zip(grouping, bare))})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--timing", action="store_true")
    parser.add_argument(
        "--repeat", type=int, default=1, help="timing runs (the fastest of each is kept)"
    )
    parser.add_argument(
        "--tune-stream", action="store_true", help="print incremental B3 per stream threshold"
    )
    args = parser.parse_args()
    gold, documents, raw, stories = dev_set()
    saved = json.loads(MODEL_PATH.read_text())
    print(
        f"cross-validated batch B-cubed F1 ({saved['cv_folds']} folds by topic): {saved['cv_bcubed_f1']}"
    )
    if "cv_mean_bcubed_f1" in saved:
        print(
            f"  mean over {saved['cv_splits']} topic splits {saved['cv_mean_bcubed_f1']} "
            f"(min {saved['cv_min_bcubed_f1']}, max {saved['cv_max_bcubed_f1']})"
        )
    batch = group_features(raw).labels
    print("\n== batch, all 772 articles, shipped model (in-sample) ==")
    print(official_score({r["doc"]: f"b{label}" for r, label in zip(gold, batch)}).strip())
    stream = incremental_labels(documents, raw)
    print("\n== incremental, one article at a time (in-sample) ==")
    print(official_score({r["doc"]: label for r, label in zip(gold, stream)}).strip())
    print(f"\nbatch vs incremental B-cubed F1: {bcubed_f1(stream, batch):.4f}")
    if args.tune_stream:
        model = shipped_model()
        for threshold in (0.2, 0.3, 0.4, 0.5):
            trial = PairModel(model.first, model.second, model.threshold, float(threshold))
            print(
                f"stream threshold {threshold:.2f}: B3 {bcubed_f1(incremental_labels(documents, raw, trial), stories):.4f}"
            )
    if args.timing:
        timing(gold, args.repeat)


if __name__ == "__main__":
    main()
