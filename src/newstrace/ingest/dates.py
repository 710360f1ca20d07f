"""Publication dates as ISO 8601: ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM:SS[+HH:MM]``.

Inputs give dates in every shape: ISO strings, RFC 822 (feeds, e-mail-like
headers), ``time.struct_time`` (feedparser), epoch numbers (JSON dumps), or
prose ("March 11, 2025"). The cheap exact parsers of the standard library run
first; dateparser, which reads prose dates in many languages, is the slow
fallback. A date given without a time stays a date: inventing midnight would
look like information.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")
_MIN_YEAR, _MAX_YEAR = 1800, 2200
# Trying all of dateparser's ~200 locales takes seconds per unparseable string;
# these cover most news in the wild.
_PROSE_LANGUAGES = [
    "en",
    "fr",
    "de",
    "es",
    "it",
    "pt",
    "nl",
    "sv",
    "da",
    "nb",
    "fi",
    "pl",
    "cs",
    "ro",
    "tr",
    "ru",
    "uk",
    "ar",
    "he",
    "id",
]


def iso_date(value: Any) -> str | None:
    """``value`` as an ISO 8601 date or datetime string, or None if it is not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return _format(value, has_time=True)
    if isinstance(value, date):
        return _format(datetime(value.year, value.month, value.day), has_time=False)
    if isinstance(value, time.struct_time):
        return _format(datetime(*value[:6], tzinfo=UTC), has_time=True)
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return _from_epoch(float(value))
    if isinstance(value, str):
        return _from_string(value.strip())
    return None


def _from_string(text: str) -> str | None:
    if not text:
        return None
    if _DATE_ONLY.match(text):
        try:
            return _format(datetime.fromisoformat(text), has_time=False)
        except ValueError:
            return None
    try:
        return _format(datetime.fromisoformat(text), has_time=bool(_HAS_TIME.search(text)))
    except ValueError:
        pass
    try:
        return _format(parsedate_to_datetime(text), has_time=True)
    except (TypeError, ValueError, IndexError):
        pass
    if re.fullmatch(r"\d{9,13}(\.\d+)?", text):
        return _from_epoch(float(text))
    return _from_prose(text)


def _from_prose(text: str) -> str | None:
    import dateparser  # slow to import; only prose dates need it

    parsed = dateparser.parse(
        text[:200], languages=_PROSE_LANGUAGES, settings={"PREFER_DATES_FROM": "past"}
    )
    if parsed is None:
        return None
    return _format(parsed, has_time=bool(_HAS_TIME.search(text)))


def _from_epoch(seconds: float) -> str | None:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000
    try:
        return _format(datetime.fromtimestamp(seconds, tz=UTC), has_time=True)
    except (OverflowError, OSError, ValueError):
        return None


def _format(moment: datetime, has_time: bool) -> str | None:
    if not _MIN_YEAR <= moment.year <= _MAX_YEAR:
        return None
    if not has_time:
        return moment.date().isoformat()
    return moment.isoformat(timespec="seconds")


@dataclass(frozen=True)
class PublishedAt:
    """A document's ``published`` value read once, the same way by every stage.

    ``moment`` is timezone-aware (UTC when the input named no offset);
    ``local_date`` is the calendar day the article gives, in its own offset,
    the day its "yesterday" and "on Monday" are resolved against;
    ``has_time`` says whether a time was given at all: a bare date is only
    evidence about days, never about hours.
    """

    moment: datetime
    local_date: date
    has_time: bool


def published_at(value: str | None) -> PublishedAt | None:
    """Read an ISO 8601 ``published`` string (as ingest writes it); None when absent or unreadable."""
    if not value:
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    has_time = not _DATE_ONLY.match(text)
    local_date = parsed.date()
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return PublishedAt(parsed.astimezone(UTC), local_date, has_time)


def published_day(value: str | None) -> date | None:
    """The calendar day an article gives as published (its "yesterday" counts from it), or None."""
    found = published_at(value)
    return found.local_date if found else None
