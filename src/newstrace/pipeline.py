"""The pipeline: ingest → clean → stories → reuse → facts, as one call.

Each stage is a plain function over a batch of documents and knows nothing of
the CLI or of output formats; this module only strings them together. Reading
and cleaning (and, with the Dask engine, the per-document NLP and story
features) run on an engine (:mod:`newstrace.engine`); grouping, linking and
comparing then run here on the documents in input order.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from newstrace.engine import prepared_documents
from newstrace.facts import compare_facts
from newstrace.model import Document, Report, Skipped
from newstrace.nlp.parse import parse
from newstrace.progress import Progress, reporting, stage
from newstrace.reuse import trace_reuse
from newstrace.stories import group_stories

__all__ = ["Progress", "analyze"]


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def analyze(
    inputs: Iterable[str | Path],
    *,
    reuse: bool = True,
    facts: bool = True,
    progress: Progress | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    client=None,
) -> Report:
    """Read, clean, group, trace and compare ``inputs``; return the report.

    ``inputs`` are paths (files or directories), URLs are not fetched; ``"-"``
    reads standard input. Inputs that cannot be read end up in
    ``Report.skipped`` with a reason; the rest go on. ``engine`` is "local"
    or "dask" (on ``client``, the cluster at ``scheduler``, or a LocalCluster);
    both give the same report.
    """
    with reporting(progress):
        return _analyze(inputs, reuse, facts, progress or _no_progress, engine, scheduler, client)


def _analyze(inputs, reuse, facts, progress, engine, scheduler, client) -> Report:
    prepared = prepared_documents(
        inputs,
        engine=engine,
        scheduler=scheduler,
        client=client,
        reuse=reuse,
        facts=facts,
        progress=progress,
    )
    skipped: list[Skipped] = list(prepared.skipped)
    kept: list[Document] = []
    for doc in prepared.documents:
        if doc.text.strip():
            kept.append(doc)
        else:
            skipped.append(Skipped(doc.origin, "no article text left after cleaning"))
    if facts:  # the one full spaCy pass per document: stories read its entities, facts its syntax
        with stage("parse"):
            parse(kept, packed=True)
    with stage("group"):
        stories = group_stories(kept, prepared.features)
    if reuse:
        with stage("reuse"):
            trace_reuse(kept, stories)
    if facts:
        with stage("facts"):
            compare_facts(kept, stories)
    return Report(documents=kept, skipped=skipped, stories=stories)
