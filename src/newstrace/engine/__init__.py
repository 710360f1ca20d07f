"""Engines: where reading, cleaning and per-document NLP run.

``local`` reads and cleans in this process and runs the per-document NLP
in a process pool on every core (``--jobs``, :mod:`newstrace.engine.local`);
``dask`` runs reading, cleaning, NER, sentence embeddings, the parse facts
are read from, and story features partition by partition on a dask.distributed cluster (see
:mod:`newstrace.engine.dask_engine`). Grouping then runs on the client over
the documents in input order; the reuse pair checks and each story's facts
run as tasks on the cluster through the pipeline's ``WorkMap``
(:func:`newstrace.engine.dask_engine.task_map`), so both engines give the
same report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from newstrace._extras import require_extra
from newstrace.engine.work import Prepared
from newstrace.errors import EngineChoiceError

ENGINES = ("local", "dask")

Progress = Callable[[str, int, int], None]


def prepared_documents(
    inputs: Iterable[str | Path],
    *,
    engine: str = "local",
    scheduler: str | None = None,
    client=None,
    reuse: bool = True,
    facts: bool = True,
    progress: Progress | None = None,
    partition_bytes: int | None = None,
) -> Prepared:
    """Read and clean ``inputs`` with ``engine``: documents in input order, and skips.

    With ``engine="dask"``, ``client`` (a ``distributed.Client``) is used if
    given; otherwise one is opened on ``scheduler`` or on a LocalCluster, and
    closed before returning.
    """
    progress = progress or (lambda stage, done, total: None)
    if engine == "local" and scheduler:
        raise EngineChoiceError(f"a scheduler ({scheduler}) is used only with --engine dask")
    if engine == "local":
        from newstrace.engine.local import prepare_local

        return prepare_local(inputs, progress)
    if engine != "dask":
        raise ValueError(f"unknown engine {engine!r}: one of {', '.join(ENGINES)}")
    require_extra("dask", "--engine dask", "dask", "distributed")
    from newstrace.engine.dask_engine import dask_client, prepare_on_dask

    if client is not None:
        return prepare_on_dask(
            inputs,
            client,
            reuse=reuse,
            facts=facts,
            progress=progress,
            partition_bytes=partition_bytes,
        )
    with dask_client(scheduler) as own_client:
        return prepare_on_dask(
            inputs,
            own_client,
            reuse=reuse,
            facts=facts,
            progress=progress,
            partition_bytes=partition_bytes,
        )


__all__ = ["ENGINES", "Prepared", "prepared_documents"]
