"""The analytics' date-range rules and how their figures read (domain/analytics.py)."""

from datetime import UTC, date, datetime

import pytest

from resolution_app.domain.analytics import (
    DateRange,
    decision_label,
    default_range,
    duration_label,
    per_payment_label,
    percent,
    percent_label,
    range_from_query,
    weeks,
)
from resolution_app.domain.enums import DECISIONS
from resolution_app.domain.errors import InvalidInput

NOW = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)  # already Monday Nov 23 in Berlin


def test_the_default_is_the_last_90_days_of_the_viewers_calendar():
    assert default_range(NOW, "UTC") == DateRange(date(2026, 8, 25), date(2026, 11, 22), "UTC")
    assert default_range(NOW, "Europe/Berlin") == DateRange(date(2026, 8, 26), date(2026, 11, 23), "Europe/Berlin")


def test_a_range_runs_from_the_viewers_midnight_to_the_next_after_its_last_day():
    r = DateRange(date(2026, 11, 1), date(2026, 11, 1), "America/Los_Angeles")
    assert r.start == datetime(2026, 11, 1, 7, 0, tzinfo=UTC)  # PDT until 2 am that day
    assert r.end == datetime(2026, 11, 2, 8, 0, tzinfo=UTC)  # PST after: the day had 25 hours
    assert r.days == 1


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("", "", (date(2026, 8, 25), date(2026, 11, 22))),
        ("2026-11-01", "2026-11-07", (date(2026, 11, 1), date(2026, 11, 7))),
        ("2026-11-01", "", (date(2026, 11, 1), date(2026, 11, 22))),  # a recent start runs to today
        ("2026-01-01", "", (date(2026, 1, 1), date(2026, 3, 31))),  # an old one: 90 days
        ("2027-01-05", "", (date(2027, 1, 5), date(2027, 1, 5))),  # a future one: that day
        ("", "2026-06-30", (date(2026, 4, 2), date(2026, 6, 30))),  # an end alone: the 90 days before it
    ],
)
def test_a_query_names_a_range_or_takes_the_defaults(first, last, expected):
    r = range_from_query(first, last, "UTC", NOW)
    assert (r.first, r.last) == expected


@pytest.mark.parametrize(
    ("first", "last", "zone", "message"),
    [
        ("2026-11-31", "", "UTC", "Dates look like 2026-11-22."),
        ("yesterday", "", "UTC", "Dates look like 2026-11-22."),
        ("2026-11-22", "2026-11-01", "UTC", "The start date is after the end date."),
        ("2025-11-21", "2026-11-22", "UTC", "Choose at most 366 days."),
        ("1999-12-31", "2000-01-31", "UTC", "Dates go from 2000-01-01 to 2999-12-31."),
        ("9999-12-31", "", "UTC", "Dates go from 2000-01-01 to 2999-12-31."),  # no 90 days after it
        ("", "", "Mars/Olympus", "Unknown time zone."),
        ("", "", "../../etc/passwd", "Unknown time zone."),
    ],
)
def test_a_bad_range_says_why(first, last, zone, message):
    with pytest.raises(InvalidInput) as refused:
        range_from_query(first, last, zone, NOW)
    assert refused.value.message == message


def test_a_year_is_the_longest_range():
    assert DateRange(date(2024, 1, 1), date(2024, 12, 31)).days == 366  # a leap year


def test_weeks_are_the_mondays_of_every_week_the_range_touches():
    assert weeks(DateRange(date(2026, 11, 4), date(2026, 11, 16))) == [
        date(2026, 11, 2),
        date(2026, 11, 9),
        date(2026, 11, 16),
    ]
    assert weeks(DateRange(date(2026, 11, 2), date(2026, 11, 8))) == [date(2026, 11, 2)]


def test_shares_and_durations_read_plainly():
    assert percent(1, 3) == 33.3
    assert percent(0, 0) is None
    assert (percent_label(1, 8), percent_label(2, 2), percent_label(5, 0)) == ("12.5%", "100%", "—")
    assert per_payment_label(3, 120) == "2.5% (3 of 120 payments)"
    assert per_payment_label(3, 0) == "—"
    assert [duration_label(s) for s in (None, 30, 2700, 5 * 3600, 47.9 * 3600, 3.25 * 86400)] == [
        "—",
        "0\u00a0min",
        "45\u00a0min",
        "5.0\u00a0h",
        "47.9\u00a0h",
        "3.2\u00a0days",  # a number and its unit never part at the end of a line
    ]


def test_every_decision_has_a_label():
    assert {decision_label(kind) for kind in DECISIONS} == {
        "Refund (creator pays)",
        "Credit buyer balance",
        "Creator wins",
        "Partial refund",
    }
    assert decision_label("decide_something_new") == "Something new"
