"""Dates of events: absolute ("October 7", "Oct. 7, 2023") and relative ("on
Tuesday", "last Friday", "yesterday"), resolved against the publication date.

spaCy marks DATE entities but misses some (a day name inside "Sunday
afternoon" comes out as TIME), so calendar dates are also found by pattern.
What they mean is worked out by hand rather than with dateparser: a news
report's "on Tuesday" is the Tuesday on or before the date of publication
(on or after it when the verb is still to come — "will", "is set to" — a
week after with "next"), "yesterday" the day before, "last week" and
"earlier this month" a window of days, and a date may pin down
only some fields (a weekday, a month and day without a year), which
dateparser would fill in with guesses from today's date. Two dates are
compared on the fields both pin down. Durations ("two days") are quantities.
With no publication date, a relative date is kept as its words ("yesterday"),
equal only to the same words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from newstrace.facts.claims import Claim

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(MONTHS)} | {"sept": 9}
_MONTH_RE = re.compile(r"\b(" + "|".join(MONTHS + list(_MONTH_ABBR)) + r")\.?\b", re.I)
_YEAR_RE = re.compile(r"\b(19\d\d|20\d\d)\b")
_DAY_RE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\b")
_RELATIVE_DAYS = {
    "yesterday": -1,
    "last night": -1,
    "today": 0,
    "tomorrow": 1,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
}


@dataclass(frozen=True)
class DateValue:
    """What a date expression pins down; fields it leaves open are None."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    vague: bool = False  # only roughly placed ("early October")
    window: tuple[date, date] | None = (
        None  # "last week", "earlier this month": first and last day it can be
    )
    text: str = ""  # a relative date with no publication date to resolve it against: "yesterday"
    anchor: date | None = None  # the publication date a relative date was resolved against
    certain: bool = True  # false: when it was said, or which way the weekday points, is unsure
    named_weekday: bool = False  # resolved from a day name ("on Friday"), not from "yesterday"

    def label(self) -> str:
        if self.text:
            return self.text
        if self.window is not None:
            return f"{self.window[0].isoformat()}..{self.window[1].isoformat()}"
        if self.year and self.month and self.day:
            text = f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
            return text + (
                f" ({WEEKDAYS[self.weekday].title()})" if self.weekday is not None else ""
            )
        parts = []
        if self.weekday is not None:
            parts.append(WEEKDAYS[self.weekday].title())
        if self.month:
            parts.append(MONTHS[self.month - 1].title() + (f" {self.day}" if self.day else ""))
        if self.year:
            parts.append(str(self.year))
        return " ".join(parts) or "?"


def compare_dates(a: DateValue, b: DateValue) -> str:
    """``equal``, ``compatible`` (one is less precise), ``different``, or
    ``unrelated`` (nothing in common to compare: "2009" / "Tuesday").

    A weekday resolved against the publication date and a month-day date
    naming the same day agree ("on Tuesday" / "on October 22"). Two day names
    differ ("Thursday morning" / "Saturday morning") even where each is read
    from another publication date: whichever way each points, they are not one day."""
    if a.text or b.text:
        return "equal" if a.text == b.text else "unrelated"
    if a.named_weekday and b.named_weekday and a.weekday != b.weekday:
        return "different"  # two day names are two days, from any two publication dates
    if _anchors_disagree(a, b):
        return "unrelated"
    if _one_weekday_two_anchors(a, b):
        return "equal"
    if a.window is not None or b.window is not None:
        return _compare_window(a, b)
    if a.vague or b.vague:
        return "compatible"
    fields = ("year", "month", "day", "weekday")
    shared = [f for f in fields if getattr(a, f) is not None and getattr(b, f) is not None]
    if not shared:
        return "unrelated"
    if any(getattr(a, f) != getattr(b, f) for f in shared):
        return "different"
    same = all((getattr(a, f) is None) == (getattr(b, f) is None) for f in fields)
    return "equal" if same or {"month", "day"} <= set(shared) else "compatible"


def _anchors_disagree(a: DateValue, b: DateValue) -> bool:
    """A relative date resolved without confidence ("yesterday" in quoted speech,
    "Tuesday" with no tense) against another publication date than the other
    statement's: the two may name one day seen from two days, so they are not
    compared. Read from one publication date, the same words agree."""
    uncertain = (a.anchor is not None and not a.certain) or (b.anchor is not None and not b.certain)
    return uncertain and a.anchor != b.anchor


def _one_weekday_two_anchors(a: DateValue, b: DateValue) -> bool:
    """The same day name read from two publication dates less than a week apart.

    Which way a bare weekday points (the last Friday, today's Friday, the
    coming one) is our reading of the verb, not the text's; from a copy
    published a day or two later the same reading can land a week away. The
    articles give the same day name, so they do not disagree ("Friday" in a
    Friday's article and in Saturday's copy).
    """
    if not (a.named_weekday and b.named_weekday) or a.weekday != b.weekday:
        return False
    if a.anchor is None or b.anchor is None or a.anchor == b.anchor:
        return False
    return abs((a.anchor - b.anchor).days) < 7


def _days(value: DateValue) -> tuple[date, date] | None:
    """First and last day a date can be, when it pins down at least a year and month."""
    if value.window is not None:
        return value.window
    if value.year is None or value.month is None:
        return None
    if value.day is not None and not value.vague:
        day = date(value.year, value.month, value.day)
        return day, day
    first = date(value.year, value.month, 1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _compare_window(a: DateValue, b: DateValue) -> str:
    days_a, days_b = _days(a), _days(b)
    if days_a is None or days_b is None:
        return "compatible"
    if days_a[0] <= days_b[1] and days_b[0] <= days_a[1]:
        return "equal" if days_a == days_b else "compatible"
    return "different"


def resolve(
    text: str, base: date | None, future: bool = False, tense: str = "past", quoted: bool = False
) -> DateValue | None:
    """Meaning of one DATE expression, or None when it is a duration or unknown.

    ``future``: the event is to come ("will", "is set to"), so a bare weekday is
    the coming one, not the last one. ``tense`` of the verb the date belongs to
    (past, future, or "" when neither shows) and ``quoted`` (the words stand in
    quoted speech, said on a day the article may not give) say how sure the
    resolution against the publication date is."""
    lower = " ".join(text.lower().split())
    for word, shift in _RELATIVE_DAYS.items():
        if re.search(rf"\b{word}\b", lower):
            if base is None:
                return DateValue(text=_relative_text(lower))
            meant = base + timedelta(days=shift)
            return DateValue(
                meant.year, meant.month, meant.day, meant.weekday(), anchor=base, certain=not quoted
            )
    weekday = next((i for i, name in enumerate(WEEKDAYS) if re.search(rf"\b{name}\b", lower)), None)
    month_match = _MONTH_RE.search(lower)
    if weekday is not None and month_match is None:
        if base is None:
            return DateValue(weekday=weekday)
        pointed = bool(re.search(r"\b(?:next|last|coming)\b", lower))
        if re.search(r"\bnext\b", lower):
            resolved = base + timedelta(days=(weekday - base.weekday()) % 7 or 7)
        elif future or "coming" in lower:
            resolved = base + timedelta(days=(weekday - base.weekday()) % 7)
        else:
            resolved = base - timedelta(
                days=(base.weekday() - weekday) % 7 or (7 if "last" in lower else 0)
            )
        certain = not quoted and (pointed or future or tense == "past")
        return DateValue(
            resolved.year,
            resolved.month,
            resolved.day,
            weekday,
            anchor=base,
            certain=certain,
            named_weekday=True,
        )
    window = _relative_window(lower, base)
    if window is not None:
        return replace(window, anchor=base, certain=not quoted) if base is not None else window
    if month_match is not None:
        key = month_match.group(1).lower()
        month = _MONTH_ABBR.get(key[:4] if key.startswith("sept") else key[:3])
        year_match = _YEAR_RE.search(lower)
        rest = lower.replace(month_match.group(0), " ")
        if year_match:
            rest = rest.replace(year_match.group(0), " ")
        days = _DAY_RE.findall(rest)
        if days and _DAYS_JOINED.fullmatch(lower):  # the day not beside the month
            days = days[:1] if lower.index(month_match.group(0)) > 0 else days[-1:]
        day = int(days[0]) if days and 1 <= int(days[0]) <= 31 else None
        vague = any(w in lower for w in ("early", "late", "mid", "end of", "beginning"))
        return DateValue(
            int(year_match.group(1)) if year_match else None,
            month,
            None if vague else day,
            weekday,
            False,
        )
    if base is not None and "this month" in lower:
        return DateValue(base.year, base.month, vague=False)
    if base is not None and "last month" in lower:
        previous = base.replace(day=1) - timedelta(days=1)
        return DateValue(previous.year, previous.month)
    year_match = _YEAR_RE.fullmatch(lower.strip())
    if year_match:
        return DateValue(year=int(year_match.group(1)))
    return None


_RELATIVE_DAYS_TEXT = re.compile(r"\b(yesterday|today|tomorrow|tonight|last night)\b")
_PERIOD = re.compile(r"\b(earlier|later|last|this|next|past)\s+(?:this\s+)?(week|month|year)\b")


def _relative_text(lower: str) -> str:
    match = _RELATIVE_DAYS_TEXT.search(lower)
    return match.group(1) if match else lower


def _month_bounds(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _relative_window(lower: str, base: date | None) -> DateValue | None:
    """ "last week", "earlier this month", "later this week": the days they can be."""
    match = _PERIOD.search(lower)
    if match is None:
        return None
    if base is None:
        return DateValue(text=match.group(0))
    which, period = match.groups()
    if period == "year":
        return DateValue(
            year=base.year - (1 if which in ("last", "past") else 0) + (1 if which == "next" else 0)
        )
    if period == "month":
        if which in ("last", "past"):
            previous = base.replace(day=1) - timedelta(days=1)
            return DateValue(previous.year, previous.month)
        if which == "next":
            following = _month_bounds(base)[1] + timedelta(days=1)
            return DateValue(following.year, following.month)
        first, last = _month_bounds(base)
    else:
        monday = base - timedelta(days=base.weekday())
        first, last = monday, monday + timedelta(days=6)
        if which in ("last", "past"):
            first, last = (
                monday - timedelta(days=7),
                base - timedelta(days=1),
            )  # a reporter's "last week" runs on
        elif which == "next":
            first, last = monday + timedelta(days=7), monday + timedelta(days=13)
    if which == "earlier":
        last = max(first, base - timedelta(days=1))
    elif which == "later":
        first = min(last, base + timedelta(days=1))
    return DateValue(window=(first, last))


def _future(verb) -> bool:
    """The event is still to come: "will travel", "is set to travel", "is due to arrive"."""
    for token in (verb, verb.head):
        if any(
            c.dep_ == "aux" and c.lower_ in ("will", "'ll", "shall", "wo") for c in token.children
        ):
            return True
        if token.lemma_.lower() in ("set", "due", "schedule", "slate", "plan", "expect") and any(
            c.dep_ == "xcomp" for c in token.children
        ):
            return True
    return False


def _tense(verb) -> str:
    """ "past" when the verb or its auxiliary is in the past tense ("met", "was
    killed", "has said"), "future" for "will"/"is set to", "" when neither
    shows ("opens", "to meet"): a bare weekday then may point either way."""
    if _future(verb):
        return "future"
    tokens = [verb, *(c for c in verb.children if c.dep_ in ("aux", "auxpass"))]
    if any(t.tag_ in ("VBD", "VBN") for t in tokens):
        return "past"
    return ""


def _event(ent):
    """The verb the date is attached to, and that verb's subject."""
    token = ent.root
    for _ in range(4):
        if token.pos_ in ("VERB",) or token.dep_ == "ROOT":
            break
        token = token.head
    subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
    return token, (subjects[0] if subjects else None)


_MONTH_NAMES = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
# Two days of one month written once ("on 20 and 21 August", "July 9-10"): each a
# date. The patterns above read the day beside the month; this one the other.
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DAY_JOIN = r"\s*(?:and|or|to|-|–)\s*"
_DAYS_JOINED = re.compile(
    rf"(?:\b{_DAY}{_DAY_JOIN}{_DAY}\s+{_MONTH_NAMES}\b\.?"
    rf"|\b{_MONTH_NAMES}\.?\s+{_DAY}{_DAY_JOIN}{_DAY}\b(?!\s*[:.]\d))"
    r"(?:,?\s+(?:19|20)\d\d\b)?",
    re.I,
)


_CALENDAR_DATE = re.compile(
    r"\b(?:(?:last|next|this|coming|past)\s+)?(?:"
    + "|".join(WEEKDAYS)
    + r")\b(?:\s+(?:morning|afternoon|evening|night))?"
    r"|\b(?:yesterday|today|tomorrow|tonight|last\s+night|this\s+(?:morning|afternoon|evening))\b"
    r"|\b(?:earlier|later|last|this|next|past)\s+(?:this\s+)?(?:week|month)\b"
    r"|\b" + _MONTH_NAMES + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?\b(?:,?\s+(?:19|20)\d\d\b)?"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH_NAMES + r"\b\.?(?:,?\s+(?:19|20)\d\d\b)?",
    re.I,
)


def calendar_spans(text: str) -> list[tuple[int, int]]:
    """Spans of day names and month-day dates in ``text``, found by pattern, not by NER."""
    spans = [m.span() for m in _CALENDAR_DATE.finditer(text)]
    return sorted(spans + [m.span() for m in _DAYS_JOINED.finditer(text)])


_DAY_WORD_TITLE = re.compile(r"(?:Today|Tonight|Tomorrow|Yesterday)\b")


def _in_a_name(span) -> bool:
    """A capitalised day word inside a sentence is part of a name, not a date:
    NBC's "Today" show, USA Today, "Good Morning America" ("today" as a date is
    written in lower case except at a sentence's or quotation's start)."""
    if not _DAY_WORD_TITLE.match(span.text):
        return False
    before = span.doc.text[span.sent.start_char : span.start_char].rstrip()
    return bool(before) and before[-1] not in "\"“‘'(—–-:.!?"


def _date_mentions(sent, calendar: list[tuple[int, int]]):
    """Calendar dates found by pattern (NER misses some: "Sunday afternoon" as TIME),
    then the DATE entities that do not overlap them; day words inside names left out."""
    mentions = []
    for start, end in calendar:
        if sent.start_char <= start < sent.end_char:
            span = sent.doc.char_span(start, end, alignment_mode="expand")
            if span is not None:
                mentions.append(span)
    taken = [(m.start_char, m.end_char) for m in mentions]
    for ent in sent.ents:
        if ent.label_ == "DATE" and not any(
            s < ent.end_char and ent.start_char < e for s, e in taken
        ):
            mentions.append(ent)
    return [m for m in mentions if not _in_a_name(m)]


# A page's own time stamp: "Published: April 10, 2007", "21 July 2013 Last
# updated at 11:11 GMT", "Posted on May 2". It says when the page was written,
# not when anything happened, and two outlets' pages (or one outlet's updates)
# differ by nature.
_STAMP_LABEL = re.compile(
    r"\b(?:(?:first|last)\s+)?(?:published|posted|updated|modified)\b(?:\s*(?:on|at)\b|:)?", re.I
)
_STAMP_MAX_WORDS = 16
# What may stand before the label in a stamp: a date and time ("21 July 2013 Last updated").
_STAMP_LEAD = re.compile(
    r"(?:[\W\d_]|\b(?:"
    + "|".join(MONTHS + WEEKDAYS + list(_MONTH_ABBR))
    + r"|mon|tue|tues|wed|thu|thurs|fri|sat|sun|am|pm|a\.m|p\.m|gmt|utc|bst|[ecmp][sd]t)\b)*",
    re.I,
)


def _page_stamp(sent) -> bool:
    """A short line that opens on a publication label ("Published:", "Posted on",
    "Updated"), or on a date and then the label ("21 July 2013 Last updated at
    11:11 GMT"), with no other verb — the article's stamp, not an event. "The
    company posted record profits on Tuesday" (the label is no opening) and
    "The report was published on Monday" (another verb) stay dates of events."""
    words = [t for t in sent if not t.is_punct and not t.is_space]
    label = _STAMP_LABEL.search(sent.text)
    if len(words) > _STAMP_MAX_WORDS or label is None:
        return False
    if not _STAMP_LEAD.fullmatch(sent.text[: label.start()]):
        return False
    labels = {"publish", "post", "update", "modify"}
    return not any(
        t.pos_ in ("VERB", "AUX")
        and t.lemma_.lower() not in labels
        and t.text.lower() not in {"published", "posted", "updated", "modified"}
        for t in words
    )


def extract_dates(
    parsed,
    sent,
    base_offset: int,
    published: date | None,
    doc_id: str,
    index: int,
    sent_span,
    calendar: list[tuple[int, int]],
    quotes: Sequence[tuple[int, int]] = (),
) -> list[Claim]:
    """Date claims of one sentence; ``quotes`` are the quotations' spans in the parsed line."""
    claims: list[Claim] = []
    if _page_stamp(sent):
        return claims
    for ent in _date_mentions(sent, calendar):
        verb, subject = _event(ent)
        quoted = any(s <= ent.start_char < e for s, e in quotes)
        value = resolve(ent.text, published, _future(verb), _tense(verb), quoted)
        if value is None:
            continue
        subject_text = ""
        key = {verb.lemma_.lower()}
        if subject is not None:
            subject_text = (
                subject.text
                if subject.pos_ == "PROPN"
                else " ".join(t.text for t in subject.subtree)[:40]
            )
            key.add(subject.lemma_.lower())
        claims.append(
            Claim(
                kind="date",
                doc=doc_id,
                sentence=index,
                span=sent_span,
                text="",
                mention=(base_offset + ent.start_char, base_offset + ent.end_char),
                subject=f"date: {subject_text} {verb.text}".replace("  ", " ").strip(),
                value=value,
                report_value={"date": value.label(), "as_written": ent.text},
                key=frozenset(key),
                extra={
                    "event": verb.pos_ == "VERB"
                },  # false for a dateline: "May 2, 2013 | 10:04 am"
            )
        )
    return claims
