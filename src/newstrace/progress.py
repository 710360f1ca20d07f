"""Progress from inside the stages, through one interface.

A stage reports work as it goes with :func:`track` (wrap the loop over
documents, stories or batches) or :func:`report`; neither knows who listens.
Whoever runs the pipeline installs a listener with :func:`reporting`: the
command installs a :class:`Display` (rich bars with rate and ETA on a
terminal, timestamped stage lines on stderr otherwise), a library caller any
``progress(stage, done, total)`` function, and nothing at all costs nothing.

Stage names are ``"stage"`` or ``"stage: step"`` (``"reuse: sentences"``), so
a long stage shows which of its steps is running.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any, TextIO, TypeVar

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``, called as work advances; ``total`` is 0
while unknown, and every stage ends with ``done == total``."""

T = TypeVar("T")

_listener: ContextVar[Progress | None] = ContextVar("newstrace_progress", default=None)
_stage: ContextVar[str] = ContextVar("newstrace_stage", default="")


@contextmanager
def reporting(progress: Progress | None) -> Iterator[None]:
    """Send the stages' progress to ``progress`` inside this block."""
    token = _listener.set(progress)
    try:
        yield
    finally:
        _listener.reset(token)


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Name the stage running inside this block: a step ``"entities"`` reports as ``"group: entities"``."""
    token = _stage.set(name)
    try:
        yield
    finally:
        _stage.reset(token)


def _name(step: str) -> str:
    outer = _stage.get()
    return f"{outer}: {step}" if outer and outer != step else step


def report(step: str, done: int, total: int) -> None:
    """Tell the listener, if any, that ``step`` has done ``done`` of ``total``."""
    listener = _listener.get()
    if listener is not None:
        listener(_name(step), done, total)


def track(items: Iterable[T], step: str, total: int | None = None) -> Iterator[T]:
    """Yield ``items``, reporting ``step`` after each one and once at the start and end.

    ``total`` defaults to ``len(items)`` when it has one; an item counts as
    done when the loop asks for the next, so the figure is work finished.
    """
    listener = _listener.get()
    if listener is None:
        yield from items
        return
    if total is None:
        total = len(items) if hasattr(items, "__len__") else 0  # type: ignore[arg-type]
    name = _name(step)
    listener(name, 0, total)
    done = 0
    for item in items:
        yield item
        done += 1
        listener(name, done, max(total, done) if total else 0)
    listener(name, done, done)


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class _Stage:
    def __init__(self, now: float):
        self.started = now
        self.last_line = 0.0
        self.done = 0
        self.total = 0
        self.finished = False

    def line(self, name: str, now: float) -> str:
        elapsed = now - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        if self.finished:
            return f"{name} done: {self.done} in {_clock(elapsed)} ({rate:.1f}/s)"
        if self.total:
            pct = 100 * self.done / self.total
            eta = (self.total - self.done) / rate if rate > 0 else None
            shown = f"{self.done}/{self.total} ({pct:.0f}%)"
            tail = f", {rate:.1f}/s, eta {_clock(eta)}" if eta is not None and self.done else ""
            return f"{name} {shown}{tail}"
        return f"{name} {self.done}" + (f", {rate:.1f}/s" if self.done else "")


class LogLines:
    """Timestamped stage lines for a log: a stage's start, every ``every`` seconds, its end.

    :meth:`tick` (called by a timer while the run lasts) writes the running
    stage's line when the stage itself has not reported for ``every`` seconds,
    so a log shows the run is alive even inside one long batch.
    """

    def __init__(self, stream: TextIO, every: float = 5.0):
        self.stream = stream
        self.every = every
        self.stages: dict[str, _Stage] = {}
        self.current = ""
        self.lock = threading.Lock()

    def tick(self) -> None:
        with self.lock:
            state = self.stages.get(self.current)
            now = time.monotonic()
            if state is not None and not state.finished and now - state.last_line >= self.every:
                state.last_line = now
                self._write(state.line(self.current, now))

    def __call__(self, stage: str, done: int, total: int) -> None:
        with self.lock:
            self.current = stage
            self._report(stage, done, total)

    def _report(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        state = self.stages.get(stage)
        if state is None:
            state = self.stages[stage] = _Stage(now)
            state.done, state.total = done, total
            self._write(f"{stage} started" + (f": {total} to do" if total else ""))
            state.last_line = now
            if not (total and done >= total):
                return
        if state.finished and done == 0:  # the same step runs again
            del self.stages[stage]
            self._report(stage, done, total)
            return
        if state.finished:
            return
        state.done, state.total = done, total
        if total and done >= total:
            state.finished = True
            self._write(state.line(stage, now))
        elif now - state.last_line >= self.every:
            state.last_line = now
            self._write(state.line(stage, now))

    def _write(self, text: str) -> None:
        self.stream.write(f"{datetime.now():%H:%M:%S} {text}\n")
        self.stream.flush()


class Display:
    """The command's progress: rich bars on a terminal, stage lines otherwise, or nothing.

    Use as a context manager around the run and pass it as the ``progress``
    listener. ``verbose`` keeps a line per finished step on a terminal and
    writes a log line every second instead of every five.
    """

    def __init__(self, console, *, quiet: bool = False, verbose: bool = False):
        self.console = console
        self.quiet = quiet
        self.verbose = verbose
        self.terminal = bool(console.is_terminal)
        self._bar = None
        self._tasks: dict[str, Any] = {}
        self._lines: LogLines | None = None
        self._stop = threading.Event()
        self._beat: threading.Thread | None = None
        if quiet:
            return
        if self.terminal:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TaskProgressColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._bar = Progress(
                TextColumn("{task.description:<18}"),
                BarColumn(bar_width=30),
                MofNCompleteColumn(),
                TaskProgressColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeElapsedColumn(),
                TextColumn("eta"),
                TimeRemainingColumn(),
                console=console,
                transient=not verbose,
                refresh_per_second=8,
            )
        else:
            self._lines = LogLines(console.file, every=1.0 if verbose else 5.0)

    def __enter__(self) -> Display:
        if self._bar is not None:
            self._bar.start()
        if self._lines is not None:
            lines = self._lines
            self._stop.clear()

            def beat() -> None:
                while not self._stop.wait(lines.every / 2):
                    lines.tick()

            self._beat = threading.Thread(target=beat, name="newstrace-progress", daemon=True)
            self._beat.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
        if self._beat is not None:
            self._stop.set()
            self._beat.join()
            self._beat = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self._lines is not None:
            self._lines(stage, done, total)
        elif self._bar is not None:
            self._update_bar(stage, done, total)

    def _update_bar(self, stage: str, done: int, total: int) -> None:
        bar = self._bar
        assert bar is not None
        if stage not in self._tasks:
            self._tasks[stage] = bar.add_task(stage, total=total or None, rate="")
        task_id = self._tasks[stage]
        task = bar.tasks[[t.id for t in bar.tasks].index(task_id)]
        if task.finished and done == 0:  # the same step runs again
            bar.reset(task_id, total=total or None, rate="")
        elif task.finished:
            return
        elapsed = task.elapsed or 0.0
        rate = f"{done / elapsed:.1f}/s" if elapsed > 0.5 and done else ""
        bar.update(task_id, completed=done, total=total or None, rate=rate)
        if total and done >= total:
            bar.stop_task(task_id)
