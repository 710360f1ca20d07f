"""The per-partition work, and putting the partitions back together in order.

A worker reads its partition, cleans the documents, and runs everything later
stages would otherwise compute document by document on the client: the NER
pass (``annotations.entities``), the reuse view with its sentence
embeddings and MinHash signature (``annotations.reuse``), the parse facts
are read from (packed bytes, see :func:`newstrace.facts.extract.parse`), and the story features
(:func:`newstrace.stories.features.extract`, one row per kept document). All
of these are computed one document at a time (hashing, and models whose
output for a text does not depend on the batch it came in), so a partition
gives exactly the rows the whole corpus would.

The client then numbers documents ``d1``, ``d2``, … in input order (as
:func:`newstrace.ingest.read_inputs` does), summarises JSON Lines files read
in ranges, and stacks the feature rows. ``raw`` (the pre-cleaning input, not
used after cleaning) is dropped on the worker so it does not travel back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from newstrace.clean import clean_documents
from newstrace.engine.partitions import Partition, RecordRange, read_entry, summarise_split_file
from newstrace.ingest.warc_ranges import WarcRange, summarise_warc
from newstrace.model import Document, Skipped
from newstrace.stories.features import RawFeatures


@dataclass
class PartitionResult:
    """What one partition gives back: per entry its documents and skips, and feature rows."""

    number: int
    entries: list[tuple[Any, list[Document | Skipped]]]  # per entry (see engine.partitions)
    features: RawFeatures | None


@dataclass
class Prepared:
    """Read and cleaned documents in input order, skips, and (when precomputed) story features.

    ``features`` has one row per document with text left after cleaning, in
    document order; None when the stages compute them themselves (local engine).
    """

    documents: list[Document] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    features: RawFeatures | None = None


def warm_models(reuse: bool = True, nlp: bool = True, facts: bool = True) -> None:
    """Load the code and models a partition needs, once per process."""
    import newstrace.ingest.readers  # noqa: F401 - trafilatura, htmldate, warcio: seconds to import

    if not nlp:
        return
    from newstrace.nlp import embed, spacy_nlp
    from newstrace.stories import features  # noqa: F401

    if facts or reuse:  # the one full parse gives entities and sentences too
        spacy_nlp(parser=True)
    else:  # stories alone: the NER pass
        spacy_nlp(parser=False)
    if reuse:
        embed(["warm up"])


def prepare_partition(
    partition: Partition, reuse: bool = True, nlp: bool = True, facts: bool = True
) -> PartitionResult:
    """Read, clean and annotate one partition (runs on a worker); ``nlp=False``: read and clean only."""
    entries = [(entry, read_entry(entry)) for entry in partition.entries]
    documents = [item for _, items in entries for item in items if isinstance(item, Document)]
    for n, doc in enumerate(documents, 1):
        doc.id = (
            f"p{partition.number}.{n}"  # provisional: the client numbers documents in input order
        )
    documents, failed = clean_each(documents)
    for doc in documents:
        doc.raw = None
    kept = [doc for doc in documents if doc.text.strip()]
    features = None
    if kept and nlp:
        kept, features, not_analysed = annotate_each(kept, reuse, facts, jobs=1)
        failed.update(not_analysed)
    if failed:  # each failed document is a skip in its place
        entries = [
            (entry, [failed.get(id(item), item) for item in items]) for entry, items in entries
        ]
    return PartitionResult(partition.number, entries, features)


def failure_reason(stage: str, exc: BaseException) -> str:
    """One line: the stage that failed, the error's type and the first line of its message."""
    message = (str(exc).strip().splitlines() or [""])[0][:300]
    return f"{stage} failed: {type(exc).__name__}" + (f": {message}" if message else "")


def failure(doc: Document, stage: str, exc: BaseException) -> Skipped:
    """The skip for a document that ``stage`` failed on: its origin and the reason."""
    return Skipped(doc.origin, failure_reason(stage, exc))


def features_each(
    extract: Callable[[list[Document]], RawFeatures], documents: list[Document]
) -> tuple[list[Document], RawFeatures | None, dict[int, Skipped]]:
    """``extract`` (story features, or the whole per-document NLP) over ``documents``; if the
    batch fails, one by one, skipping those that fail (keyed by ``id(document)``)."""
    try:
        return documents, extract(documents) if documents else None, {}
    except Exception:  # find the document(s) at fault; the others go on
        pass
    kept, rows, failed = [], [], {}
    for doc in documents:
        try:
            rows.append(extract([doc]))
        except Exception as exc:
            failed[id(doc)] = failure(doc, "analysis", exc)
        else:
            kept.append(doc)
    return kept, _stack(rows), failed


def clean_each(
    documents: list[Document], progress: Callable[[int, int], None] | None = None
) -> tuple[list[Document], dict[int, Skipped]]:
    """Clean each document and cut a too-long text (:func:`bound_length`).

    A document the cleaner fails on is not returned: it is in the failures,
    keyed by ``id(document)``, as a skip naming it; the others go on.
    """
    from newstrace.ingest.names import plain
    from newstrace.nlp.pipeline import bound_length

    cleaned: list[Document] = []
    failed: dict[int, Skipped] = {}
    for n, doc in enumerate(documents, 1):
        try:
            clean_documents([doc])
            bound_length([doc])
            doc.title = plain(doc.title)  # a headline the cleaner took from the body
        except Exception as exc:  # one document's failure must not stop the batch
            failed[id(doc)] = failure(doc, "cleaning", exc)
        else:
            cleaned.append(doc)
        if progress:
            progress(n, len(documents))
    return cleaned, failed


def annotate_each(
    kept: list[Document],
    reuse: bool,
    facts: bool = True,
    packed: bool = True,
    jobs: int | None = None,
) -> tuple[list[Document], RawFeatures | None, dict[int, Skipped]]:
    """:func:`annotate` the batch; if it fails, document by document, skipping the ones that fail.

    Returns the analysed documents, their feature rows and the failures
    (keyed by ``id(document)``). Each document's results do not depend on the
    batch it came in, so the rows are the same either way, and the batch can
    run in several processes (:func:`newstrace.engine.local.pool_size`:
    ``jobs``, else ``--jobs``/``$NEWSTRACE_JOBS``, else every core), which then
    return copies of the documents.
    """
    from newstrace.engine.local import annotate_in_pool, pool_size

    workers = pool_size(len(kept), jobs)
    if workers > 1:
        return annotate_in_pool(kept, reuse, facts, packed, workers)
    return features_each(lambda batch: annotate(batch, reuse, facts, packed), kept)


def annotate(
    kept: list[Document], reuse: bool, facts: bool = True, packed: bool = True
) -> RawFeatures:
    """Entities, reuse views with embeddings (when ``reuse``), parses for facts
    (when ``facts``, packed) and story features of ``kept``.

    The entities are read by the feature rows and, after grouping, by its doubt
    pass; so once the rows exist each document's entities are packed into what
    that pass reads of them (``annotations.story_profile``) and dropped: they
    never travel from a worker to the main process (docs/engine.md, "Growth").
    """
    from newstrace.nlp import document_entities
    from newstrace.stories.doubt import packed_profile
    from newstrace.stories.features import extract

    if reuse:
        from newstrace.reuse.text import ensure_embeddings, ensure_signatures, reuse_view
    if facts or reuse:  # the one full spaCy pass: entities, sentences for reuse, syntax for facts
        from newstrace.facts.extract import parse

        # each reuse view takes its sentences as the document's parse completes, before packing
        parse(kept, packed=packed, then=reuse_view if reuse else None)
    document_entities(kept)
    if reuse:
        views = [reuse_view(doc) for doc in kept]
        ensure_embeddings(views)
        ensure_signatures(views)
    rows = extract(kept)
    for doc in kept:
        notes = doc.annotations
        notes.story_profile, notes.entities = packed_profile(doc, notes.entities or []), None
    return rows


def assemble(results: list[PartitionResult]) -> Prepared:
    """Documents numbered in input order, skips in reading order, feature rows stacked."""
    prepared = Prepared()
    split_file: list[Document | Skipped] = []
    for result in sorted(results, key=lambda r: r.number):
        for entry, items in result.entries:
            if isinstance(entry, (RecordRange, WarcRange)):
                split_file.extend(items)
                if not entry.last_of_file:
                    continue
                summarise = (
                    summarise_split_file if isinstance(entry, RecordRange) else summarise_warc
                )
                items, split_file = summarise(entry.origin, split_file), []
            for item in items:
                if isinstance(item, Document):
                    _number(item, len(prepared.documents) + 1)
                    prepared.documents.append(item)
                else:
                    prepared.skipped.append(item)
    prepared.features = _stack(
        [r.features for r in sorted(results, key=lambda r: r.number) if r.features is not None]
    )
    return prepared


def _number(doc: Document, number: int) -> None:
    doc.id = f"d{number}"
    view = doc.annotations.reuse
    if view is not None:
        view.doc_id = doc.id


def _stack(parts: list[RawFeatures]) -> RawFeatures | None:
    return RawFeatures.stack(parts) if parts else None
