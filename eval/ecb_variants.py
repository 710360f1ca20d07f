"""Thousands of distinct short articles from the 772 real ECB+ dev articles.

Each record is an ECB+ headline plus a 40-word window of its body under an
outlet tag; later rounds move the window and change the outlet, so every
record has its own content hash while its story stays that of its article.
The store's kill -9 test and its incremental benchmark both ingest these.
"""

from __future__ import annotations

import json
from pathlib import Path

ECB = Path(__file__).resolve().parents[2] / "shared" / "dev" / "ecb"
OUTLETS = (
    "Wire",
    "Herald",
    "Courier",
    "Gazette",
    "Tribune",
    "Post",
    "Times",
    "Chronicle",
    "Ledger",
    "Observer",
)


def ecb_variants(count: int, words: int = 40, per_article: int = 0) -> list[dict]:
    """``count`` JSON records: ECB+ articles in gold order, then again in later rounds.

    ``per_article`` > 0 orders them by article instead: that many variants of
    the first article, then of the second, and so on.
    """
    texts = []
    for line in (ECB / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        lines = [
            s.strip()
            for s in (ECB / json.loads(line)["doc"]).read_text(encoding="utf-8").splitlines()
            if s.strip()
        ]
        texts.append((lines[0], " ".join(lines[1:]).split()))
    records = []
    for n in range(count):
        if (
            per_article
        ):  # past the last article, start again with later rounds (new windows, new outlets)
            article, step = divmod(n, per_article)
            round_ = (article // len(texts)) * per_article + step
        else:
            article, round_ = n % len(texts), n // len(texts)
        title, body = texts[article % len(texts)]
        start = (round_ * 11) % max(1, len(body) - words)
        outlet = f"{OUTLETS[round_ % len(OUTLETS)]} {round_}"
        records.append(
            {
                "id": f"v{n}",
                "title": title,
                "source": outlet,
                "text": f"{title}\n\n({outlet}) " + " ".join(body[start : start + words]),
            }
        )
    return records
