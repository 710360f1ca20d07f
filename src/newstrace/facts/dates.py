"""Dates of events: absolute ("October 7", "Oct. 7, 2023") and relative ("on
Tuesday", "last Friday", "yesterday"), resolved against the publication date.

spaCy marks DATE entities but misses some (a day name inside "Sunday
afternoon" comes out as TIME), so calendar dates are also found by pattern.
What they mean is worked out by hand rather than with dateparser: a news
report's "on Tuesday" is the Tuesday on or before the date of publication
(after it with "next"), "yesterday" the day before, and a date may pin down
only some fields (a weekday, a month and day without a year), which
dateparser would fill in with guesses from today's date. Two dates are
compared on the fields both pin down. Durations ("two days") are quantities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from newstrace.facts.claims import Claim

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december"]
_MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(MONTHS)} | {"sept": 9}
_MONTH_RE = re.compile(r"\b(" + "|".join(MONTHS + list(_MONTH_ABBR)) + r")\.?\b", re.I)
_YEAR_RE = re.compile(r"\b(19\d\d|20\d\d)\b")
_DAY_RE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\b")
_RELATIVE_DAYS = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0}


@dataclass(frozen=True)
class DateValue:
    """What a date expression pins down; fields it leaves open are None."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    vague: bool = False  # "earlier this month", "last week": only roughly placed

    def label(self) -> str:
        if self.year and self.month and self.day:
            text = f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
            return text + (f" ({WEEKDAYS[self.weekday].title()})" if self.weekday is not None else "")
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
    ``unrelated`` (nothing in common to compare: "2009" / "Tuesday")."""
    if a.vague or b.vague:
        return "compatible"
    fields = ("year", "month", "day", "weekday")
    shared = [f for f in fields if getattr(a, f) is not None and getattr(b, f) is not None]
    if not shared:
        return "unrelated"
    if any(getattr(a, f) != getattr(b, f) for f in shared):
        return "different"
    same = all((getattr(a, f) is None) == (getattr(b, f) is None) for f in fields)
    return "equal" if same else "compatible"


def publication_date(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return datetime.fromisoformat(published.replace("Z", "+00:00")[:25]).date()
    except ValueError:
        try:
            return date.fromisoformat(published[:10])
        except ValueError:
            return None


def resolve(text: str, base: date | None) -> DateValue | None:
    """Meaning of one DATE expression, or None when it is a duration or unknown."""
    lower = text.lower()
    for word, shift in _RELATIVE_DAYS.items():
        if re.search(rf"\b{word}\b", lower):
            if base is None:
                return None
            day = base + timedelta(days=shift)
            return DateValue(day.year, day.month, day.day, day.weekday())
    weekday = next((i for i, name in enumerate(WEEKDAYS) if re.search(rf"\b{name}\b", lower)), None)
    month_match = _MONTH_RE.search(lower)
    if weekday is not None and month_match is None:
        if base is None:
            return DateValue(weekday=weekday)
        delta = (base.weekday() - weekday) % 7
        if "next" in lower or "coming" in lower:
            day = base + timedelta(days=(weekday - base.weekday()) % 7 or 7)
        else:
            day = base - timedelta(days=delta)
        return DateValue(day.year, day.month, day.day, weekday)
    if month_match is not None:
        key = month_match.group(1).lower()
        month = _MONTH_ABBR.get(key[:4] if key.startswith("sept") else key[:3])
        year_match = _YEAR_RE.search(lower)
        rest = lower.replace(month_match.group(0), " ")
        if year_match:
            rest = rest.replace(year_match.group(0), " ")
        day_match = _DAY_RE.search(rest)
        day = int(day_match.group(1)) if day_match and 1 <= int(day_match.group(1)) <= 31 else None
        vague = any(w in lower for w in ("early", "late", "mid", "end of", "beginning"))
        return DateValue(int(year_match.group(1)) if year_match else None, month, None if vague else day, weekday, False)
    if base is not None and "this month" in lower:
        return DateValue(base.year, base.month, vague=False)
    if base is not None and "last month" in lower:
        previous = base.replace(day=1) - timedelta(days=1)
        return DateValue(previous.year, previous.month)
    year_match = _YEAR_RE.fullmatch(lower.strip())
    if year_match:
        return DateValue(year=int(year_match.group(1)))
    return None


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
_CALENDAR_DATE = re.compile(
    r"\b(?:" + "|".join(WEEKDAYS) + r")\b"
    r"|\b" + _MONTH_NAMES + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?\b(?:,?\s+(?:19|20)\d\d\b)?"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH_NAMES + r"\b\.?(?:,?\s+(?:19|20)\d\d\b)?",
    re.I,
)


def calendar_spans(text: str) -> list[tuple[int, int]]:
    """Spans of day names and month-day dates in ``text``, found by pattern, not by NER."""
    return [m.span() for m in _CALENDAR_DATE.finditer(text)]


def _date_mentions(sent, calendar: list[tuple[int, int]]):
    """Calendar dates found by pattern (NER misses some: "Sunday afternoon" as TIME),
    then the DATE entities that do not overlap them."""
    mentions = []
    for start, end in calendar:
        if sent.start_char <= start < sent.end_char:
            span = sent.doc.char_span(start, end, alignment_mode="expand")
            if span is not None:
                mentions.append(span)
    taken = [(m.start_char, m.end_char) for m in mentions]
    for ent in sent.ents:
        if ent.label_ == "DATE" and not any(s < ent.end_char and ent.start_char < e for s, e in taken):
            mentions.append(ent)
    return mentions


def extract_dates(parsed, sent, base_offset: int, published: date | None, doc_id: str, index: int, sent_span,
                  calendar: list[tuple[int, int]]) -> list[Claim]:
    claims = []
    for ent in _date_mentions(sent, calendar):
        value = resolve(ent.text, published)
        if value is None:
            continue
        verb, subject = _event(ent)
        subject_text = ""
        key = {verb.lemma_.lower()}
        if subject is not None:
            subject_text = subject.text if subject.pos_ == "PROPN" else " ".join(t.text for t in subject.subtree)[:40]
            key.add(subject.lemma_.lower())
        claims.append(Claim(
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
            extra={"event": verb.pos_ == "VERB"},  # false for a dateline: "May 2, 2013 | 10:04 am"
        ))
    return claims
