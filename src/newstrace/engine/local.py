"""The local engine: read and clean in this process, one document after another.

A document the cleaner fails on becomes a skip naming it; a too-long text is
cut (:func:`newstrace.nlp.pipeline.bound_length`).

Later stages compute entities, embeddings and story features themselves, on
the whole batch, so :class:`Prepared.features` stays None.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from newstrace.engine.work import Prepared, clean_each
from newstrace.ingest import read_inputs
from newstrace.model import Skipped

Progress = Callable[[str, int, int], None]


def prepare_local(inputs: Iterable[str | Path], progress: Progress) -> Prepared:
    """Read and clean ``inputs`` in this process."""
    prepared = Prepared()
    for item in read_inputs(inputs):
        if isinstance(item, Skipped):
            prepared.skipped.append(item)
        else:
            prepared.documents.append(item)
        progress("read", len(prepared.documents), 0)
    progress("read", len(prepared.documents), len(prepared.documents))
    prepared.documents, failed = clean_each(
        prepared.documents, progress=lambda d, t: progress("clean", d, t)
    )
    prepared.skipped.extend(failed.values())
    return prepared
