"""Ingest+clean throughput against plain trafilatura, in one run on the same pages.

Pages come from ``eval/clean_pages.py``: ECB+ article text in five page
templates with realistic weight (scripts, styles, mega menus, link farms:
~60 KB of HTML per page) and furniture (navigation, teasers, comment threads,
share bars). Contenders, each on every page:

- ``trafilatura.extract`` with default settings (the peer), and with comments
  excluded (the setting newstrace uses);
- ``newstrace.clean_html`` on the same HTML strings (trafilatura + text cleaner);
- newstrace's whole read+clean path: ``ingest.read_inputs`` on the page files
  (kind detection, decoding, metadata and date via trafilatura/htmldate) and
  ``clean.clean_documents``.

Pages are processed in chunks and the contenders take turns on each chunk, so
a load spike from other processes hits all of them alike. Prints pages/s and
the ratio to plain trafilatura.

Usage: .venv/bin/python benchmarks/bench_clean.py [--articles N] [--templates K]
(default: 772 articles x 4 templates ≈ 3,000 pages, a few minutes on 2 cores)
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))

from clean_pages import TEMPLATES, generate_pages

from newstrace import clean_html
from newstrace.clean import clean_documents
from newstrace.ingest import read_inputs
from newstrace.model import Document

CHUNK = 100


def _trafilatura_default(paths: list[Path]) -> int:
    return sum(bool(trafilatura.extract(p.read_text(encoding="utf-8"))) for p in paths)


def _trafilatura_no_comments(paths: list[Path]) -> int:
    return sum(
        bool(trafilatura.extract(p.read_text(encoding="utf-8"), include_comments=False))
        for p in paths
    )


def _newstrace_clean_html(paths: list[Path]) -> int:
    return sum(bool(clean_html(p.read_text(encoding="utf-8"))) for p in paths)


def _newstrace_read_and_clean(paths: list[Path]) -> int:
    documents = [
        item for item in read_inputs([str(p) for p in paths]) if isinstance(item, Document)
    ]
    return sum(bool(doc.text) for doc in clean_documents(documents))


CONTENDERS = {
    "trafilatura.extract (default)": _trafilatura_default,
    "trafilatura.extract (no comments)": _trafilatura_no_comments,
    "newstrace.clean_html": _newstrace_clean_html,
    "newstrace read_inputs + clean_documents": _newstrace_read_and_clean,
}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--articles", type=int, default=None, help="ECB+ articles to use (default: all 772)"
    )
    parser.add_argument(
        "--templates", type=int, default=4, help="page templates per article (max 5)"
    )
    args = parser.parse_args()
    pages = generate_pages(args.articles, templates=list(TEMPLATES)[: args.templates])
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for n, page in enumerate(pages):
            path = Path(tmp) / f"page{n:05d}.html"
            path.write_text(page.html, encoding="utf-8")
            paths.append(path)
        seconds: Counter[str] = Counter()
        cpu_seconds: Counter[str] = Counter()
        with_text: Counter[str] = Counter()
        for start in range(0, len(paths), CHUNK):
            chunk = paths[start : start + CHUNK]
            for name, run in CONTENDERS.items():
                began, began_cpu = time.perf_counter(), time.process_time()
                with_text[name] += run(chunk)
                seconds[name] += time.perf_counter() - began
                cpu_seconds[name] += time.process_time() - began_cpu
    megabytes = sum(len(page.html.encode()) for page in pages) / 1e6
    print(
        f"{len(pages)} pages ({megabytes:.0f} MB of HTML), {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPU cores, CPU only, Python {platform.python_version()}, trafilatura {trafilatura.__version__}"
    )
    print(
        "pages/s by wall clock and by this process's CPU time (the machine is shared: CPU time is steadier)"
    )
    print(
        f"{'contender':42s} {'wall':>7s} {'x default':>9s} {'CPU':>7s} {'x default':>9s}  pages with text"
    )
    for name in CONTENDERS:
        wall, cpu = _rate(len(pages), seconds, name), _rate(len(pages), cpu_seconds, name)
        wall_peer = _rate(len(pages), seconds, "trafilatura.extract (default)")
        cpu_peer = _rate(len(pages), cpu_seconds, "trafilatura.extract (default)")
        print(
            f"{name:42s} {wall:7.1f} {wall / wall_peer:9.2f} {cpu:7.1f} {cpu / cpu_peer:9.2f}  "
            f"{with_text[name]}/{len(pages)}"
        )
    same = "trafilatura.extract (no comments)"
    print(
        f"newstrace.clean_html vs trafilatura.extract with the same settings (no comments): "
        f"{_rate(1, seconds, 'newstrace.clean_html') / _rate(1, seconds, same):.2f}x wall, "
        f"{_rate(1, cpu_seconds, 'newstrace.clean_html') / _rate(1, cpu_seconds, same):.2f}x CPU"
    )


def _rate(pages: int, seconds: Counter[str], name: str) -> float:
    return pages / seconds[name] if seconds[name] else float("inf")


if __name__ == "__main__":
    main()
