"""PAC (Zou et al., Findings of EMNLP 2023) as newstrace documents, and the gold story of each.

PAC ("Crossing the Aisle", github.com/launchnlp/Partisan-Event-Dataset) pairs
two articles on one news story from outlets of opposite leaning, picked from
AllSides story pages: 152 stories, 304 articles, dated 2012-2023 (a few
undated). It was built for partisan-event detection, not for grouping, so it
has no published clustering figures; newstrace never tuned on it. The data is
not shipped here: clone the repository and point ``score_public_stream.py
--pac`` at the clone (or at ``data/merged_annotations`` in it).

Kept: stories whose articles are dated 2012-2014 or 2020-2023, and the undated
ones of the 2022 development split. Dropped: every story dated 2015-2019 and
the undated stories of the 2012-2021 training split (their year is unknown),
because BASIL's held-out half (2015-2019) comes from the same AllSides story
pages and must not be seen. That leaves 100 stories, 200 articles.

PAC repeats a few articles in two stories (the same outlet and headline under
two story ids: stories 131 and 132, 133 and 145, and one article of 20 and
37), which no grouping can get right: one copy cannot be in two stories.
By default (``dedupe=True``) the later copy is dropped and the stories that
shared it count as one: 195 articles, 97 stories.

PAC gives each article as a list of sentences; about half of them are
tokenised ("it ’s", "late - night", "( R"), which is undone here token by
token. In the 2022-2023 splits the ``title`` field is a slug
("abortion_9_2") and the headline is the first sentence; there the first
sentence becomes the title.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from newstrace.model import Document

HELD_OUT_YEARS = range(2015, 2020)
"""BASIL's held-out half covers these years: PAC stories from them are never read."""
HALVES = {"tune": range(2020, 2024), "untouched": range(2012, 2015)}
"""PAC split by year before any score per half was looked at (issue 17): the bigger
half (2020-2023: 82 stories, 164 articles, with the three undated stories of the
2022 development split) may be used to choose and fit; the other (2012-2014: 15
stories, 31 articles) is only reported. ``all`` is both."""

_SLUG = re.compile(r"^[a-z_-]+_\d+_\d+$")
_CLOSERS = {",", ".", ";", ":", "!", "?", "%", ")", "]", "}", "”", "’", "...", "…"}
_OPENERS = {"(", "[", "{", "“", "‘", "$", "#"}
_CLITIC = re.compile(r"^(?:[’'](?:s|re|ve|ll|d|m)|n[’']t)$", re.IGNORECASE)


def annotation_dir(path: Path) -> Path:
    """The folder of PAC's per-article JSON files, given the clone or the folder itself."""
    for candidate in (path, path / "data" / "merged_annotations"):
        if any(candidate.glob("STORY_*_DOCUMENT_*.json")):
            return candidate
    raise SystemExit(
        f"no PAC annotations under {path}: clone "
        "https://github.com/launchnlp/Partisan-Event-Dataset and pass the clone"
    )


def is_tokenised(sentences: list[str]) -> bool:
    """Whether PAC gives this article as space-separated tokens (commas stand alone)."""
    text = " ".join(sentences)
    return text.count(" , ") + text.count(" .") > text.count(",") / 2


def detokenise(sentence: str) -> str:
    """Undo word tokenisation: punctuation, clitics, quotes and hyphens back onto their words.

    Straight double quotes alternate between opening and closing within a
    sentence; a hyphen with spaces on both sides between two words joins them
    ("late - night" -> "late-night"); dashes (— and --) keep their spaces.
    """
    out = ""
    open_quote = False
    glue_next = True
    for token in sentence.split():
        glue = glue_next
        glue_next = False
        if token == '"':
            glue = glue or open_quote
            glue_next = not open_quote
            open_quote = not open_quote
        elif token in _CLOSERS or _CLITIC.match(token):
            glue = True
        elif token in _OPENERS:
            glue_next = True
        elif token == "-" and out[-1:].isalnum():
            glue = glue_next = True
        out += token if glue or not out else " " + token
    return out


def _article(record: dict) -> dict:
    """One PAC record as a newstrace JSON Lines record (id, title, text, source, published)."""
    sentences = [s["text"].strip() for s in record["news"] if s["text"].strip()]
    if is_tokenised(sentences):
        sentences = [detokenise(s) for s in sentences]
    title = record.get("title") or ""
    if _SLUG.match(title) and sentences:
        title, sentences = sentences[0], sentences[1:]
    out = {
        "id": record["id"],
        "title": title,
        "text": " ".join(sentences),
        "source": record.get("source") or None,
    }
    if record.get("date"):
        out["published"] = record["date"]
    return out


def _story_id(record: dict) -> str:
    return record["id"].rsplit("_DOCUMENT_", 1)[0]


def _kept(story: list[dict]) -> bool:
    """A story is read only when none of its articles may fall in BASIL's held-out years."""
    years = {int(r["date"][:4]) for r in story if r.get("date")}
    if any(year in HELD_OUT_YEARS for year in years):
        return False
    return bool(years) or all(r.get("split") == "dev" for r in story)


def pac_records(path: Path, dedupe: bool = True, half: str = "all") -> list[dict]:
    """The kept PAC articles as newstrace records with their gold ``story`` (file order),
    of one of ``HALVES`` or ``all``."""
    stories: dict[str, list[dict]] = {}
    for file in sorted(annotation_dir(path).glob("STORY_*_DOCUMENT_*.json")):
        record = json.loads(file.read_text(encoding="utf-8"))
        stories.setdefault(_story_id(record), []).append(record)
    records = [
        {**_article(record), "story": story_id}
        for story_id, story in stories.items()
        if _kept(story)
        for record in story
    ]
    records = without_repeats(records) if dedupe else records
    return records if half == "all" else in_half(records, half)


def in_half(records: list[dict], half: str) -> list[dict]:
    """The records whose story lies in the years of ``HALVES[half]``; an undated story
    (kept only from the 2022 development split) counts as 2022."""
    if half not in HALVES:
        raise ValueError(f"half must be one of {', '.join(HALVES)} or all, not {half!r}")
    years: dict[str, set[int]] = {}
    for record in records:
        year = int(record["published"][:4]) if record.get("published") else 2022
        years.setdefault(record["story"], set()).add(year)
    inside = {story for story, found in years.items() if found <= set(HALVES[half])}
    return [record for record in records if record["story"] in inside]


def without_repeats(records: list[dict]) -> list[dict]:
    """Drop later copies of an article (same source and headline); stories that shared
    one become one story (named by the first), transitively."""
    first_copy: dict[tuple[str, str], dict] = {}
    parent: dict[str, str] = {}

    def root(story: str) -> str:
        while parent.get(story, story) != story:
            story = parent[story]
        return story

    kept = []
    for record in records:
        key = ((record["source"] or "").lower(), record["title"].strip().lower())
        if key in first_copy:
            a, b = sorted((root(first_copy[key]["story"]), root(record["story"])))
            if a != b:
                parent[b] = a
            continue
        first_copy[key] = record
        kept.append(record)
    return [{**record, "story": root(record["story"])} for record in kept]


def pac_documents(
    path: Path, dated: bool, time_order: bool = True, dedupe: bool = True, half: str = "all"
) -> tuple[list[Document], dict[str, str]]:
    """PAC's kept articles (by publication time, undated first, ties by id) and each one's story.

    ``dated=False`` drops ``published`` but keeps the same order, so the two
    runs differ only in what the grouping may see.
    """
    records = pac_records(path, dedupe, half)
    if time_order:
        records.sort(key=lambda r: (r.get("published") or "", r["id"]))
    docs = [pac_document(r, dated) for r in records]
    return docs, {r["id"]: r["story"] for r in records}


def pac_document(record: dict, dated: bool = True) -> Document:
    """One converted PAC record as a newstrace document (``dated=False`` drops ``published``)."""
    return Document(
        id=record["id"],
        origin=f"pac#{record['id']}",
        text=record["text"],
        title=record["title"],
        source=record["source"],
        published=record.get("published") if dated else None,
    )


# The text the hand-labelled PAC facts flags (``facts_real_flags_pac.jsonl``)
# were made on. Their keys hold character offsets, so this first, simpler
# conversion is kept as it was, beside ``_article`` above: each PAC sentence on
# its own line, a few regexes against the tokenisation, the first line as the
# headline where PAC's title is a slug, and every story outside 2015-2019
# (undated ones included; none of them holds a labelled flag).
_FLAG_TEXT_FIXES = (
    (re.compile(r" ([.,;:!?%)\]}’”])"), r"\1"),
    (re.compile(r"([(\[{‘“$]) "), r"\1"),
    (re.compile(r" (’s|'s|n’t|n't|’re|’ve|’ll|’d|'re|'ve|'ll|'d|’m|'m)\b"), r"\1"),
    (re.compile(r"(\w) - (\w)"), r"\1-\2"),
    (re.compile(r"(\d) , (\d)"), r"\1,\2"),
    (re.compile(r"(\d) \. (\d)"), r"\1.\2"),
    (re.compile(r'" (.*?) "'), r'"\1"'),
)
_PLURAL_POSSESSIVE = re.compile(r"(\w)s ' ")


def _flag_text(line: str) -> str:
    for pattern, replacement in _FLAG_TEXT_FIXES:
        line = pattern.sub(replacement, line)
    return line


def flag_sample_records(path: Path) -> list[dict]:
    """PAC as the facts flags were labelled on it (see the comment above), by date then id."""
    records = []
    for file in sorted(annotation_dir(path).glob("STORY_*_DOCUMENT_*.json")):
        record = json.loads(file.read_text(encoding="utf-8"))
        date = record.get("date") or ""
        if date and int(date[:4]) in HELD_OUT_YEARS:
            continue
        lines = [_flag_text(s["text"]) for s in record["news"]]
        title = record.get("title") or ""
        if not title or ("_" in title and " " not in title):
            title, lines = lines[0], lines[1:]
        out = {
            "id": record["id"],
            "title": _PLURAL_POSSESSIVE.sub(r"\1s' ", title),
            "text": _PLURAL_POSSESSIVE.sub(r"\1s' ", "\n".join(lines)),
            "source": record.get("source"),
            "story": _story_id(record),
        }
        if date:
            out["published"] = date
        records.append(out)
    return sorted(records, key=lambda r: (r.get("published", ""), r["id"]))
