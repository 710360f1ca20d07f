"""BASIL dev (``../shared/dev/basil``) as newstrace documents, and the gold event of each.

Shared by the scripts that group it: ``score_stream.py`` (a dated stream) and
``score_doubt.py`` (the possible-separate-event note).
"""

from __future__ import annotations

import json

from ecb_data import SHARED

from newstrace.model import Document

BASIL = SHARED / "dev" / "basil"


def _lines(name: str) -> list[dict]:
    text = (BASIL / name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def basil_documents(dated: bool, time_order: bool = False) -> tuple[list[Document], dict[str, str]]:
    """The articles (in file order, or by publication time) and each one's gold event by id.

    ``dated=False`` drops ``published``, to see whether same-topic events part
    on content alone.
    """
    gold = {r["doc"].split("#", 1)[1]: r["story"] for r in _lines("gold.jsonl")}
    records = _lines("corpus.jsonl")
    if time_order:
        records.sort(key=lambda r: (r.get("published") or "", r["id"]))
    docs = [
        Document(
            id=r["id"],
            origin=f"corpus.jsonl#{r['id']}",
            text=r["text"],
            title=r.get("title"),
            source=r.get("source"),
            url=r.get("url"),
            published=r.get("published") if dated else None,
        )
        for r in records
    ]
    return docs, gold


def basil_figures(model) -> dict[str, float]:
    """B-cubed F1 of ``model`` (a ``PairModel``) on BASIL dev: batch and incremental
    (in publication-time order), dated and undated, from cached features.

    The quick check of a candidate pair model on the second data set
    (``train_story_model.py --basil``); ``score_stream.py`` times the shipped one.
    """
    from ecb_data import bcubed_f1, cached_features

    from newstrace.stories.grouping import group_features
    from newstrace.stories.incremental import StoryIndex

    figures = {}
    for dated in (True, False):
        docs, gold = basil_documents(dated, time_order=True)
        raw = cached_features(docs)
        stories = [gold[doc.id] for doc in docs]
        name = "dated" if dated else "undated"
        figures[f"batch {name}"] = bcubed_f1(group_features(raw, model).labels, stories)
        index = StoryIndex(model=model)
        stream = [index.add_features(doc, raw.rows([n])).story for n, doc in enumerate(docs)]
        figures[f"incremental {name}"] = bcubed_f1(stream, stories)
    return figures
