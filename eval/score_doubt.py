"""How often the "possible separate event" note (``stories.doubt``) is right.

    .venv/bin/python eval/score_doubt.py [--grid] [--basil-only]

Groups ECB+ dev held-out (leave-topics-out: each fold's model trained on the
other topics, ``train_story_model.cross_validate``; three topic splits) and
BASIL dev with the shipped model (trained on ECB+ only, so BASIL is unseen),
with and without publication dates. A member of a predicted story is
**wrong** when its gold story is not the story's majority gold story (ties:
the gold story of its earliest member). For each grouping it prints how many
members of stories of three or more are wrong, how many are flagged, and of
those how many are wrong (precision) and how many wrong members are flagged
(recall). Groupings are cached in ``$TMPDIR/newstrace-doubt-groupings-<key>.json``,
the key a digest of the grouping code and its data files (``stories/*.py``,
``*.json``), so a changed model or time curve is grouped afresh.
``--grid`` prints the side rule's flags (wrong/flagged) over a grid of its
two thresholds (tune on ECB+ only; BASIL is the second set). ``--kinds`` measures, on ECB+ gold, how
often a fact of each kind that half of a story's articles name is also named
by the topic's other event (``doubt.KIND_WEIGHTS``).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from basil_data import basil_documents
from ecb_data import _cached_entities, dev_set, load_documents, load_gold, topic_folds

import newstrace.stories
from newstrace.model import Document
from newstrace.nlp import document_entities
from newstrace.stories import doubt
from newstrace.stories.grouping import build_stories, group_features


def _grouping_code_key() -> str:
    """A digest of the grouping code and data, so the cache follows the shipped model."""
    package = Path(newstrace.stories.__file__).parent
    digest = hashlib.sha256()
    for path in sorted([*package.glob("*.py"), *package.glob("*.json")]):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


CACHE = Path(tempfile.gettempdir()) / f"newstrace-doubt-groupings-{_grouping_code_key()}.json"
ECB_SPLITS = ((5, None), (4, None), (6, None))


def groupings() -> dict[str, dict]:
    """Predicted labels and scored pairs per grouping (cached): ECB+ held-out splits, BASIL dated and undated."""
    if CACHE.exists():
        return json.loads(CACHE.read_text())
    from train_story_model import fit

    from newstrace.stories.features import extract

    result: dict[str, dict] = {}
    gold, _documents, raw, stories = dev_set()
    topics = np.array([r["topic"] for r in gold])
    for folds, seed in ECB_SPLITS:
        labels = np.empty(len(gold), dtype=object)
        pairs, probabilities = [], []
        for fold, test in enumerate(topic_folds(gold, folds, seed)):
            train = np.setdiff1d(np.arange(len(gold)), test)
            model = fit(raw.rows(train), stories[train], topics[train])
            grouping = group_features(raw.rows(test), model)
            labels[test] = [f"{fold}-{label}" for label in grouping.labels]
            pairs.append(test[grouping.pairs])
            probabilities.append(grouping.probabilities)
        result[f"ecb {folds} folds{'' if seed is None else f', shuffle {seed}'}"] = {
            "labels": [str(x) for x in labels],
            "gold": stories.tolist(),
            "pairs": np.concatenate(pairs).tolist(),
            "probabilities": np.concatenate(probabilities).tolist(),
        }
        print(f"grouped ECB+ split {folds}/{seed}", flush=True)
    for dated in (True, False):
        docs, gold = basil_documents(dated)
        gold_stories = [gold[d.id] for d in docs]
        grouping = group_features(extract(docs))
        result[f"basil {'dated' if dated else 'undated'}"] = {
            "labels": [str(x) for x in grouping.labels],
            "gold": gold_stories,
            "pairs": grouping.pairs.tolist(),
            "probabilities": grouping.probabilities.tolist(),
        }
    CACHE.write_text(json.dumps(result))
    return result


def profiles(name: str) -> tuple[list[Document], list[doubt.Profile]]:
    if name.startswith("ecb"):
        docs = load_documents(load_gold())
        _cached_entities(docs)
    else:
        docs, _ = basil_documents(dated="undated" not in name)
    return docs, [doubt.profile(d, f) for d, f in zip(docs, document_entities(docs))]


def wrong_members(labels: list[str], gold: list[str]) -> tuple[set[int], int]:
    """Members of predicted stories of 3+ whose gold story is not the story's majority; and how many members."""
    members: dict[str, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        members[label].append(i)
    wrong, total = set(), 0
    for indices in members.values():
        if len(indices) < doubt.MIN_STORY:
            continue
        total += len(indices)
        counts = Counter(gold[i] for i in indices)
        top = max(counts.values())
        main = next(gold[i] for i in indices if counts[gold[i]] == top)
        wrong.update(i for i in indices if gold[i] != main)
    return wrong, total


def score(docs, profs, grouping: dict, **params) -> dict:
    labels, gold = grouping["labels"], grouping["gold"]
    docs = _numbered(docs)
    stories = build_stories(docs, _codes(labels), np.zeros(len(docs)))
    pairs = np.array(grouping["pairs"], dtype=np.int64).reshape(-1, 2)
    probabilities = np.array(grouping["probabilities"])
    found = doubt.story_doubts(
        docs, stories, profiles=profs, pairs=pairs, probabilities=probabilities, **params
    )
    flagged = {int(d.document) for d in found}
    sides = {int(d.document) for d in found if d.scores}
    wrong, total = wrong_members(labels, gold)
    hit = len(flagged & wrong)
    return {
        "members": total,
        "wrong": len(wrong),
        "flagged": len(flagged),
        "flagged_wrong": hit,
        "flagged_right": len(flagged) - hit,
        "precision": round(hit / len(flagged), 3) if flagged else None,
        "recall": round(hit / len(wrong), 3) if wrong else None,
        "side_rule": f"{len(sides & wrong)}/{len(sides)}",
        "member_rule": f"{len(flagged - sides & wrong)}/{len(flagged - sides)}",
    }


def _codes(labels: list[str]) -> np.ndarray:
    codes: dict[str, int] = {}
    return np.array([codes.setdefault(label, len(codes)) for label in labels])


def _numbered(docs: list[Document]) -> list[Document]:
    """Documents renamed by position, so flags map back to indices."""
    for n, doc in enumerate(docs):
        doc.id = str(n)
    return docs


def kinds() -> None:
    """Per entity kind: facts at least half of a gold story (3+ articles) names, and how many
    of them the topic's other event names too (in at least a quarter of its articles)."""
    gold = load_gold()
    docs = load_documents(gold)
    _cached_entities(docs)
    kind_of = []
    for doc, found in zip(docs, document_entities(docs)):
        keys: dict[str, str] = {}
        for start, end, label in found:
            surface = " ".join(doc.text[start:end].split())
            for key in doubt._keys(surface, label, None):
                keys.setdefault(key, label if key.startswith("name:") else key.split(":")[0])
        kind_of.append(keys)
    members: dict[tuple, list[int]] = defaultdict(list)
    for i, record in enumerate(gold):
        members[record["topic"], record["story"]].append(i)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (topic, story), indices in members.items():
        sibling = [j for (t, s), js in members.items() if t == topic and s != story for j in js]
        if len(indices) < 3 or not sibling:
            continue
        named = Counter(key for i in indices for key in kind_of[i])
        named_there = Counter(key for j in sibling for key in kind_of[j])
        for key, count in named.items():
            if count >= 0.5 * len(indices):
                kind = next(kind_of[i][key] for i in indices if key in kind_of[i])
                counts[kind][named_there[key] >= 0.25 * len(sibling)] += 1
    for kind, (own, shared) in sorted(counts.items(), key=lambda item: -sum(item[1])):
        print(
            f"{kind:12} {own + shared:4} facts, {own:4} not named by the other event, "
            f"{shared:4} named; log-odds {np.log((own + 1) / (shared + 1)):.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--grid", action="store_true")
    parser.add_argument(
        "--examples", type=int, default=0, help="print N flagged notes per grouping"
    )
    parser.add_argument("--kinds", action="store_true", help="measure KIND_WEIGHTS on ECB+ gold")
    args = parser.parse_args()
    if args.kinds:
        kinds()
        return
    found = groupings()
    data = {name: profiles(name) for name in ("ecb", "basil dated", "basil undated")}
    for name, grouping in found.items():
        docs, profs = data["ecb" if name.startswith("ecb") else name]
        result = score(docs, profs, grouping)
        print(f"{name}: {json.dumps(result)}")
        if args.examples:
            wrong, _ = wrong_members(grouping["labels"], grouping["gold"])
            for doc in docs:
                if doc.story_doubt and args.examples:
                    tag = "WRONG" if int(doc.id) in wrong else "right"
                    print(f"   {tag} {doc.story_doubt}")
    if args.grid:
        grid = itertools.product((0.5, 0.55, 0.6, 0.65, 0.7), (0.0, 1.0, 2.0, 3.0))
        for ratio, weight in grid:
            rows = []
            for name, grouping in found.items():
                docs, profs = data["ecb" if name.startswith("ecb") else name]
                r = score(docs, profs, grouping, side_ratio=ratio, side_weight=weight)
                rows.append(r["side_rule"])
            print(f"side ratio {ratio} weight {weight}: " + "  ".join(rows))


if __name__ == "__main__":
    main()
