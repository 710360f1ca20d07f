"""The ``newstrace`` command (Typer + rich).

Exit status: 0 when at least one document was analysed, 1 when none (or, with
``--strict``, when any input was skipped), 2 for a usage error. A user's
mistake is one line on stderr, never a traceback.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer
from rich.console import Console

from newstrace import __version__
from newstrace.errors import NewstraceError

if TYPE_CHECKING:
    from newstrace.model import Report

app = typer.Typer(
    name="newstrace",
    help="Group news articles into stories, trace who copied whom, and compare their facts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        print(f"newstrace {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """newstrace: stories, reuse and facts across news articles."""
    _log_to_stderr()


class _WarningLine(logging.Handler):
    """newstrace's log warnings as ``warning: ...`` lines on stderr (control characters escaped)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            _warn(f"warning: {record.getMessage()}")
        except Exception:  # a log line must never stop a run
            self.handleError(record)


def _log_to_stderr() -> None:
    logger = logging.getLogger("newstrace")
    if not any(isinstance(h, _WarningLine) for h in logger.handlers):
        logger.addHandler(_WarningLine(logging.WARNING))  # found first: Python's last-resort
        # handler stays silent; propagation is kept for anyone who configures logging


class _Engine(StrEnum):
    local = "local"
    dask = "dask"


_ENGINE_HELP = (
    "local: this process; dask: read, clean and NLP partition by partition on a Dask cluster."
)
_SCHEDULER_HELP = (
    "Dask scheduler address (tcp://host:8786); without it --engine dask starts a local cluster."
)


_Inputs = Annotated[
    list[str],
    typer.Argument(help="Files, directories, or - for standard input.", show_default=False),
]
"""The inputs every reading command takes."""

_Jobs = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        min=1,
        help="Processes for the per-document NLP (local engine); 1 runs it in this process. "
        "Default: $NEWSTRACE_JOBS, else every available core (small batches stay in one process).",
        show_default=False,
    ),
]
"""The process limit of the commands that run the pipeline locally."""


@app.command()
def analyze(
    inputs: _Inputs,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write the JSON report (newstrace.report/1) here.")
    ] = None,
    html_out: Annotated[
        Path | None, typer.Option("--html", help="Write the HTML report here.")
    ] = None,
    markdown_out: Annotated[
        Path | None, typer.Option("--markdown", help="Write the report as Markdown here.")
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 if any input was skipped.")
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q", help="No progress, no summary: only errors and skipped inputs."
        ),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            "-v",
            help="Keep a line per finished step on a terminal; a log line every second otherwise.",
        ),
    ] = False,
    engine: Annotated[_Engine, typer.Option("--engine", help=_ENGINE_HELP)] = _Engine.local,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help=_SCHEDULER_HELP)] = None,
    jobs: _Jobs = None,
) -> None:
    """Analyse articles: clean, group into stories, trace reuse, compare facts."""
    from newstrace.engine.local import jobs_limit
    from newstrace.pipeline import analyze as run_analysis
    from newstrace.progress import Display
    from newstrace.report import print_summary
    from newstrace.report.html import write_html

    display = Display(err, quiet=quiet, verbose=verbose)
    with _user_errors(), display, jobs_limit(jobs):
        report = run_analysis(inputs, progress=display, engine=engine.value, scheduler=scheduler)
    if json_out:
        _write_with(json_out, report.write_json)
    if html_out:
        _write_with(html_out, partial(write_html, report))
    if markdown_out:
        from newstrace.report.markdown import write_markdown

        _write_with(markdown_out, partial(write_markdown, report))
    if not quiet and report.documents:
        print_summary(_summary_copy(report), Console())
    for skip in report.skipped if quiet or not report.documents else []:
        _warn(f"skipped {skip.origin}: {skip.error}")
    if not report.documents:
        err.print("[red]error:[/] no article could be read from the inputs", highlight=False)
        raise typer.Exit(1)
    if strict and report.skipped:
        raise typer.Exit(1)


@app.command()
def story(
    story_id: Annotated[
        str, typer.Argument(help="The story id, as in the report (e.g. s1).", show_default=False)
    ],
    report_json: Annotated[
        Path | None, typer.Option("--report", "-r", help="A report written by analyze --json.")
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="text, markdown or json.")
    ] = "text",
    db: Annotated[
        str | None,
        typer.Option("--db", help="Read the story from this store instead (see ingest)."),
    ] = None,
) -> None:
    """Print one story's dossier: articles, who copied whom, facts by verdict."""
    from rich.markup import escape

    from newstrace.report.load import load_report
    from newstrace.report.terminal import STORY_FORMATS, show_story

    if output_format not in STORY_FORMATS:
        err.print(
            f"[red]error:[/] --format must be one of {', '.join(STORY_FORMATS)}, not {escape(repr(output_format))}",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(2)
    if (report_json is None) == (db is None):
        err.print(
            "error: give either --report REPORT.json or --db STORE", highlight=False, markup=False
        )
        raise typer.Exit(2)
    with _user_errors():
        if db is not None:
            from newstrace.store import Corpus

            with Corpus(db, create=False) as corpus:
                report = corpus.story_report(story_id)
                if corpus.stale_note:
                    _warn(f"warning: {corpus.stale_note}")
        else:
            assert report_json is not None  # exactly one of the two, checked above
            report = load_report(report_json)
        if output_format != "json":  # JSON escapes control characters itself
            from newstrace.ingest.names import terminal_copy

            report = terminal_copy(report)
        show_story(report, story_id, output_format, Console())


@app.command()
def clean(
    input: Annotated[
        str,
        typer.Argument(help="One HTML or text file, or - for standard input.", show_default=False),
    ],
) -> None:
    """Print the cleaned article body of one input."""
    from newstrace.clean import clean_documents
    from newstrace.ingest import read_inputs
    from newstrace.model import Skipped

    items = list(read_inputs([input]))
    documents = [d for d in items if not isinstance(d, Skipped)]
    for skip in (d for d in items if isinstance(d, Skipped)):
        _warn(f"error: {skip.origin}: {skip.error}")
    if not documents:
        raise typer.Exit(1)
    from newstrace.ingest.names import for_terminal

    for doc in clean_documents(documents):
        sys.stdout.write(for_terminal(doc.text.rstrip("\n"), keep_newlines=True) + "\n")


@app.command()
def serve(
    report_json: Annotated[
        Path | None, typer.Argument(help="A report written by analyze --json.", show_default=False)
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Serve a stored corpus instead: a SQLAlchemy URL or a SQLite file path.",
            show_default=False,
        ),
    ] = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")
    ] = 8000,
) -> None:
    """Browse a report, or a stored corpus (--db), in a local web app: search, story dossiers, side-by-side comparisons."""
    from newstrace.report.load import load_report
    from newstrace.web import is_loopback, run_server

    refreshed = None
    if (report_json is None) == (db is None):
        err.print(
            "error: serve takes a report file or --db, one of the two",
            highlight=False,
            markup=False,
        )
        raise typer.Exit(1)
    with _user_errors():
        if db is None:
            assert report_json is not None  # exactly one of the two, checked above
            report, served = load_report(report_json), str(report_json)
        else:
            from newstrace.store import Corpus

            with Corpus(db, create=False) as corpus:  # served as stored: no analysis first
                report, served = corpus.export_report(refresh=False), "the stored corpus"
                if corpus.stale_note and not corpus.read_only:
                    refreshed = partial(_refreshed_report, db)
                    _warn(
                        f"warning: {corpus.stale_note.split(':')[0]}; analysing them in the "
                        "background, their pages show reuse and facts once it is done"
                    )
                elif corpus.stale_note:
                    _warn(f"warning: {corpus.stale_note}")
    if not is_loopback(host):
        err.print(
            f"warning: listening on {host}: anyone who can reach this address can read the report",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    shown = f"[{host}]" if ":" in host else host
    err.print(
        f"newstrace: serving {served} on http://{shown}:{port}/ (Ctrl+C to stop)",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
    if refreshed is None:
        run_server(report, host, port)
    else:
        run_server(report, host, port, refreshed=refreshed, done=lambda m: _warn(f"newstrace: {m}"))


@app.command()
def reuse(
    inputs: _Inputs,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write the corpus-wide reuse view (JSON) here.")
    ] = None,
    jobs: _Jobs = None,
) -> None:
    """Who copies whom across a corpus: each origin's copies, and how much each outlet reuses."""
    import json

    from newstrace.engine.local import jobs_limit
    from newstrace.pipeline import analyze as run_analysis
    from newstrace.progress import Display
    from newstrace.reuse.corpus import print_reuse, reuse_view

    with _user_errors(), Display(err) as display, jobs_limit(jobs):
        report = run_analysis(inputs, facts=False, progress=display)
    for skip in report.skipped:
        _warn(f"skipped {skip.origin}: {skip.error}")
    if not report.documents:
        err.print("error: no article could be read from the inputs", highlight=False, markup=False)
        raise typer.Exit(1)
    view = reuse_view(report)
    if json_out:
        _write(json_out, json.dumps(view, ensure_ascii=False, indent=2))
    from newstrace.ingest.names import terminal_copy

    print_reuse(terminal_copy(view), Console())


_DB_HELP = "The store: a SQLAlchemy URL or a SQLite file path (default: newstrace.db here)."


@app.command()
def ingest(
    inputs: _Inputs,
    db: Annotated[str | None, typer.Option("--db", help=_DB_HELP)] = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Articles per transaction.")
    ] = 64,
    defer_analysis: Annotated[
        bool,
        typer.Option(
            "--defer-analysis",
            help="Leave reuse and facts of the touched stories to the next export or story.",
        ),
    ] = False,
    engine: Annotated[_Engine, typer.Option("--engine", help=_ENGINE_HELP)] = _Engine.local,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help=_SCHEDULER_HELP)] = None,
) -> None:
    """Add articles to a stored corpus: new ones join its stories or open new ones; repeats add nothing.

    Reuse and facts are then updated in the stories the new articles joined."""
    from newstrace.store import Corpus

    with _user_errors():
        prepared = None
        if engine is _Engine.dask:
            from newstrace.engine import prepared_documents

            prepared = prepared_documents(inputs, engine="dask", scheduler=scheduler)
        with Corpus(db) as corpus:
            result = corpus.ingest(
                inputs, batch_size=batch_size, analyse=not defer_analysis, prepared=prepared
            )
    for skip in result.skipped:
        _warn(f"skipped {skip.origin}: {skip.error}")
    if not result.added and not result.already_stored:
        err.print("error: no article could be read from the inputs", highlight=False, markup=False)
        raise typer.Exit(1)
    print(
        f"added {result.added} article(s), {result.already_stored} already stored, "
        f"{result.new_stories} new story(ies)"
    )


@app.command()
def stories(db: Annotated[str | None, typer.Option("--db", help=_DB_HELP)] = None) -> None:
    """List the stored corpus's stories: id, title, article count, date range."""
    from rich.table import Table

    from newstrace.ingest.names import pictured
    from newstrace.store import Corpus

    with _user_errors(), Corpus(db, create=False) as corpus:
        rows = corpus.stories()
    table = Table("id", "title", "articles", "dates")
    for row in rows:
        first, last = (row["first_published"] or "")[:10], (row["last_published"] or "")[:10]
        table.add_row(
            row["id"],
            pictured(row["title"]),
            str(row["articles"]),
            first if first == last else f"{first} – {last}",
        )
    Console().print(table)


@app.command()
def refresh(
    db: Annotated[str | None, typer.Option("--db", help=_DB_HELP)] = None,
    retry_failed: Annotated[
        bool,
        typer.Option(
            "--retry-failed",
            help="Analyse again the articles and stories whose analysis failed before.",
        ),
    ] = False,
) -> None:
    """Bring the store's reuse and facts up to date (after ingest --defer-analysis, or to retry failures)."""
    from newstrace.store import Corpus

    with _user_errors(), Corpus(db, create=False) as corpus:
        if corpus.read_only:
            _warn(
                f"error: {db or 'newstrace.db'}: the store is read-only here; refresh needs write access"
            )
            raise typer.Exit(1)
        retried = corpus.retry_failed() if retry_failed else 0
        analysed = corpus.refresh()
        failures = corpus.failures()
    for failed in failures:
        _warn(f"analysis failed for {failed.origin}: {failed.error}")
    print(
        f"analysed {analysed} story(ies)"
        + (f", {retried} earlier failure(s) retried" if retry_failed else "")
        + (f"; {len(failures)} failure(s) recorded" if failures else "")
    )


@app.command()
def export(
    json_out: Annotated[
        Path,
        typer.Option(
            "--json", help="Write the stored corpus as a JSON report (newstrace.report/1) here."
        ),
    ],
    db: Annotated[str | None, typer.Option("--db", help=_DB_HELP)] = None,
) -> None:
    """Write the stored corpus as a report, with each story's stored reuse and facts (brought up to date first)."""
    from newstrace.store import Corpus

    with _user_errors(), Corpus(db, create=False) as corpus:
        report = corpus.export_report()
        if corpus.stale_note:
            _warn(f"warning: {corpus.stale_note}")
    _write_with(json_out, report.write_json)


@contextmanager
def _user_errors() -> Iterator[None]:
    """A user's mistake (a :class:`NewstraceError`) becomes one plain line on stderr and exit status 1."""
    try:
        yield
    except NewstraceError as exc:
        _warn(f"error: {exc}")
        raise typer.Exit(1) from None


def _refreshed_report(db: str):
    """The stored corpus, its stale stories analysed first (serve's background analysis)."""
    from newstrace.store import Corpus

    with Corpus(db, create=False) as corpus:
        return corpus.export_report()


def _warn(message: str) -> None:
    """One plain line on stderr, control characters shown escaped."""
    from newstrace.ingest.names import for_terminal

    err.print(for_terminal(message), highlight=False, markup=False, soft_wrap=True)


def _summary_copy(report: Report) -> Report:
    """What the summary prints, made safe for a terminal: the report without the articles' text.

    ``terminal_copy`` copies every string it meets; the summary prints no
    article text, so the texts (most of a report) are left out rather than
    copied once more at the end of a run.
    """
    from dataclasses import replace

    from newstrace.ingest.names import terminal_copy
    from newstrace.model import Report

    documents = [replace(doc, text="", removed=[]) for doc in report.documents]
    return terminal_copy(Report(documents, report.skipped, report.stories))


def _write(path: Path, content: str) -> None:
    _write_with(path, lambda out: out.write(content))


def _write_with(path: Path, write: Callable[[TextIO], object]) -> None:
    """Open ``path`` and let ``write`` write to it piece by piece (a report is never one string).

    An error exits with a one-line message, as for any output file.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as out:
            write(out)
    except (OSError, UnicodeError) as exc:
        from newstrace.ingest.names import shown_name

        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        _warn(f"error: cannot write {shown_name(str(path))}: {reason}")
        raise typer.Exit(1) from None


def main() -> None:
    app()


if __name__ == "__main__":
    main()
