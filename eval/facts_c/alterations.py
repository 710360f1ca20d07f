"""Real changes of a fact, each recorded: number, date, quotation words, place, speaker.

Every function takes the copy's sentences (flat, in original order, before any
harmless edit moves them), a random generator and what the article names, and
either changes one sentence and returns the record of the change or returns
None when the article offers nothing of that kind. Sentences already altered
are left alone, so one sentence carries at most one change.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from text import Sentence, balanced_quotes, outside_quotes, quote_spans

KINDS = ("number", "date", "quote", "place", "speaker")

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_NUMBER = re.compile(r"(?<![\w.,/:-])(\$?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\w,/:-]|\.\d)")
_SMALL_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve"]
_WORD_NUMBER = re.compile(r"\b(" + "|".join(_SMALL_WORDS) + r")\b")
_MONTH_DAY = re.compile(r"\b(" + "|".join(MONTHS) + r")\.? (\d{1,2})\b")
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b")
_SPEECH = re.compile(r"\b(said|says|told|added|asked|stated|according to|wrote|tweeted)\b")

# Word swaps inside a quotation that change what was said.
_WORD_SWAPS = {
    "good": "bad",
    "bad": "good",
    "more": "fewer",
    "less": "more",
    "never": "always",
    "always": "never",
    "best": "worst",
    "worst": "best",
    "right": "wrong",
    "wrong": "right",
    "strong": "weak",
    "important": "irrelevant",
    "support": "oppose",
    "agree": "disagree",
    "great": "terrible",
    "safe": "dangerous",
    "love": "hate",
    "win": "lose",
    "everyone": "no one",
    "all": "none",
    "proud": "ashamed",
    "increase": "decrease",
    "first": "last",
    "better": "worse",
    "many": "few",
    "clear": "unclear",
    "happy": "unhappy",
    "fair": "unfair",
    "possible": "impossible",
}
# A place where something happens or someone goes: after a preposition of place.
_EVENT_PLACE = r"\b(?:in|at|to|from|near|across|throughout|outside|inside|visited|visit) (?:the )?"
_NEGATABLE = re.compile(r"\b(is|are|was|were|will|can|would|should|could|has|have|do|does|did)\b")


@dataclass
class Names:
    """What the article names, read once by spaCy's entity recogniser."""

    persons: list[str] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)
    places: list[tuple[str, str]] = field(default_factory=list)  # (name, country|state|city)
    pool: dict[str, list[str]] = field(default_factory=dict)  # places of every article, by kind


def _record(kind: str, sentence: Sentence, original: str, new: str, ident: int) -> dict:
    sentence.alterations.add(ident)
    return {
        "id": ident,
        "kind": kind,
        "original": original,
        "new": new,
        "sentence": sentence.source,
    }


def _replace_at(sentence: Sentence, start: int, end: int, new: str) -> str:
    old = sentence.text[start:end]
    sentence.text = sentence.text[:start] + new + sentence.text[end:]
    return old


def _free(sentences: list[Sentence]) -> list[Sentence]:
    return [s for s in sentences if not s.alterations and s.source is not None and not s.in_quote]


def _new_number(digits: str, rng: random.Random, percent: bool) -> str:
    value = int(digits.replace(",", ""))
    if percent:
        candidates = [value + d for d in (-9, -6, -4, 3, 5, 8, 12) if 0 < value + d < 100]
    elif value < 20:
        candidates = [value + d for d in (-3, -2, 2, 3, 5, 7) if value + d > 0]
    else:
        candidates = [round(value * f) for f in (0.6, 0.75, 1.3, 1.5, 2.0)]
    candidates = [c for c in candidates if c != value and not 1900 <= c <= 2100]
    new = rng.choice(candidates)
    return f"{new:,}" if "," in digits or new >= 10000 else str(new)


def alter_number(sentences: list[Sentence], rng: random.Random, names: Names, ident: int):
    """A count, amount, percentage or age written in digits (not a year) gets another value."""
    options = []
    for sentence in _free(sentences):
        for m in _NUMBER.finditer(sentence.text):
            digits = m.group(2)
            if re.fullmatch(r"(1[89]|20)\d\d", digits) or m.group(3):
                continue
            before = sentence.text[max(0, m.start() - 12) : m.start()]
            if re.search(r"(" + "|".join(MONTHS) + r")\.? ?$|[A-Z][\w.]* ?$|#$", before):
                continue
            if outside_quotes(sentence.text, m.start(), m.end()):
                options.append((sentence, m))
        for m in _WORD_NUMBER.finditer(sentence.text):
            if outside_quotes(sentence.text, m.start(), m.end()):
                options.append((sentence, m))
    if not options:
        return None
    sentence, m = rng.choice(options)
    if m.re is _WORD_NUMBER:
        word = m.group(1)
        new = rng.choice([w for w in _SMALL_WORDS if w != word])
        old = _replace_at(sentence, m.start(1), m.end(1), new)
        return _record("number", sentence, old, new, ident)
    percent = sentence.text[m.end() : m.end() + 8].lstrip().startswith(("%", "percent", "per cent"))
    new = _new_number(m.group(2), rng, percent)
    old = _replace_at(sentence, m.start(2), m.end(2), new)
    return _record("number", sentence, old, new, ident)


def alter_date(sentences: list[Sentence], rng: random.Random, names: Names, ident: int):
    """A weekday becomes another weekday, or a month's day another day."""
    options = []
    for sentence in _free(sentences):
        for m in list(_WEEKDAY.finditer(sentence.text)) + list(_MONTH_DAY.finditer(sentence.text)):
            if outside_quotes(sentence.text, m.start(), m.end()):
                options.append((sentence, m))
    if not options:
        return None
    sentence, m = rng.choice(options)
    if m.re is _WEEKDAY:
        new = rng.choice([d for d in WEEKDAYS if d != m.group(1)])
        old = _replace_at(sentence, m.start(1), m.end(1), new)
    else:
        day = int(m.group(2))
        new_day = rng.choice([d for d in range(1, 29) if abs(d - day) >= 2])
        old = _replace_at(sentence, m.start(2), m.end(2), str(new_day))
        old, new = f"{m.group(1)} {old}", f"{m.group(1)} {new_day}"
    return _record("date", sentence, old, new, ident)


def _swap_word(quote: str, rng: random.Random) -> str | None:
    words = [m for m in re.finditer(r"\b[a-z]+\b", quote) if m.group() in _WORD_SWAPS]
    if not words:
        return None
    m = rng.choice(words)
    return quote[: m.start()] + _WORD_SWAPS[m.group()] + quote[m.end() :]


def _negate(quote: str, rng: random.Random) -> str | None:
    verbs = [m for m in _NEGATABLE.finditer(quote) if not quote[m.end() :].startswith(" not")]
    if not verbs:
        return None
    m = rng.choice(verbs)
    return quote[: m.end()] + " not" + quote[m.end() :]


def _cut_clause(quote: str, rng: random.Random) -> str | None:
    cuts = list(re.finditer(r", (and|but|because|which|so|while) [^,]{12,}", quote))
    if not cuts:
        return None
    m = rng.choice(cuts)
    return quote[: m.start()] + quote[m.end() :]


def alter_quote(sentences: list[Sentence], rng: random.Random, names: Names, ident: int):
    """Words inside a quotation: a word swapped, a negation added, or a clause cut."""
    options = []
    for sentence in _free(sentences):
        if not balanced_quotes(sentence.text):
            continue
        for start, end in quote_spans(sentence.text):
            inner = sentence.text[start + 1 : end - 1]
            if len(inner.split()) >= 5:
                options.append((sentence, start + 1, end - 1, inner))
    rng.shuffle(options)
    for sentence, start, end, inner in options:
        edits = [_swap_word, _negate, _cut_clause]
        rng.shuffle(edits)
        for edit in edits:
            new = edit(inner, rng)
            if new and new != inner:
                _replace_at(sentence, start, end, new)
                return _record("quote", sentence, inner, new, ident)
    return None


def alter_place(sentences: list[Sentence], rng: random.Random, names: Names, ident: int):
    """A place named for the event becomes another of its kind (city, state, country)."""
    options = []
    for sentence in _free(sentences):
        for name, kind in names.places:
            pattern = _EVENT_PLACE + "(" + re.escape(name) + r")(?![\w-]| [A-Z])"
            for m in re.finditer(pattern, sentence.text):
                if outside_quotes(sentence.text, m.start(1), m.end(1)):
                    options.append((sentence, m.span(1), kind))
    if not options:
        return None
    sentence, (start, end), kind = rng.choice(options)
    article_places = {n for n, _ in names.places}
    others = sorted({p for p in names.pool.get(kind, []) if p not in article_places})
    if not others:
        return None
    new = rng.choice(others)
    old = _replace_at(sentence, start, end, new)
    return _record("place", sentence, old, new, ident)


def _attributes(sentence: str, m: re.Match) -> bool:
    """Whether the name at ``m`` is the one a speech verb gives the words to."""
    after = sentence[m.end() :]
    before = sentence[: m.start()]
    return bool(
        re.match(r"(?:,[^,\"“”]{0,80},)? ?" + _SPEECH.pattern, after)
        or (
            re.search(r"\b(?:said|says|added|according to)(?: the)? ?$", before)
            and re.match(r"(?:[.,;:]|$)", after)
        )
    )


def alter_speaker(sentences: list[Sentence], rng: random.Random, names: Names, ident: int):
    """A quotation or a statement given to another person or organisation named in the article."""
    options = []
    for sentence in _free(sentences):
        has_quote = bool(quote_spans(sentence.text)) and balanced_quotes(sentence.text)
        if not has_quote:
            continue
        found = [
            (m, name)
            for name in names.persons + names.orgs
            for m in re.finditer(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", sentence.text)
        ]
        for m, name in found:
            inside_longer = any(
                o.start() <= m.start() and m.end() <= o.end() and o.span() != m.span()
                for o, _ in found
            )
            if inside_longer or not outside_quotes(sentence.text, m.start(), m.end()):
                continue
            if _attributes(sentence.text, m):
                options.append((sentence, m, name))
    if not options:
        return None
    sentence, m, name = rng.choice(options)
    present = sentence.text
    pool = names.persons if name in names.persons else names.orgs + names.persons
    others = [
        other
        for other in pool
        if other != name
        and other.split()[-1] not in name
        and name.split()[-1] not in other
        and other not in present
    ]
    if not others:
        return None
    new = rng.choice(others)
    if len(name.split()) == 1 and name in names.persons:
        new = new.split()[-1]
    old = _replace_at(sentence, m.start(), m.end(), new)
    return _record("speaker", sentence, old, new, ident)


ALTER = {
    "number": alter_number,
    "date": alter_date,
    "quote": alter_quote,
    "place": alter_place,
    "speaker": alter_speaker,
}
