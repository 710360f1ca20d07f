"""Throughput of fact comparison against spaCy's own ``nlp.pipe`` on the same texts.

Facts need a full parse (tagger, parser, NER), so spaCy's ``nlp.pipe`` over
the same article texts is the floor: the ratio below is the cost of our
rules, line-up and verdicts on top of the parse (1.0 = free).

Articles: the ECB+ dev set, cycled to ``--limit`` (default 1,000), grouped into
their gold stories. Both runs use the same loaded pipeline and batch size.

    python benchmarks/bench_facts.py [--limit N]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

from newstrace.facts import compare_facts
from newstrace.facts.extract import BATCH_SIZE
from newstrace.model import Document, Story
from newstrace.nlp import spacy_nlp

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "dev" / "ecb"


def load(limit: int) -> tuple[list[Document], list[Story]]:
    gold = [
        json.loads(line)
        for line in (CORPUS / "gold.jsonl").read_text().splitlines()
        if line.strip()
    ]
    documents: list[Document] = []
    members: dict[str, list[str]] = {}
    round_no = 0
    while len(documents) < limit:
        for row in gold:
            if len(documents) >= limit:
                break
            doc_id = f"{row['doc']}~{round_no}"
            documents.append(
                Document(
                    id=doc_id,
                    origin=row["doc"],
                    text=(CORPUS / row["doc"]).read_text(encoding="utf-8"),
                )
            )
            members.setdefault(f"{row['story']}~{round_no}", []).append(doc_id)
        round_no += 1
    stories = [Story(id=key, title=key, documents=ids) for key, ids in members.items()]
    return documents, stories


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=1000)
    args = parser.parse_args(argv)
    documents, stories = load(args.limit)
    nlp = spacy_nlp(parser=True)
    nlp("warm up")

    started = time.perf_counter()
    for _ in nlp.pipe((d.text for d in documents), batch_size=BATCH_SIZE):
        pass
    spacy_seconds = time.perf_counter() - started

    started = time.perf_counter()
    compare_facts(documents, stories)
    facts_seconds = time.perf_counter() - started

    n = len(documents)
    facts = sum(len(s.facts) for s in stories)
    flagged = sum(f.verdict in ("altered", "conflict") for s in stories for f in s.facts)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, CPU only, Python {platform.python_version()}"
    )
    print(
        f"articles: {n} in {len(stories)} stories, {sum(len(d.text) for d in documents):,} characters"
    )
    print(
        f"spaCy nlp.pipe (en_core_web_sm, full pipeline): {spacy_seconds:.1f} s = {n / spacy_seconds:.1f} docs/s"
    )
    print(
        f"newstrace compare_facts: {facts_seconds:.1f} s = {n / facts_seconds:.1f} docs/s ({facts} facts, {flagged} flagged)"
    )
    print(f"ratio (facts docs/s ÷ spaCy docs/s): {spacy_seconds / facts_seconds:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
