"""The Dask engine: read, clean and annotate partitions on a dask.distributed cluster.

Partitions (:mod:`newstrace.engine.partitions`) go to the workers with
``Client.submit``, one task each, a few per worker in flight (partitions are
planned lazily: a compressed dump is decompressed only as fast as workers
take it); results come back as they finish (``as_completed``, which takes
the next submissions too) and are put in input order on the client
(:func:`newstrace.engine.work.assemble`), which then groups the stories.

The stories' analysis runs on the workers too (:func:`task_map`, the
pipeline's ``WorkMap``): reuse pair checks in chunks of candidate pairs and
each story's facts are one task each, their work items scattered straight to
the workers; the client generates the candidates, explains links away, merges
stories and collects results in order.

Without a scheduler address a ``LocalCluster`` is started for the run: one
single-threaded worker *process* per core (spaCy and onnxruntime are CPU-bound
and hold the GIL for long stretches, so threads would not run in parallel),
no dashboard, only errors logged, and closed when the run ends. A
``WorkerPlugin`` loads the models once per worker when it starts, not per task.
"""

from __future__ import annotations

import itertools
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from newstrace.engine.partitions import iter_partitions, partition_budget
from newstrace.engine.work import (
    PartitionResult,
    Prepared,
    assemble,
    prepare_partition,
    warm_models,
)
from newstrace.errors import SchedulerError

Progress = Callable[[str, int, int], None]
PLUGIN_NAME = "newstrace-models"
IN_FLIGHT_PER_WORKER = 4


def _model_plugin(reuse: bool, nlp: bool = True, facts: bool = True):
    from distributed.diagnostics.plugin import WorkerPlugin

    class ModelLoader(WorkerPlugin):
        """Loads spaCy and the embedding model when a worker starts (once per process)."""

        def __init__(self, reuse: bool, nlp: bool, facts: bool):
            self.reuse = reuse
            self.nlp = nlp
            self.facts = facts

        def setup(self, worker) -> None:
            warm_models(self.reuse, self.nlp, self.facts)

    return ModelLoader(reuse, nlp, facts)


def local_workers() -> int:
    """One worker process per available core."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


@contextmanager
def dask_client(scheduler: str | None = None, workers: int | None = None) -> Iterator:
    """A client on ``scheduler``, or on a LocalCluster started (and closed) here."""
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="5s")
        except (OSError, TimeoutError) as exc:
            raise SchedulerError(
                f"cannot reach the Dask scheduler at {scheduler}: {' '.join(str(exc).split())[:200]}"
            ) from exc
        with client:
            yield client
        return
    cluster = LocalCluster(
        n_workers=workers or local_workers(),
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    )
    with cluster, Client(cluster) as client:
        yield client


def task_map(client) -> Callable[[Callable, Iterable], list]:
    """A ``map`` on the cluster: each item a task (``function(item)``), the results in item order.

    Items are scattered to the workers (not embedded in the task graph, which
    goes through the scheduler; not hashed: their content decides nothing
    here), a few per worker at a time as earlier tasks finish, and each item
    and result is let go on the cluster as soon as the result is here, so the
    cluster never holds all the work at once (reuse chunks carry their
    documents' sentence embeddings). A task that raises raises here, as
    ``map`` would.
    """
    from distributed import as_completed

    def run(function: Callable, items: Iterable) -> list:
        todo = list(items)
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        results: list = [None] * len(todo)
        inputs: dict[str, Any] = {}  # task key: its scattered item
        position: dict[str, int] = {}

        def submit(n: int):
            [item] = client.scatter([todo[n]], hash=False)
            future = client.submit(function, item, pure=False)
            inputs[future.key], position[future.key] = item, n
            return future

        pending = iter(range(len(todo)))
        running = as_completed(
            [submit(n) for n in itertools.islice(pending, IN_FLIGHT_PER_WORKER * workers)]
        )
        try:
            for future in running:
                following = next(pending, None)
                if following is not None:
                    running.add(submit(following))
                results[position[future.key]] = future.result()
                future.release()
                inputs.pop(future.key).release()
        finally:
            client.cancel(list(inputs.values()))  # what is left after a failure
        return results

    return run


def prepare_on_dask(
    inputs: Iterable[str | Path],
    client,
    *,
    reuse: bool = True,
    progress: Progress | None = None,
    partition_bytes: int | None = None,
    nlp: bool = True,
    facts: bool = True,
) -> Prepared:
    """Read, clean and annotate ``inputs`` partition by partition on ``client``'s workers.

    ``nlp=False`` reads and cleans only (the stages then run their NLP on the client).
    """
    from distributed import as_completed

    progress = progress or (lambda stage, done, total: None)
    inputs = [inputs] if isinstance(inputs, (str, Path)) else list(inputs)
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    budget = partition_bytes or partition_budget(inputs, workers)
    partitions = iter_partitions(inputs, budget)
    client.register_plugin(_model_plugin(reuse, nlp, facts), name=PLUGIN_NAME)

    def submit(partition):
        return client.submit(
            prepare_partition, partition, reuse=reuse, nlp=nlp, facts=facts, pure=False
        )

    running = as_completed(
        [submit(p) for p in itertools.islice(partitions, IN_FLIGHT_PER_WORKER * workers)]
    )
    results: list[PartitionResult] = []
    documents = 0
    progress("read", 0, 0)
    for future in running:
        following = next(partitions, None)
        if following is not None:
            running.add(submit(following))
        result = future.result()
        results.append(result)
        documents += sum(
            1 for _, items in result.entries for item in items if not hasattr(item, "error")
        )
        progress("read", documents, 0)
        future.release()
    progress("read", documents, documents)
    progress("clean", documents, documents)
    return assemble(results)
