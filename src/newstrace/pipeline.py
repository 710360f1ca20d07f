"""The pipeline: ingest → clean → stories → reuse → facts, as one call.

Each stage is a plain function over a batch of documents and knows nothing of
the CLI or of output formats; this module only strings them together. Reading
and cleaning (and, with the Dask engine, the per-document NLP and story
features) run on an engine (:mod:`newstrace.engine`); grouping then runs here
on the documents in input order.

The analysis of grouped stories (reuse pair checks in chunks, facts story by
story) is independent work items run by a :data:`WorkMap`: a plain callable
``(function, items) -> results in order``. The builtin ``map`` runs them in
this process; the Dask engine passes one that runs each item as a task on
the cluster (:func:`newstrace.engine.dask_engine.task_map`), so the client
only merges. Any other executor with that shape (a process pool) fits the same
seam; the items and results are picklable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from newstrace.engine import prepared_documents
from newstrace.engine.memory import release_freed_memory
from newstrace.engine.work import Prepared, annotate_each, failure_reason
from newstrace.errors import SpillError
from newstrace.facts import compare_facts
from newstrace.facts.extract import parse
from newstrace.model import Document, Report, Skipped, Story
from newstrace.progress import Progress, reporting, stage
from newstrace.reuse import trace_reuse
from newstrace.stories import group_stories
from newstrace.stories.features import RawFeatures

__all__ = ["Progress", "WorkMap", "analyze"]

WorkMap = Callable[[Callable[[Any], Any], Iterable[Any]], Iterable[Any]]
"""Runs ``function`` over picklable work items and gives the results in item order (``map``)."""


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
    reads standard input. Inputs that cannot be read, and documents the
    cleaning or the per-document NLP fails on, end up in ``Report.skipped``
    with a reason; the rest go on. A text over
    :data:`newstrace.nlp.pipeline.MAX_TEXT_CHARS` is cut, the rest recorded
    as removed. ``engine`` is "local"
    or "dask" (on ``client``, the cluster at ``scheduler``, or a LocalCluster);
    both give the same report.
    """
    with reporting(progress), _engine_client(engine, scheduler, client, reuse, facts) as session:
        return _analyze(inputs, reuse, facts, progress or _no_progress, engine, scheduler, session)


@contextmanager
def _engine_client(
    engine: str, scheduler: str | None, client, reuse: bool = True, facts: bool = True
) -> Iterator[Any]:
    """What the whole run uses: the Dask client (opened here, and closed after, if none is
    given), or the local engine's run with its worker pool (:func:`newstrace.engine.local.local_run`)."""
    if engine == "local":
        from newstrace.engine.local import local_run

        with local_run(reuse, facts) as run:
            yield run
        return
    if engine != "dask" or client is not None:
        yield client
        return
    from newstrace._extras import require_extra

    require_extra("dask", "--engine dask", "dask", "distributed")
    from newstrace.engine.dask_engine import dask_client

    with dask_client(scheduler) as own:
        yield own


def _work_map(engine: str, session) -> WorkMap:
    """Where the stories' analysis runs: the local pool's workers if the NLP ran there,
    else here (``map``); or as tasks on the Dask cluster (``session`` is the client)."""
    if engine == "local" and session is not None:
        return session.work_map()
    if engine != "dask":
        return map
    from newstrace.engine.dask_engine import task_map

    return task_map(session)


def _analyze(inputs, reuse, facts, progress, engine, scheduler, session) -> Report:
    """The run; ``session`` is the Dask client, or the local engine's run (its worker pool)."""
    prepared = prepared_documents(
        inputs,
        engine=engine,
        scheduler=scheduler,
        client=session if engine == "dask" else None,
        reuse=reuse,
        facts=facts,
        progress=progress,
    )
    kept, skipped, features = _kept(prepared)
    del prepared  # the NLP's worker processes return copies: one copy of each text, not two
    if features is None and kept:  # local engine: the per-document NLP, document by document
        with stage("nlp"):
            kept, features, failed = annotate_each(kept, reuse, facts)
        skipped.extend(failed.values())
    if engine == "local" and session is not None:
        session.spill(kept)  # what the pool's workers did not already send to the spill file
    with stage("group"):
        stories = group_stories(kept, features)
    del features  # the feature rows are read by grouping only
    _drop(kept, "entities", "story_profile")  # so are the entities' profiles (the report has none)
    work_map = _work_map(engine, session)
    if reuse:
        with stage("reuse"):
            _story_by_story(_reuse_only, "reuse", kept, stories, skipped, work_map)
    _drop(kept, "reuse", "reuse_digest")
    if facts:
        with stage("facts"):
            _story_by_story(_facts_only, "facts", kept, stories, skipped, work_map)
    _drop(kept, "parse", "spilled_parse")
    return Report(documents=kept, skipped=skipped, stories=stories)


def _kept(prepared: Prepared) -> tuple[list[Document], list[Skipped], RawFeatures | None]:
    """The documents with text left after cleaning, the skips, the feature rows if precomputed.

    ``raw`` is dropped here: cleaning was its last reader, and kept it would be
    a second copy of every text until the report is written.
    """
    skipped: list[Skipped] = list(prepared.skipped)
    kept: list[Document] = []
    for doc in prepared.documents:
        doc.raw = None
        if doc.text.strip():
            kept.append(doc)
        else:
            skipped.append(Skipped(doc.origin, "no article text left after cleaning"))
    return kept, skipped, prepared.features


def _drop(documents: list[Document], *slots: str) -> None:
    """Free an annotation slot once the last stage that reads it is done.

    The entities are read by grouping only (facts read theirs off the
    parse; the NLP leaves grouping's doubt pass their packed profile, see
    :func:`newstrace.engine.work.annotate`), the reuse views (sentence vectors, MinHash, word tables) by
    reuse only, the packed parses by facts only, and the report reads none
    of them; held to the end they were most of what grows with the corpus
    (docs/engine.md, "Growth"). On the local engine the views and parses
    are in the run's spill file by then (:mod:`newstrace.engine.spill`):
    what is freed is their digests and handles. The pages they held go back
    to the system (:func:`newstrace.engine.memory.release_freed_memory`).
    """
    for doc in documents:
        for slot in slots:
            setattr(doc.annotations, slot, None)
    release_freed_memory()


def analyse_stories(
    documents: list[Document],
    stories: list[Story],
    *,
    reuse: bool = True,
    facts: bool = True,
    merge_linked: bool = True,
    keep_parses: bool = False,
    work_map: WorkMap = map,
) -> None:
    """Reuse, then facts, over stories already grouped; both fill the stories in place.

    The one analysis that ``analyze`` and the store run. ``merge_linked``: a
    reuse link that joins two stories merges them (a batch, where a copy
    reports its origin's event); a store keeps its stored stories apart and
    traces each alone. ``keep_parses`` leaves each document's parse on it (a
    store saves them, so a later analysis does not parse again). ``work_map``
    runs the reuse pair checks (chunks of candidate pairs) and the facts of
    each story (see :data:`WorkMap`); candidates, explaining links away and
    merging stay here.
    """
    if reuse:
        if merge_linked:
            trace_reuse(documents, stories, work_map)
        else:
            members: dict[str, list[Document]] = {}
            for doc in documents:
                members.setdefault(doc.story or "", []).append(doc)
            for story in stories:
                trace_reuse(members.get(story.id, []), [story], work_map)
    if facts:
        if keep_parses:
            parse(documents)  # only the documents not parsed yet
        compare_facts(documents, stories, work_map)


def _reuse_only(documents: list[Document], stories: list[Story], work_map: WorkMap) -> None:
    analyse_stories(documents, stories, facts=False, work_map=work_map)


def _facts_only(documents: list[Document], stories: list[Story], work_map: WorkMap) -> None:
    analyse_stories(documents, stories, reuse=False, work_map=work_map)


def _story_by_story(
    run: Callable[[list[Document], list[Story], WorkMap], None],
    what: str,
    kept: list[Document],
    stories: list[Story],
    skipped: list[Skipped],
    work_map: WorkMap,
) -> None:
    """``run`` (reuse or facts) on all stories; if it fails, story by story, so one story cannot stop the run.

    A story the stage still fails on keeps its documents but gets no ``what``
    (reuse or facts); each of its documents is named among the skips with the reason.
    A spill file that cannot be written (:class:`SpillError`, reuse's frequency
    tables) is no story's fault: it stops the run with its coded message.
    """
    try:
        run(kept, stories, work_map)
        return
    except SpillError:  # the disk, not a story: the run stops with the coded error
        raise
    except Exception:  # find the story at fault; the others go on
        pass
    by_id = {doc.id: doc for doc in kept}
    for story in stories:
        members = [by_id[d] for d in story.documents if d in by_id]
        try:
            run(members, [story], work_map)
        except SpillError:
            raise
        except Exception as exc:
            setattr(story, what, [])
            reason = failure_reason(what, exc)
            skipped.extend(
                Skipped(doc.origin, f"{reason} (story {story.id} is shown without {what})")
                for doc in members
            )
