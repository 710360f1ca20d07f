"""What the terminal, Markdown and HTML reports share: the verdict vocabulary, how an
article and a date are named to a reader, and which words of a statement changed.

Private to ``newstrace.report``: the three formats import from here, never from
each other, so a fact reads the same in each.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable
from urllib.parse import urlsplit

from newstrace.errors import StoryNotFoundError
from newstrace.model import Document, Fact, Report, Story, Verdict

VERDICT_ORDER = tuple(v.value for v in Verdict)
FLAGGED = frozenset(v.value for v in Verdict if v.flagged)
VERDICT_LABELS = {v.value: v.heading for v in Verdict}
WORD_EDGE_PUNCTUATION = "\"'“”‘’«»„.,;:!?()[]—–-"
_MIN_SIMILARITY_TO_MARK = 0.5
_OPENING_QUOTES = "\"'“‘«„"


def verdict_label(verdict: str) -> str:
    """The heading for facts with this verdict (an unknown verdict's own words, capitalised)."""
    return VERDICT_LABELS.get(verdict, verdict.replace("_", " ").capitalize())


def find_story(report: Report, story_id: str) -> Story:
    """The story with this id (:class:`StoryNotFoundError` if there is none)."""
    for story in report.stories:
        if story.id == story_id:
            return story
    raise StoryNotFoundError(story_id, [s.id for s in report.stories])


def group_by_verdict(facts: Iterable[Fact]) -> list[tuple[str, list[Fact]]]:
    """Facts grouped by verdict, flagged verdicts first; unknown verdicts last, by name."""
    groups: dict[str, list[Fact]] = {}
    for fact in facts:
        groups.setdefault(fact.verdict, []).append(fact)
    order = [v for v in VERDICT_ORDER if v in groups] + sorted(
        v for v in groups if v not in VERDICT_ORDER
    )
    return [(verdict, groups[verdict]) for verdict in order]


def known_outlet(doc: Document) -> str | None:
    """The outlet the input names, else its URL's host; None when neither is known."""
    return doc.source or host(doc.url)


def outlet(doc: Document | None, doc_id: str = "") -> str:
    """How to name an article to a reader: its outlet, else its URL host, else its origin."""
    if doc is None:
        return doc_id
    return known_outlet(doc) or doc.origin.replace("\\", "/").rsplit("/", 1)[-1]


def known_outlets(docs: list[Document]) -> set[str]:
    """Outlets the inputs name (or their URLs' hosts); a file name is not an outlet."""
    return {name for d in docs if (name := known_outlet(d))}


def changed_tokens(texts: list[str]) -> list[set[int]]:
    """For each text, the indices of its words (split on whitespace) that differ from the most common wording.

    The reference is the wording most statements share (the first one on a
    tie); a statement that is an edit of it has its changed words marked, one
    that is a different sentence altogether (under half the words in common)
    has none marked.
    """
    words = [tuple(_comparable(token) for token in text.split()) for text in texts]
    if not words:
        return []
    tally = Counter(words)
    reference = max(words, key=lambda w: tally[w])
    return [set() if key == reference else _changed_against(reference, key) for key in words]


def _changed_against(reference: tuple[str, ...], words: tuple[str, ...]) -> set[int]:
    matcher = difflib.SequenceMatcher(None, reference, words, autojunk=False)
    if matcher.ratio() < _MIN_SIMILARITY_TO_MARK:
        return set()
    return {j for op, _, _, j1, j2 in matcher.get_opcodes() if op != "equal" for j in range(j1, j2)}


def _comparable(token: str) -> str:
    return token.strip(WORD_EDGE_PUNCTUATION).lower().replace("\u2019", "'")


def stating_documents(fact: Fact) -> list[str]:
    """Ids of the documents that state ``fact``, each once, in statement order."""
    return list(dict.fromkeys(st.doc for st in fact.statements))


def host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def one_line(text: str) -> str:
    return " ".join(text.split())


def quoted(text: str) -> str:
    """A statement on one line between quotation marks, unless it already has its own."""
    line = one_line(text)
    return line if line[:1] in _OPENING_QUOTES else f"“{line}”"


def when(value: str | None) -> str:
    """A publication date for reading: the day, and the time to the minute when there is one."""
    return value[:16].replace("T", " ") if value else "—"


def count(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` and the noun, singular or plural."""
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def anchor(*parts: str) -> str:
    """An HTML id made of ``parts``; ids from the input keep only safe characters."""
    return "-".join(re.sub(r"[^A-Za-z0-9_-]", "_", p) for p in parts)


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut with an ellipsis to at most ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
