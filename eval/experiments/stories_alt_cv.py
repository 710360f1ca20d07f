"""Leave-topics-out 5-fold CV of the experimental grouping on ECB+ dev.

An EXPERIMENT kept for the next round of work on issue 3, not used by
newstrace: see README.md in this folder.

usage: python eval/experiments/stories_alt_cv.py [K=50] [BATCH=0] [DROP=""] [C=1] [TOL=0.01] [SEED=0]
"""

import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import stories_alt_grouping as ag

ECB = Path(__file__).resolve().parents[3] / "shared" / "dev" / "ecb"
gold = [json.loads(l) for l in open(ECB / "gold.jsonl")]
docs = [g["doc"] for g in gold]
texts = [open(ECB / d, encoding="utf-8").read() for d in docs]
CACHE = Path(tempfile.gettempdir()) / "newstrace-stories-alt-ner.json"
if not CACHE.exists():
    CACHE.write_text(json.dumps(dict(zip(docs, ag.extract_ner(texts)))))
cache = json.loads(CACHE.read_text())
ner = [cache[d] for d in docs]
topic = np.array([g["topic"] for g in gold])
story = [g["story"] for g in gold]
K = int(sys.argv[1]) if len(sys.argv) > 1 else 50
BATCH = int(sys.argv[2]) if len(sys.argv) > 2 else 0
DROP = tuple(sys.argv[3].split(",")) if len(sys.argv) > 3 and sys.argv[3] else ()
CC = float(sys.argv[4]) if len(sys.argv) > 4 else 1.0
TOL = float(sys.argv[5]) if len(sys.argv) > 5 else 0.01
SEED = int(sys.argv[6]) if len(sys.argv) > 6 else 0
topics = sorted(set(topic))
rng = np.random.RandomState(SEED)
perm = rng.permutation(topics)
folds = [set(perm[i::5]) for i in range(5)]
scores = []
for f, test in enumerate(folds):
    tr = [i for i in range(len(docs)) if topic[i] not in test]
    te = [i for i in range(len(docs)) if topic[i] in test]
    trt = [folds[g] for g in range(5) if g != f]
    batches = [[j for j, i in enumerate(tr) if topic[i] in tt] for tt in trt] if BATCH else None
    p = ag.fit_params(
        [texts[i] for i in tr],
        [ner[i] for i in tr],
        [story[i] for i in tr],
        k=K,
        batches=batches,
        drop=DROP,
        C=CC,
        tol=TOL,
    )
    pred = ag.group([texts[i] for i in te], [ner[i] for i in te], p)
    s = ag.bcubed_f1(pred, [story[i] for i in te])
    scores.append(s)
    print(
        f"fold {f}: topics {sorted(int(t) for t in test)} n={len(te)} thr={p['thr']:.3f} heldout_bcubed_f1={s:.4f}"
    )
print(f"held-out mean bcubed_f1={np.mean(scores):.4f}")
t0 = time.time()
allb = [[i for i in range(len(docs)) if topic[i] in tt] for tt in folds] if BATCH else None
p = ag.fit_params(texts, ner, story, k=K, batches=allb, drop=DROP, C=CC, tol=TOL)
t0 = time.time()
pred = ag.group(texts, ner, p)
dt = time.time() - t0
print(
    f"in-sample (all 772, params tuned on all) bcubed_f1={ag.bcubed_f1(pred, story):.4f}  groups={len(set(pred))}  wall={dt:.2f}s (excl. spaCy)"
)
print("params", json.dumps({**p, "features": ag.FEATURES}))
with open(Path(tempfile.gettempdir()) / "newstrace-stories-alt-pred.jsonl", "w") as fo:
    for d, l in zip(docs, pred):
        fo.write(json.dumps({"doc": d, "story": int(l)}) + "\n")
