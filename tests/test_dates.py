"""One reader of ``published`` for every stage: the article's own day, an aware moment, and whether a time was given."""

from datetime import UTC, date, datetime

import pytest

from newstrace.ingest.dates import iso_date, published_at, published_day


@pytest.mark.parametrize(
    ("value", "moment", "day", "has_time"),
    [
        ("2024-10-23", datetime(2024, 10, 23, tzinfo=UTC), date(2024, 10, 23), False),
        # late evening in New York is already the next day in UTC; the article's day is its own
        (
            "2024-10-23T23:30:00-05:00",
            datetime(2024, 10, 24, 4, 30, tzinfo=UTC),
            date(2024, 10, 23),
            True,
        ),
        ("2024-10-23T10:00:00Z", datetime(2024, 10, 23, 10, tzinfo=UTC), date(2024, 10, 23), True),
        ("2024-10-23T10:00:00", datetime(2024, 10, 23, 10, tzinfo=UTC), date(2024, 10, 23), True),
    ],
)
def test_published_at_reads_what_ingest_writes(value, moment, day, has_time):
    found = published_at(value)
    assert found is not None
    assert (found.moment, found.local_date, found.has_time) == (moment, day, has_time)


@pytest.mark.parametrize("value", [None, "", "yesterday", "2024-13-45"])
def test_published_at_is_none_for_what_is_not_a_date(value):
    assert published_at(value) is None


def test_round_trip_through_ingest_keeps_the_offset_and_the_day():
    written = iso_date("Wed, 23 Oct 2024 23:30:00 -0500")
    found = published_at(written)
    assert found is not None and found.local_date == date(2024, 10, 23) and found.has_time


def test_published_day_is_the_articles_own_day():
    assert published_day("2024-10-23T23:30:00-05:00") == date(2024, 10, 23)
    assert published_day(None) is None
