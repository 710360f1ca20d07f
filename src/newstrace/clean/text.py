"""The text-level cleaner: page furniture that survives in scraped plain text.

Boilerplate removal libraries (trafilatura, jusText, readability) work on the
DOM; once a page has been flattened to text by a scraper or a rewriting tool,
nothing in the Python ecosystem tells the article from the navigation prompts,
breadcrumbs, comment forms, byline boxes, counters, teaser lists and
call-to-action residue left around it. So this module does it by hand.

Every line is described by features that generalise rather than by phrases:
its position relative to the article body, its length and sentence shape
(terminal punctuation, share of lowercase words), how much of it is UI
vocabulary (a small generic lexicon: reply, comment, share, subscribe, email,
login, cookie, advertisement, related ...), whether it addresses the reader,
its similarity to the headline, and its topical overlap with the rest of the
body (content-word overlap, cheap enough for thousands of pages a second).

The body is located first: *anchor* lines are well-formed sentences that share
vocabulary with the rest of the article. Lines before the headline and after
the last anchor are judged harshly (that is where furniture lives); lines
inside the body are removed only for unambiguous reasons (counters, stray
punctuation, repeated headlines, pure UI lines, template placeholders).
Lines that quote someone or attribute a statement are never removed as
furniture.

Words are counted with the tokeniser every stage shares
(:mod:`newstrace.nlp.words`): letters of any script, combining marks inside
their word, and character bigrams for scripts written without spaces. With
``\\w`` runs instead, a Chinese sentence was one "word" and was removed as a
section label, and a Hindi word fell apart at its vowel signs; and since
scripts without case have no capitals, their words count as lower case in the
sentence-shape test.

Removal reasons: navigation prompt, breadcrumb, section label, repeated
headline, repeated line, comment form, comment, byline box, counter, stray
punctuation, teaser list heading, teaser of unrelated article, link to related
article, share prompt, call to action, template placeholder, tag list, photo
credit, footer.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from newstrace.model import Removal
from newstrace.nlp.words import unspaced, word_spans

_ALNUM = re.compile(r"\w", re.UNICODE)
_APOSTROPHES = "'’"
_COUNTER = re.compile(r"^[\d\s.,:+\-/()#%kKmM]*\d[\d\s.,:+\-/()#%kKmM]*$")
_DATE_LIKE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\b(19|20)\d\d\b")
_DATE_OR_TIME = re.compile(
    r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\b\d{1,2}:\d\d|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)"
    r"[a-z]*\.?\s+\d{1,2}\b|\b\d{1,2}\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b",
    re.I,
)
_CUT_MID_SENTENCE = re.compile(r"\w\s?(\.\.\.|…)\s*$")
_TERMINAL_CHARS = frozenset(".!?…:;\"'”’»)]")
_DOUBLE_QUOTES = ('"', "“", "”", "«", "»")
_DIGIT = re.compile(r"\d")
_TRUNCATED = re.compile(r"(\.\.\.|…)\s*$")
_QUOTE = re.compile(r"[\"“”«»]|(^|\s)['‘]|['’](\s|$)")
_ATTRIBUTION_WORDS = frozenset(
    [
        "said",
        "says",
        "told",
        "stated",
        "added",
        "according",
        "reported",
        "announced",
        "wrote",
        "asked",
        "explained",
        "noted",
    ]
)
_PLACEHOLDER = re.compile(
    r"\[\s*(your|insert|add|link|website|url|source|name|author|company|image|photo|date)\b[^\]]{0,60}\]",
    re.I,
)
_BREADCRUMB_SEPARATORS = re.compile(r"\s+[>»›/|]\s+|\s*[>»›]\s*")

_STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
    ]
)

# Generic UI vocabulary, by the kind of page furniture it signals.
_UI_WORDS: dict[str, str] = {}
for _reason, _words in {
    "comment form": "comment comments commenting reply replies leave cancel required fields email address website "
    "notify post posting discussion respond moderation",
    "share prompt": "share shares sharing tweet facebook twitter whatsapp linkedin pinterest telegram reddit "
    "print copy link links messenger flipboard",
    "navigation prompt": "connect search looking menu home skip navigation subscribe subscription newsletter "
    "signup sign login logout log register account follow click tap hi hello welcome browse explore "
    "cookie cookies accept consent privacy policy terms advertisement advertisements sponsored ad ads "
    "read next previous prev top back view load download app continue watch listen podcast contact "
    "newsletters javascript enable enabled browser please powered",
    "teaser list heading": "related recommended trending popular latest updates stories headlines",
    "byline box": "author authors written posted editor contributor bio profile staff",
    "footer": "copyright rights reserved disclaimer imprint trademark trademarks",
}.items():
    for _word in _words.split():
        _UI_WORDS[_word] = _reason

_REASON_PRIORITY = [
    "comment form",
    "share prompt",
    "byline box",
    "footer",
    "teaser list heading",
    "navigation prompt",
]
_UI_VERBS = frozenset(
    [
        "share",
        "print",
        "email",
        "tweet",
        "comment",
        "reply",
        "subscribe",
        "follow",
        "sign",
        "log",
        "login",
        "click",
        "tap",
        "download",
        "read",
        "view",
        "load",
        "leave",
        "skip",
        "continue",
    ]
)
_READER_WORDS = frozenset(["you", "your", "yours", "us", "our", "we", "readers", "reader"])

_CALL_TO_ACTION = [
    re.compile(
        r"\b(visit|follow|subscribe|join|bookmark|download|sign up|check out|stay tuned)\b", re.I
    ),
    re.compile(r"\b(readers?|your?|yourself)\b", re.I),
    re.compile(r"\bwe (encourage|recommend|invite|urge|welcome|suggest|hope you)\b", re.I),
    re.compile(
        r"\b(comments?|thoughts|feedback|opinions?)\b.{0,40}\b(below|section|share|leave|let us)\b",
        re.I,
    ),
    re.compile(r"\b(stay|staying|keep|keeping) (informed|updated|tuned)\b", re.I),
    re.compile(
        r"\bfor (more|continuous|further|the latest|regular|ongoing) (updates|news|information|coverage)\b",
        re.I,
    ),
    re.compile(r"\b(share|let us know|tell us)\b.{0,30}\b(thoughts|views|opinion)\b", re.I),
]

_LINK_LABEL = re.compile(r"^\s*([^\W\d][\w' ]{1,24}?)\s*[:|»›>-]\s+(.{8,})$")
_TAG_OR_CREDIT = re.compile(
    r"^\s*(?:(tags?|topics?|filed under|categories|keywords)|(photo|image|picture|video|credit)s?)\s*:",
    re.I,
)
_LINK_LABEL_WORDS = frozenset(
    [
        "read",
        "more",
        "also",
        "see",
        "related",
        "recommended",
        "watch",
        "listen",
        "latest",
        "next",
        "previous",
        "up",
        "don't",
        "dont",
        "miss",
        "must",
        "further",
        "reading",
        "story",
        "stories",
        "video",
        "photos",
    ]
)
_LINK_LABEL_KEYS = frozenset(
    ["read", "see", "related", "recommended", "watch", "listen", "next", "miss", "reading"]
)
_IMPERATIVE_START = re.compile(
    r"^\s*(sign up|subscribe|follow|join|click|tap|download|share|register|get (?:the|our)|read (?:the|our|more)|"
    r"watch (?:the|our)|listen to (?:the|our)|like us|don't miss|never miss|stay (?:informed|updated|tuned))\b",
    re.I,
)
# Openings that only ever address the reader about the site itself.
_SITE_PROMPT_START = re.compile(
    r"^\s*(sign up|subscribe|register (?:for|now|today)|never miss|don't miss)\b", re.I
)
_COPYRIGHT = re.compile(r"©|\(c\)\s*(?:19|20)\d\d|\ball rights reserved\b|^\s*copyright\b", re.I)
_STARTS_FURNITURE = frozenset(
    {
        "comment form",
        "share prompt",
        "navigation prompt",
        "byline box",
        "teaser list heading",
        "call to action",
        "template placeholder",
        "breadcrumb",
        "link to related article",
        "footer",
        "tag list",
        "photo credit",
    }
)
_CALL_TO_ACTION_TRIGGER = re.compile(
    r"visit|follow|subscrib|join|bookmark|download|sign up|check out|tuned|reader|you|we |comment|thought|feedback"
    r"|opinion|informed|updated|for (?:more|continuous|further|the latest|regular|ongoing)|let us|tell us",
    re.I,
)
# In the tail, what an off-topic sentence is, given the furniture right above it
# (after a navigation or share prompt it may still be the article's last line).
_LOW_OVERLAP_SENTENCE_AFTER = {
    "teaser list heading": "teaser of unrelated article",
    "section label": "teaser of unrelated article",
    "teaser of unrelated article": "teaser of unrelated article",
    "link to related article": "teaser of unrelated article",
    "comment form": "comment",
    "byline box": "byline box",
}
_ANCHOR_MIN_WORDS = 8
_ANCHOR_MIN_OVERLAP = 0.2
_LOW_OVERLAP = 0.2


@dataclass
class _Line:
    index: int
    text: str
    words: list[str]
    lowered: list[str]
    content: set[str]
    norm: str
    n_words: int
    overlap: float = 0.0
    shared: int = 0
    removal: str | None = None
    features: dict[str, Any] = field(default_factory=dict)


@dataclass
class CleanedText:
    """The result of cleaning one text: the kept body, the removals, the headline."""

    text: str
    removed: list[Removal]
    headline: str | None


def _tokens(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, word)`` for the words of ``text`` (:func:`newstrace.nlp.words.word_spans`),
    an apostrophe joining two words ("don't", "O'Brien") into one, as the UI vocabulary has them."""
    joined: list[tuple[int, int, str]] = []
    for start, end, word in word_spans(text):
        if joined and start == joined[-1][1] + 1 and text[joined[-1][1]] in _APOSTROPHES:
            previous_start, _, previous = joined.pop()
            joined.append((previous_start, end, f"{previous}'{word}"))
        else:
            joined.append((start, end, word))
    return joined


def _is_number(word: str) -> bool:
    """A word of digits only ("2014", "1.5"): not counted as a word of the line."""
    return word.isdigit() or (
        word[0].isdigit() and word.replace(".", "").replace(",", "").isdigit()
    )


def _normalise(text: str) -> str:
    return " ".join(word for _, _, word in _tokens(text))


def _make_line(index: int, text: str) -> _Line:
    tokens = _tokens(text)
    lettered = [(start, end, word) for start, end, word in tokens if not _is_number(word)]
    words = [text[start:end] for start, end, _ in lettered]
    lowered = [word for _, _, word in lettered]
    content = {w[:6] for w in lowered if len(w) > 3 or unspaced(w)} - _STOPWORDS
    return _Line(
        index=index,
        text=text,
        words=words,
        lowered=lowered,
        content=content,
        norm=" ".join(word for _, _, word in tokens),
        n_words=len(words),
    )


# --- features -------------------------------------------------------------------------------

_T = TypeVar("_T")


def _per_line(feature: Callable[[_Line], _T]) -> Callable[[_Line], _T]:
    """Compute a line feature once: the decisions below ask for the same features many times."""
    name = feature.__name__

    def cached(line: _Line) -> _T:
        if name not in line.features:
            line.features[name] = feature(line)
        return line.features[name]

    cached.__name__ = name
    cached.__doc__ = feature.__doc__
    return cached


def _is_punctuation_only(line: _Line) -> bool:
    return not _ALNUM.search(line.text)


def _is_counter(line: _Line) -> bool:
    """Bare numbers (view, share and comment counts); not dates, scores ending a sentence, or prose."""
    text = line.text
    if len(text) > 30 or line.n_words > 2 or text.endswith(".") or len(text.split()) > 4:
        return False
    return bool(_COUNTER.match(text)) and not _DATE_LIKE.search(text)


@_per_line
def _lowercase_share(line: _Line) -> float:
    if not line.words:
        return 0.0
    return sum(not w[0].isupper() for w in line.words) / line.n_words


@_per_line
def _is_sentence(line: _Line) -> bool:
    """Shaped like running prose: long enough, mostly lowercase words, ends like a sentence."""
    return (
        line.n_words >= 6
        and _lowercase_share(line) >= 0.4
        and (_ends_like_sentence(line.text) or line.n_words >= 25)
    )


def _ends_like_sentence(text: str) -> bool:
    return text.rstrip()[-1:] in _TERMINAL_CHARS


@_per_line
def _has_speech(line: _Line) -> bool:
    text = line.text
    if any(mark in text for mark in _DOUBLE_QUOTES) or (
        _has_single_quote(text) and _QUOTE.search(text)
    ):
        return True
    return not _ATTRIBUTION_WORDS.isdisjoint(line.lowered)


def _has_single_quote(text: str) -> bool:
    return "'" in text or "‘" in text or "’" in text


@_per_line
def _has_date(line: _Line) -> bool:
    return bool(_DIGIT.search(line.text)) and bool(_DATE_OR_TIME.search(line.text))


def _ui_reason(line: _Line, min_share: float = 0.6) -> str | None:
    """The kind of UI furniture a short line is made of, if at least ``min_share`` of it is UI vocabulary."""
    if line.n_words == 0 or line.n_words > 15 or _has_speech(line) or _has_date(line):
        return None
    lowered = line.lowered
    hits = [_UI_WORDS[w] for w in lowered if w in _UI_WORDS]
    reader = sum(1 for w in lowered if w in _READER_WORDS)
    meaningful = [w for w in lowered if w not in _STOPWORDS] or lowered
    if not hits:
        return None
    share = (len(hits) + reader) / max(len(meaningful) + reader, 1)
    if share < min_share or share == 0:
        return None
    if _is_sentence(line) and share < 0.6:
        return None
    return max(
        _REASON_PRIORITY, key=lambda reason: (hits.count(reason), -_REASON_PRIORITY.index(reason))
    )


@_per_line
def _ui_command(line: _Line) -> str | None:
    """A short line opening with a UI verb: ``Share this article``, ``Print this page``, ``Load more``."""
    if not 0 < line.n_words <= 5 or _has_speech(line) or line.lowered[0] not in _UI_VERBS:
        return None
    return _UI_WORDS.get(line.lowered[0], "navigation prompt")


@_per_line
def _call_to_action_cues(line: _Line) -> int:
    if not _CALL_TO_ACTION_TRIGGER.search(line.text):
        return 0
    return sum(1 for pattern in _CALL_TO_ACTION if pattern.search(line.text))


def _is_label(line: _Line) -> bool:
    """A short heading-like line: a section name, a subheading, a name."""
    return 0 < line.n_words <= 6 and not _ends_like_sentence(line.text.rstrip("*"))


def _is_short_non_sentence(line: _Line) -> bool:
    return line.n_words <= 6 and not _is_sentence(line) and not _has_date(line)


def _is_off_topic_label(line: _Line) -> bool:
    """A one- or two-word line (a section name) whose words the article does not use."""
    return _is_label(line) and line.n_words <= 2 and not _has_date(line) and line.overlap < 0.5


def _breadcrumb_by_separators(line: _Line) -> bool:
    if not any(separator in line.text for separator in ">»›/|"):
        return False
    parts = [p for p in _BREADCRUMB_SEPARATORS.split(line.text) if p.strip()]
    return len(parts) >= 3 and all(len(p.split()) <= 4 for p in parts[:-1])


def _glued_breadcrumb(line: _Line, lines_by_norm: dict[str, _Line], title_norm: str | None) -> int:
    """How many leading capitalised words (up to 8) glue a breadcrumb to another line or the title; 0 if none.

    Returns -1 when the rest of the line is another line of the text (the whole line is a breadcrumb).
    """
    tokens = line.norm.split()
    original = [line.text[start:end] for start, end, _ in _tokens(line.text)]
    if len(original) != len(tokens):
        return 0
    for cut in range(1, min(9, len(tokens) - 2)):
        if not original[cut - 1][0].isupper():
            return 0
        rest = " ".join(tokens[cut:])
        other = lines_by_norm.get(rest)
        if other is not None and other is not line:
            return -1
        if rest == title_norm:
            return cut
    return 0


def _split_after_words(text: str, count: int) -> tuple[str, str]:
    end = _tokens(text)[count - 1][1]
    return text[:end].strip(), text[end:].strip()


def _overlaps(lines: list[_Line], core: list[_Line]) -> None:
    """Share of each line's content words found in the other core lines."""
    counts: dict[str, int] = {}
    for line in core:
        for word in line.content:
            counts[word] = counts.get(word, 0) + 1
    core_ids = {id(line) for line in core}
    for line in lines:
        if not line.content:
            line.overlap, line.shared = 0.0, 0
            continue
        own = 1 if id(line) in core_ids else 0
        line.shared = sum(1 for word in line.content if counts.get(word, 0) - own > 0)
        line.overlap = line.shared / len(line.content)


# --- decisions ------------------------------------------------------------------------------


def _always_furniture(line: _Line) -> str | None:
    """Reasons that hold wherever the line stands."""
    if _is_punctuation_only(line):
        return "stray punctuation"
    if _is_counter(line):
        return "counter"
    if "[" in line.text and _PLACEHOLDER.search(line.text):
        return "template placeholder"
    if line.n_words <= 20 and _COPYRIGHT.search(line.text) and not _has_speech(line):
        return "footer"
    return None


def _furniture_reason(line: _Line, cta_threshold: int) -> str | None:
    reason = _always_furniture(line)
    if reason:
        return reason
    ui = _ui_reason(line) or _link_to_other_article(line) or _ui_command(line)
    if ui:
        return ui
    if _breadcrumb_by_separators(line) and not _is_sentence(line):
        return "byline box" if _has_date(line) else "breadcrumb"
    if not _has_speech(line) and (
        _call_to_action_cues(line) >= cta_threshold or _is_imperative_prompt(line)
    ):
        return "call to action"
    return None


def _find_headline(lines: list[_Line], title: str | None) -> _Line | None:
    title_norm = _normalise(title) if title else ""
    for line in lines[:12]:
        if title_norm and line.norm == title_norm and not line.removal:
            return line
    for line in lines[:12]:
        if line.removal or line.n_words < 3:
            continue
        return line
    return None


def _mark_head(lines: list[_Line], first_anchor: int, title: str | None) -> None:
    """Remove the furniture above the headline (the first line that is not furniture)."""
    title_norm = _normalise(title) if title else None
    for line in lines[:first_anchor]:
        if line.removal:
            continue
        if line.norm == title_norm:
            break
        reason = _furniture_reason(line, cta_threshold=2)
        if reason is None and _is_short_non_sentence(line) and line.overlap < 0.5:
            reason = _ui_reason(line, min_share=0.0)
        if reason is None and _is_off_topic_label(line):
            reason = "section label"
        if reason is None:
            break
        line.removal = reason


def _mark_repeats(lines: list[_Line], headline: _Line | None, title: str | None) -> None:
    headline_forms = {headline.norm} if headline else set()
    if title:
        title_norm = _normalise(title)
        headline_forms.add(title_norm)
        site_free = re.split(r"\s+[|–—-]\s+", title)[0]
        if len(site_free.split()) >= 4:
            headline_forms.add(_normalise(site_free))
    headline_forms.discard("")
    seen: set[str] = set()
    for line in lines:
        if line.removal or not line.norm:
            continue
        if line is headline:
            seen.add(line.norm)
            continue
        near_top = headline is not None and line.index <= headline.index + 4
        if line.norm in headline_forms and (near_top or not _is_sentence(line)):
            line.removal = "repeated headline"
        elif line.norm in seen and line.n_words >= 3 and not _is_sentence(line):
            line.removal = "repeated line"
        seen.add(line.norm)


def _mark_body(lines: list[_Line], first_anchor: int, last_anchor: int) -> None:
    for line in lines[first_anchor : last_anchor + 1]:
        if line.removal:
            continue
        reason = _always_furniture(line)
        if reason is None and not _is_sentence(line):
            reason = _ui_reason(line, min_share=0.66) or _ui_command(line)
        if reason is None:
            reason = _link_to_other_article(line)
        if (
            reason is None
            and not _has_speech(line)
            and (_call_to_action_cues(line) >= 4 or _is_imperative_prompt(line))
        ):
            reason = "call to action"
        line.removal = reason
    _mark_box_headings(lines[first_anchor : last_anchor + 1])


def _mark_box_headings(lines: list[_Line]) -> None:
    """A short heading right above a removed prompt is the heading of that prompt's box."""
    for heading, below in itertools.pairwise(lines):
        if heading.removal or below.removal not in _STARTS_FURNITURE:
            continue
        if _is_label(heading) and heading.overlap < 0.5 and not _has_date(heading):
            heading.removal = below.removal


def _mark_between_headline_and_body(
    lines: list[_Line], headline: _Line | None, first_anchor: int
) -> None:
    start = headline.index + 1 if headline else 0
    for line in lines[start:first_anchor]:
        if line.removal:
            continue
        reason = _always_furniture(line) or _ui_reason(line, min_share=0.66)
        reason = (
            reason
            or _link_to_other_article(line)
            or (None if _is_sentence(line) else _ui_command(line))
        )
        if reason is None and _breadcrumb_by_separators(line) and not _is_sentence(line):
            reason = "byline box" if _has_date(line) else "breadcrumb"
        if reason is None and not _has_speech(line) and _is_imperative_prompt(line):
            reason = "call to action"
        line.removal = reason


def _mark_tail(lines: list[_Line], last_anchor: int) -> None:
    """After the last anchor: once furniture starts, everything not article-like goes."""
    furniture_started = False
    previous_reason: str | None = None
    for line in lines[last_anchor + 1 :]:
        if line.removal:
            if line.removal in _STARTS_FURNITURE:
                furniture_started = True
                previous_reason = line.removal
            continue
        reason = _furniture_reason(line, cta_threshold=3)
        truncated = bool(_TRUNCATED.search(line.text))
        if reason is None and _looks_like_teaser(line):
            reason = "teaser of unrelated article"
        if reason is None and furniture_started:
            if truncated:
                reason = "teaser of unrelated article"
            elif _has_date(line):
                reason = None
            elif _is_label(line):
                reason = "byline box" if previous_reason == "byline box" else "section label"
            elif _is_sentence(line) and line.overlap < _LOW_OVERLAP:
                reason = _LOW_OVERLAP_SENTENCE_AFTER.get(previous_reason or "")
        if reason in _STARTS_FURNITURE or (reason and furniture_started):
            furniture_started = True
        previous_reason = reason
        line.removal = reason


def _link_to_other_article(line: _Line) -> str | None:
    """``READ MORE: <headline>``-style lines: a link label, a colon, another article's title.

    Also ``Tags: ...`` lists and ``Photo: ...`` credits, short lines of the same shape.
    """
    head = line.text[:30]
    if not any(separator in head for separator in ":|»›>-"):
        return None
    tag_or_credit = _TAG_OR_CREDIT.match(line.text)
    if tag_or_credit and line.n_words <= 12 and not _ends_like_sentence(line.text.rstrip(")")):
        return "tag list" if tag_or_credit.group(1) else "photo credit"
    match = _LINK_LABEL.match(line.text)
    if not match or line.n_words > 25:
        return None
    label = {word for _, _, word in _tokens(match.group(1)) if not _is_number(word)}
    if not label or not label <= _LINK_LABEL_WORDS or not label & _LINK_LABEL_KEYS:
        return None
    return (
        "teaser of unrelated article" if line.overlap < _LOW_OVERLAP else "link to related article"
    )


def _is_imperative_prompt(line: _Line) -> bool:
    """A sentence that opens by telling the reader to act (sign up, follow, share ...) about the site."""
    if line.n_words > 30 or not _IMPERATIVE_START.match(line.text):
        return False
    if _SITE_PROMPT_START.match(line.text):
        return True
    lowered = line.lowered
    return any(w in _UI_WORDS or w in _READER_WORDS for w in lowered[2:])


def _looks_like_teaser(line: _Line) -> bool:
    """A summary cut off mid-sentence, about something the article does not mention."""
    return (
        line.n_words >= 10
        and bool(_CUT_MID_SENTENCE.search(line.text))
        and line.overlap < 0.1
        and not _has_speech(line)
    )


def _anchors(lines: list[_Line]) -> list[int]:
    core = [
        line
        for line in lines
        if not line.removal
        and line.n_words >= _ANCHOR_MIN_WORDS
        and _is_sentence(line)
        and not _TRUNCATED.search(line.text)
        and _ui_reason(line) is None
        and not _PLACEHOLDER.search(line.text)
        and (_has_speech(line) or _call_to_action_cues(line) < 3)
    ]
    _overlaps(lines, core)
    anchors = [
        line.index for line in core if line.overlap >= _ANCHOR_MIN_OVERLAP and line.shared >= 2
    ]
    if len(core) < 3 or not anchors:
        anchors = [line.index for line in core]
    return anchors


def _unglue_breadcrumbs(
    lines: list[_Line], title_norm: str | None
) -> tuple[list[_Line], list[Removal]]:
    """Mark breadcrumb lines glued to a repeated headline; cut a breadcrumb off a headline given once."""
    lines_by_norm = {line.norm: line for line in lines if line.n_words >= 3}
    crumbs: list[Removal] = []
    for position, line in enumerate(lines[:12]):
        if line.removal:
            continue
        cut = _glued_breadcrumb(line, lines_by_norm, title_norm)
        if cut == -1:
            line.removal = "breadcrumb"
        elif cut > 0:
            crumb, headline = _split_after_words(line.text, cut)
            crumbs.append(Removal(crumb, "breadcrumb"))
            lines[position] = _make_line(line.index, headline)
    return lines, crumbs


def clean_text(text: str, title: str | None = None) -> CleanedText:
    """Drop page furniture from scraped plain text, line by line.

    ``title`` is the headline when known (from page metadata or the first
    line); the body keeps the headline once at its top and loses repeats.
    Returns the kept lines joined by newlines (one paragraph per line).
    """
    raw_lines = [ln.strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [_make_line(i, t) for i, t in enumerate(t for t in raw_lines if t)]
    if not lines:
        return CleanedText("", [], None)
    for line in lines:
        line.removal = _always_furniture(line)
    lines, crumbs = _unglue_breadcrumbs(lines, _normalise(title) if title else None)
    anchors = _anchors(lines)
    first_anchor = anchors[0] if anchors else len(lines)
    last_anchor = anchors[-1] if anchors else len(lines) - 1
    _mark_head(lines, first_anchor, title)
    headline = _find_headline(lines, title)
    _mark_repeats(lines, headline, title)
    _mark_between_headline_and_body(lines, headline, first_anchor)
    if anchors:
        _mark_body(lines, first_anchor, last_anchor)
        _mark_tail(lines, last_anchor)
    kept = [line.text for line in lines if not line.removal]
    removed = crumbs + [Removal(line.text, line.removal) for line in lines if line.removal]
    return CleanedText(
        "\n".join(kept), removed, headline.text if headline and not headline.removal else None
    )
