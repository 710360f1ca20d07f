"""Story grouping measured on a real, dated, multi-outlet stream: batch and incremental side by side.

    .venv/bin/python eval/score_stream.py [--data basil] [--dates both|published|none] [--json OUT]

For each data set, with and without the articles' ``published`` field:

- **batch**: ``group_stories`` over all articles at once;
- **incremental**: ``StoryIndex().add`` one article at a time, in
  publication-time order (ties by id; the same order without dates, so the
  two runs differ only in what the grouping may see);

each run in a fresh process (so its peak memory is its own), timed from
plain text (NER, lead embedding, grouping) after a two-article warm-up that
loads the models. Printed: B-cubed and pairwise precision, recall and F1 (and
ARI) from ``shared/dev/score_clusters.py``, articles per second, the
process's peak RSS and its RSS after warm-up (the models alone).

Data sets: ``basil`` — BASIL dev (Fan et al., EMNLP 2019; the 2010-2014
half): 150 articles, 50 events, one Fox News, New York Times and HuffPost
article each, dated. The held-out 2015-2019 half is not read.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from basil_data import basil_documents
from ecb_data import SCORER

from newstrace.model import Document


def _scorer():
    spec = importlib.util.spec_from_file_location("score_clusters", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def basil(dated: bool) -> tuple[list[Document], dict[str, str]]:
    """BASIL dev in publication-time order, and the gold event of each article."""
    return basil_documents(dated, time_order=True)


DATA = {"basil": basil}


def warm_up(docs: list[Document]) -> None:
    """Load newstrace's models (spaCy, the embedding) on two copies, so timing starts warm."""
    from newstrace.stories import group_stories

    group_stories(
        [Document(id=f"warm{n}", origin="warm", text=d.text) for n, d in enumerate(docs[:2])]
    )


def group_batch(docs: list[Document]) -> None:
    """``group_stories`` over all articles at once (sets ``doc.story``)."""
    from newstrace.stories import group_stories

    group_stories(docs)


def group_incremental(docs: list[Document]) -> None:
    """``StoryIndex().add`` one article at a time, in the given order (sets ``doc.story``)."""
    from newstrace.stories import StoryIndex

    index = StoryIndex()
    for doc in docs:
        index.add([doc])


GROUPINGS = {"batch": group_batch, "incremental": group_incremental}


def run_one(
    docs: list[Document],
    group: Callable[[list[Document]], None],
    warm: Callable[[list[Document]], None] | None = warm_up,
) -> dict:
    """Group ``docs`` one way in this process: labels, seconds, memory.

    ``warm`` runs first (untimed); the RSS after it is what the models alone take.
    """
    if warm is not None:
        warm(docs)
    warm_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    group(docs)
    seconds = time.perf_counter() - start
    return {
        "labels": {doc.id: doc.story for doc in docs},
        "seconds": seconds,
        "articles": len(docs),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "warm_rss_mb": warm_rss,
    }


def figures(gold: dict[str, str], labels: dict[str, str | None]) -> dict:
    """B-cubed and pairwise P/R/F1, ARI and counts (``score_clusters.py``), rounded."""
    scorer = _scorer()
    pred, _, _ = scorer.complete(gold, labels)
    return {
        k: round(v, 4) if isinstance(v, float) else v for k, v in scorer.scores(gold, pred).items()
    }


def measure(
    data: str,
    load: Callable[[bool], tuple[list[Document], dict[str, str]]],
    child: Callable[[str, bool], list[str]],
    dates: str = "both",
    modes: tuple[str, ...] = ("batch", "incremental"),
) -> list[dict]:
    """Each mode, dated and undated, each in a fresh process (``child(mode, dated)`` is its
    command line, which prints ``run_one``'s JSON last); one figures row per run."""
    rows = []
    for dated in {"both": (True, False), "published": (True,), "none": (False,)}[dates]:
        _, gold = load(dated)
        for mode in modes:
            out = subprocess.run(
                child(mode, dated), capture_output=True, text=True, check=True
            ).stdout
            result = json.loads(out.strip().splitlines()[-1])
            rows.append(
                {
                    "data": data,
                    "dates": "published" if dated else "none",
                    "mode": mode,
                    **figures(gold, result.pop("labels")),
                    "articles_per_s": round(result["articles"] / result["seconds"], 2),
                    "peak_rss_mb": round(result["peak_rss_mb"]),
                    "warm_rss_mb": round(result["warm_rss_mb"]),
                }
            )
            print(_line(rows[-1]), flush=True)
    return rows


def _child(data: str) -> Callable[[str, bool], list[str]]:
    def command(mode: str, dated: bool) -> list[str]:
        return [sys.executable, __file__, "--one", data, mode, "dated" if dated else "undated"]

    return command


def _line(row: dict) -> str:
    return (
        f"{row['data']:6} dates={row['dates']:9} {row['mode']:11} "
        f"B3 P {row['bcubed_p']:.3f} R {row['bcubed_r']:.3f} F1 {row['bcubed_f1']:.3f} | "
        f"pairwise P {row['pairwise_p']:.3f} R {row['pairwise_r']:.3f} F1 {row['pairwise_f1']:.3f} | "
        f"ARI {row['ari']:.3f} | stories {row['pred_clusters']} (gold {row['gold_clusters']}) | "
        f"{row['articles_per_s']:.1f} articles/s | peak RSS {row['peak_rss_mb']} MB "
        f"(after warm-up {row['warm_rss_mb']} MB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", choices=sorted(DATA), action="append")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument(
        "--dates", choices=("both", "published", "none"), default="both", help="which runs"
    )
    parser.add_argument("--one", nargs=3, metavar=("DATA", "MODE", "DATES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        data, mode, dates = args.one
        docs, _ = DATA[data](dates == "dated")
        print(json.dumps(run_one(docs, GROUPINGS[mode])))
        return
    rows = [
        row
        for data in args.data or sorted(DATA)
        for row in measure(data, DATA[data], _child(data), args.dates)
    ]
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
