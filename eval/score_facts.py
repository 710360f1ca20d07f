"""Score fact verdicts on derived copies with recorded alterations.

Makes copies with ``make_fact_copies`` (or reads them from ``--copies``),
puts each copy and its origin in one story with a directed ReuseLink
(copy → origin), runs ``compare_facts`` and prints:

* recall: share of recorded alterations that a flag (``altered`` or
  ``conflict``) points at — a statement of the copy whose span covers it;
* precision: share of flags that point at a recorded alteration;
* harmless unflagged: share of harmless-only copies with no flag at all.

    python eval/score_facts.py [--limit N] [--seed S] [--copies FILE.jsonl] [--show K]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_fact_copies import DEFAULT_CORPUS, generate

from newstrace.facts import compare_facts
from newstrace.model import Document, ReuseLink, Story

FLAGS = {"altered", "conflict"}


def _hits(alteration: dict, fact) -> bool:
    """A flag points at an alteration when a statement of the copy covers it: a
    changed speaker too must lie inside the quote statement's span (the statement
    shows the quotation with the name it is given to)."""
    start, end = alteration["span"]
    start, end = start - 1, max(end, start + 1) + 1  # a deletion has an empty span
    return any("~" in s.doc and s.span[0] < end and start < s.span[1] for s in fact.statements)


def score(items: list[dict], show: int = 0) -> dict:
    documents, stories = [], []
    origins_seen: set[str] = set()
    for n, item in enumerate(items):
        origin_id = item["origin_id"]
        if origin_id not in origins_seen:
            documents.append(
                Document(
                    id=origin_id,
                    origin=origin_id,
                    text=item["origin"],
                    published=item.get("published"),
                )
            )
        documents.append(
            Document(
                id=item["copy_id"],
                origin=item["copy_id"],
                text=item["copy"],
                published=item.get("published"),
            )
        )
        origins_seen.add(item["origin_id"])
        link = ReuseLink(
            derived=item["copy_id"], origin=origin_id, directed=True, kind="rewrite", score=0.9
        )
        stories.append(
            Story(
                id=f"s{n}",
                title=item["copy_id"],
                documents=[origin_id, item["copy_id"]],
                reuse=[link],
            )
        )
    started = time.perf_counter()
    compare_facts(documents, stories)
    elapsed = time.perf_counter() - started
    found = Counter()
    total = Counter()
    true_flags = false_flags = 0
    harmless = harmless_clean = 0
    misses, false_examples = [], []
    for item, story in zip(items, stories):
        flags = [f for f in story.facts if f.verdict in FLAGS]
        for alteration in item["alterations"]:
            total[alteration["kind"]] += 1
            if any(_hits(alteration, f) for f in flags):
                found[alteration["kind"]] += 1
            else:
                misses.append((item["copy_id"], alteration))
        for fact in flags:
            if any(_hits(a, fact) for a in item["alterations"]):
                true_flags += 1
            else:
                false_flags += 1
                false_examples.append((item["copy_id"], fact.kind, fact.explanation))
        if not item["alterations"]:
            harmless += 1
            harmless_clean += not flags
    recall = sum(found.values()) / max(1, sum(total.values()))
    precision = true_flags / max(1, true_flags + false_flags)
    result = {
        "articles": len(origins_seen),
        "copies": len(items),
        "alterations": sum(total.values()),
        "recall": round(recall, 3),
        "precision": round(precision, 3),
        "harmless_unflagged": round(harmless_clean / max(1, harmless), 3),
        "recall_by_kind": {k: f"{found[k]}/{total[k]}" for k in sorted(total)},
        "flags": true_flags + false_flags,
        "seconds": round(elapsed, 1),
    }
    if show:
        result["missed"] = [
            f"{c}: {a['kind']} {a['before']!r}→{a['after']!r}" for c, a in misses[:show]
        ]
        result["false_flags"] = [f"{c}: {k}: {e}" for c, k, e in false_examples[:show]]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument(
        "--copies", type=Path, default=None, help="copies made earlier by make_fact_copies.py"
    )
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show", type=int, default=0, help="print up to K misses and false flags")
    args = parser.parse_args(argv)
    if args.copies:
        items = [
            json.loads(line)
            for line in args.copies.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
    else:
        items = generate(args.corpus, args.limit, args.seed)
    print(json.dumps(score(items, args.show), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
