"""The analytics pages' rules without I/O: which days a date range covers in the viewer's time zone, its weeks and
days, and how shares and durations read."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from resolution_app.domain.enums import CaseAction
from resolution_app.domain.errors import InvalidInput

DEFAULT_DAYS = 90  # the pages open on the last 90 days, today included
MAX_DAYS = 366  # a year at most: longer ranges make unreadable charts (and ask the database for years of cases)
# The dates a range may name: the platform's whole life, with room (as the creator table's filter).
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2999, 12, 31)


def zone_of(time_zone: str) -> ZoneInfo:
    try:
        return ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput("Unknown time zone.") from None


@dataclass(frozen=True)
class DateRange:
    """The calendar days from `first` to `last` (both included) as the viewer's clock counts them."""

    first: date
    last: date
    time_zone: str = "UTC"

    def __post_init__(self) -> None:
        zone_of(self.time_zone)
        for day in (self.first, self.last):
            if not FIRST_DAY <= day <= LAST_DAY:
                raise InvalidInput(f"Dates go from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}.")
        if self.first > self.last:
            raise InvalidInput("The start date is after the end date.")
        if self.days > MAX_DAYS:
            raise InvalidInput(f"Choose at most {MAX_DAYS} days.")

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def start(self) -> datetime:
        """The first moment of the range (inclusive), aware."""
        return datetime.combine(self.first, time.min, tzinfo=zone_of(self.time_zone))

    @property
    def end(self) -> datetime:
        """The first moment after the range (exclusive), aware: midnight starting the day after `last`."""
        return datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=zone_of(self.time_zone))


def today_in(now: datetime, time_zone: str) -> date:
    return now.astimezone(zone_of(time_zone)).date()


def default_range(now: datetime, time_zone: str) -> DateRange:
    """The last DEFAULT_DAYS days, today (in the viewer's zone) the last of them."""
    today = today_in(now, time_zone)
    return DateRange(first=today - timedelta(days=DEFAULT_DAYS - 1), last=today, time_zone=time_zone)


def range_from_query(first: str, last: str, time_zone: str, now: datetime) -> DateRange:
    """The range a page's "From" and "To" (or an export link) name; either left empty takes the default's day, and
    a start given alone runs to today (or DEFAULT_DAYS days on, if it is that long ago)."""
    zone_of(time_zone or "UTC")
    default = default_range(now, time_zone or "UTC")
    first_day, last_day = _day(first), _day(last)
    if first_day and not last_day:
        last_day = min(default.last, first_day + timedelta(days=DEFAULT_DAYS - 1))
        last_day = max(last_day, first_day)
    if last_day and not first_day:
        first_day = last_day - timedelta(days=DEFAULT_DAYS - 1)
    return DateRange(first=first_day or default.first, last=last_day or default.last, time_zone=time_zone or "UTC")


def _day(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("Dates look like 2026-11-22.") from None
    if not FIRST_DAY <= day <= LAST_DAY:  # before any arithmetic: a day after 9999-12-31 has no date
        raise InvalidInput(f"Dates go from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}.")
    return day


def week_of(day: date) -> date:
    """The Monday that starts the day's week (ISO weeks, as PostgreSQL's date_trunc('week', …) counts them)."""
    return day - timedelta(days=day.weekday())


def weeks(r: DateRange) -> list[date]:
    """The Mondays of every week the range touches: its first and last weeks may be partly outside it."""
    monday, found = week_of(r.first), []
    while monday <= r.last:
        found.append(monday)
        monday += timedelta(days=7)
    return found


def days(r: DateRange) -> list[date]:
    return [r.first + timedelta(days=n) for n in range(r.days)]


def percent(part: int, whole: int) -> float | None:
    """`part` of `whole` in percent, to one decimal; None when there is no whole to take a share of."""
    return round(100 * part / whole, 1) if whole else None


def percent_label(part: int, whole: int) -> str:
    share = percent(part, whole)
    return "—" if share is None else f"{share:g}%"


def share_label(part: int, whole: int) -> str:
    """A share with what it is of: "25% (3 of 12)", or "—" of nothing."""
    return f"{percent_label(part, whole)} ({part:,} of {whole:,})" if whole else "—"


@dataclass(frozen=True)
class SummaryCard:
    """One headline figure of an analytics page."""

    label: str
    value: str
    detail: str


def per_payment_label(cases: int, payments: int) -> str:
    """The claim rate, as a share of payments: "2.5% (3 cases / 120 payments)"."""
    return f"{percent_label(cases, payments)} ({cases:,} of {payments:,} payments)" if payments else "—"


def hours(seconds: float | None) -> float | None:
    """Seconds in hours to one decimal, for a chart's axis; None stays None (nothing to measure)."""
    return None if seconds is None else round(seconds / 3600, 1)


NBSP = "\u00a0"  # a number and its unit, a month and its day: never split across two lines of a narrow table


def duration_label(seconds: float | None) -> str:
    """A duration people read at a glance: "45 min", "5.5 h", "3.2 days"; a dash for none."""
    if seconds is None:
        return "—"
    if seconds < 3600:
        return f"{max(0, round(seconds / 60)):.0f}{NBSP}min"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.1f}{NBSP}h"
    return f"{seconds / 86400:.1f}{NBSP}days"


def short_day(day: date) -> str:
    """A chart's axis label: "Nov 17"."""
    return f"{day:%b}{NBSP}{day.day}"


# A reviewer's decisions as the analytics name them: the buttons' words.
DECISION_LABELS: dict[str, str] = {
    CaseAction.DECIDE_REFUND.value: "Refund (creator pays)",
    CaseAction.DECIDE_CREDIT.value: "Credit buyer balance",
    CaseAction.DECIDE_MERCHANT_WINS.value: "Creator wins",
    CaseAction.DECIDE_PARTIAL_REFUND.value: "Partial refund",
}


def decision_label(kind: str) -> str:
    return DECISION_LABELS.get(kind, kind.removeprefix("decide_").replace("_", " ").capitalize())
