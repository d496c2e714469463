"""The analytics pages' "Export CSV": every figure of the range, one row per slice (the whole range, each week,
reason, product, day or reviewer), numbers as numbers (percentages and hours to two decimals, money in major units per
currency), names made formula-safe."""

import csv
import io
from collections.abc import Iterable, Iterator

from resolution_app.domain.analytics import DateRange
from resolution_app.domain.csv_cells import safe_cell
from resolution_app.domain.money import to_decimal_string
from resolution_app.models import User
from resolution_app.services.analytics.creator import CreatorFigures, creator_analytics
from resolution_app.services.analytics.review import DecisionFigures, review_analytics

CREATOR_FIGURE_HEADER = [
    "Cases opened",
    "Payments",
    "Claim rate (%)",
    "Refunded cases",
    "Refund rate (%)",
]
CREATOR_LATER_HEADER = [
    "Auto-refunded",
    "Auto-refunded (%)",
    "Escalated",
    "Escalation rate (%)",
    "Answered",
    "First response median (hours)",
    "First response 90th percentile (hours)",
    "Buyer won",
    "Creator won",
    "Partial refund",
    "Withdrawn",
    "Open",
]
REVIEW_HEADER = [
    "Group",
    "Item",
    "Cases in review",
    "Overdue",
    "Decisions",
    "Time to decision median (hours)",
    "Time to decision 90th percentile (hours)",
    "First decisions",
    "Appealed",
    "Appeal rate (%)",
    "Decisions on appeal",
    "Overturned",
    "Overturn rate (%)",
]


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}".rstrip("0").rstrip(".")


def _share(part: int, whole: int) -> str:
    return _number(100 * part / whole) if whole else ""


def _hours(seconds: float | None) -> str:
    return _number(None if seconds is None else seconds / 3600)


def creator_csv(user: User, r: DateRange) -> Iterator[str]:
    """The user's businesses' figures for `r` as CSV text, every product included; NotFound for no business, raised
    before anything is written."""
    analytics = creator_analytics(user, r, product_limit=None)
    currencies = analytics.currencies
    header = ["Group", "Item", *CREATOR_FIGURE_HEADER]
    header += [f"Amount refunded ({code})" for code in currencies] + CREATOR_LATER_HEADER
    slices: list[tuple[str, CreatorFigures, str]] = [("All", analytics.total, f"{r.first} to {r.last}")]
    slices += [("Week", week, week.key) for week in analytics.weeks]
    slices += [("Reason", reason, reason.label) for reason in analytics.reasons]
    slices += [("Product", product, product.label) for product in analytics.products]
    rows = ([group, safe_cell(item), *_creator_cells(f, currencies)] for group, f, item in slices)
    return _chunks([header, *rows])


def _creator_cells(f: CreatorFigures, currencies: list[str]) -> list[str]:
    refunded = {amount.currency: amount.amount_minor for amount in f.refunded_amounts}
    return [
        str(f.cases),
        str(f.payments),
        _share(f.cases, f.payments),
        str(f.refunded),
        _share(f.refunded, f.cases),
        *[to_decimal_string(refunded.get(code, 0), code) for code in currencies],
        str(f.auto_refunded),
        _share(f.auto_refunded, f.cases),
        str(f.escalated),
        _share(f.escalated, f.cases),
        str(f.responded),
        _hours(f.response_median),
        _hours(f.response_p90),
        str(f.buyer_won),
        str(f.creator_won),
        str(f.partial),
        str(f.withdrawn),
        str(f.still_open),
    ]


def review_csv(user: User, r: DateRange) -> Iterator[str]:
    """The review figures for `r` as CSV text; NotFound for anyone but staff, raised before anything is written."""
    analytics = review_analytics(user, r)
    blank_decisions = [""] * (len(REVIEW_HEADER) - 4)
    rows: list[list[str]] = [
        ["All", f"{r.first} to {r.last}", str(analytics.queue_now), str(analytics.overdue_now)]
        + _decision_cells(analytics.total)
    ]
    rows += [["Day", day.day.isoformat(), str(day.size), "", *blank_decisions] for day in analytics.queue_days]
    rows += [["Week", f.key, "", "", *_decision_cells(f)] for f in analytics.weeks]
    rows += [["Decision", safe_cell(f.label), "", "", *_decision_cells(f)] for f in analytics.kinds]
    rows += [["Reviewer", safe_cell(f.label), "", "", *_decision_cells(f)] for f in analytics.reviewers]
    return _chunks([REVIEW_HEADER, *rows])


def _decision_cells(f: DecisionFigures) -> list[str]:
    return [
        str(f.decisions),
        _hours(f.median),
        _hours(f.p90),
        str(f.first_decisions),
        str(f.appealed),
        _share(f.appealed, f.first_decisions),
        str(f.appeal_decisions),
        str(f.overturned),
        _share(f.overturned, f.appeal_decisions),
    ]


def _chunks(rows: Iterable[list[str]]) -> Iterator[str]:
    """The rows as CSV text (RFC 4180: CRLF, quoted where needed), in one chunk: a year's figures are a few KB."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    yield buffer.getvalue()


def file_name(prefix: str, r: DateRange) -> str:
    """E.g. analytics-2026-08-25-to-2026-11-22.csv."""
    return f"{prefix}-{r.first.isoformat()}-to-{r.last.isoformat()}.csv"
