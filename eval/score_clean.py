"""Score the cleaner on labelled data and print the figures.

(a) False removals on 772 clean ECB+ articles: every line there is article
    text, so every removal whose text is not kept elsewhere is a false removal.
(b) The seeds' page furniture: gold labels below, written by reading the five
    seeds line by line (an eval script may list them; the cleaner may not).
    Recall of furniture lines, preservation of article lines, right reason.
(c) Generated pages (eval/clean_pages.py: ECB+ article text in five page
    templates full of furniture): 4-gram token F1 of the body against the known
    article text, for newstrace.clean_html and for plain trafilatura settings.

Usage: .venv/bin/python eval/score_clean.py [--articles N]   (default 200 → 1000 pages)
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parent))

from clean_pages import ECB, generate_pages

from newstrace import clean_html
from newstrace.clean import clean_text

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

# Gold furniture of the seeds: the full line, or its opening words for long lines.
SEED_FURNITURE = {
    "Connect with us": "navigation prompt",
    "Hi, what are you looking for?": "navigation prompt",
    "International": "section label",
    "Written By": "byline box",
    "About Author": "byline box",
    "Click to comment": "comment form",
    "Leave a Reply": "comment form",
    "Your email address will not be published.": "comment form",
    "Latest Updates": "teaser list heading",
    "Entertainment": "section label",
    '" "': "stray punctuation",
    "0": "counter",
    "0 95": "counter",
    "Home World Live International Crisis": "breadcrumb",
    "For continuous updates and in-depth analysis, visit [your website link].": "template placeholder",
    "Note to Readers: As events unfold, staying informed is crucial.": "call to action",
    "An Italian aircraft carrier has docked at Karachi port": "teaser of unrelated article",
    "TikTok influencer Minahil Malik recently addressed": "teaser of unrelated article",
    "Elif Karaarslan, a 24-year-old Turkish football referee": "teaser of unrelated article",
    "Bakhtawar Bhutto Zardari, the eldest daughter": "teaser of unrelated article",
}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _gold_label(line: str) -> str | None:
    if line in SEED_FURNITURE:
        return SEED_FURNITURE[line]
    for start, label in SEED_FURNITURE.items():
        if len(start) > 12 and line.startswith(start):
            return label
    return None


def score_ecb() -> dict[str, float]:
    """False removals on clean ECB+ articles; prints them and returns the rate."""
    lines = removed = lost = docs_touched = 0
    reasons: Counter[str] = Counter()
    started = time.perf_counter()
    for path in sorted(ECB.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        raw_lines = _lines(raw)
        result = clean_text(raw)
        kept = set(_lines(result.text))
        lost_here = [r for r in result.removed if r.text.strip() not in kept]
        lines += len(raw_lines)
        removed += len(result.removed)
        lost += len(lost_here)
        docs_touched += bool(lost_here)
        reasons.update(r.reason for r in lost_here)
    elapsed = time.perf_counter() - started
    print("(a) clean ECB+ articles (every line is article text)")
    print(f"    lines {lines}, removed {removed}, removed and not kept elsewhere {lost}")
    print(
        f"    false-removal rate {lost / lines:.5f} ({lost} lines in {docs_touched} of 772 articles): {dict(reasons)}"
    )
    print(f"    text cleaner speed {len(list(ECB.glob('*.txt'))) / elapsed:.0f} articles/s")
    return {"false_removal_rate": lost / lines}


def score_seeds() -> dict[str, float]:
    """The seeds' furniture against the gold lines above; prints and returns recall and preservation."""
    furniture = found = right_reason = article = article_kept = 0
    for path in sorted(SEEDS.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        raw_lines = _lines(raw)
        result = clean_text(raw)
        kept_lines = _lines(result.text)
        kept = set(kept_lines)
        reasons = {r.text.strip(): r.reason for r in result.removed}
        headline = result.headline
        for line in raw_lines:
            label = _gold_label(line)
            if label is None and line == headline:
                continue  # the headline: checked below, kept exactly once
            if label is None:
                article += 1
                article_kept += line in kept
            else:
                furniture += 1
                found += line not in kept and line in reasons
                right_reason += reasons.get(line) == label
        assert headline is None or kept_lines.count(headline) == 1
    print("(b) seeds, gold line labels")
    print(
        f"    furniture lines removed {found}/{furniture} (recall {found / furniture:.3f}), "
        f"with the gold reason {right_reason}/{furniture}"
    )
    print(
        f"    article lines kept {article_kept}/{article} (preservation {article_kept / article:.3f}); "
        "headline kept once at the top in every seed"
    )
    return {"furniture_recall": found / furniture, "article_preservation": article_kept / article}


def _grams(text: str, n: int = 4) -> Counter:
    tokens = re.findall(r"\w+", text.lower())
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def f1_4gram(predicted: str, gold: str) -> float:
    """Token 4-gram F1 of an extracted body against the gold body."""
    pred, ref = _grams(predicted), _grams(gold)
    if not pred or not ref:
        return float(pred == ref)
    overlap = sum((pred & ref).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(pred.values()), overlap / sum(ref.values())
    return 2 * precision * recall / (precision + recall)


EXTRACTORS = {
    "trafilatura default": lambda html: trafilatura.extract(html) or "",
    "trafilatura no comments": lambda html: trafilatura.extract(html, include_comments=False) or "",
    "trafilatura no comments, favor_precision": lambda html: (
        trafilatura.extract(html, include_comments=False, favor_precision=True) or ""
    ),
    "trafilatura no comments, favor_recall": lambda html: (
        trafilatura.extract(html, include_comments=False, favor_recall=True) or ""
    ),
    "newstrace.clean_html": clean_html,
}


def score_pages(n_articles: int) -> dict[str, float]:
    """Body F1 of each extractor on generated pages; prints the table, returns each mean."""
    pages = generate_pages(n_articles)
    scores: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for page in pages:
        for name, extract in EXTRACTORS.items():
            scores[name][page.template].append(f1_4gram(extract(page.html), page.body))
    templates = sorted({page.template for page in pages})
    print(
        f"(c) generated pages: {len(pages)} ({n_articles} ECB+ articles x {len(templates)} templates), "
        "4-gram token F1 against the article body (headline excluded)"
    )
    means = {}
    print(f"    {'extractor':42s} {'mean F1':>8s}  " + "  ".join(f"{t:>10s}" for t in templates))
    for name in EXTRACTORS:
        all_scores = [s for per in scores[name].values() for s in per]
        per_template = "  ".join(
            f"{sum(scores[name][t]) / len(scores[name][t]):10.4f}" for t in templates
        )
        means[name] = sum(all_scores) / len(all_scores)
        print(f"    {name:42s} {means[name]:8.4f}  {per_template}")
    print("    (speed: benchmarks/bench_clean.py)")
    return means


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--articles", type=int, default=200, help="ECB+ articles to wrap in pages (x5 templates)"
    )
    args = parser.parse_args()
    score_ecb()
    score_seeds()
    score_pages(args.articles)


if __name__ == "__main__":
    main()
