"""The creator's CSV export as cells: the header, one case's row, and formula-safe text."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import NamedTuple

from resolution_app.domain.enums import REASON_LABELS, STATUS_LABELS
from resolution_app.domain.money import to_decimal_string
from resolution_app.domain.next_step import someones_deadline
from resolution_app.domain.partial_refunds import payment_status_label

# A spreadsheet runs a cell starting with these as a formula (CSV injection); tab and CR start one in some apps.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

EXPORT_HEADER: list[str] = [
    "Case ID",
    "Reason",
    "Customer name",
    "Customer email",
    "Customer username",
    "Product",
    "Amount",
    "Currency",
    "Status",
    "Opened",
    "Due",
    "Resolved",
    "Refunded",
    "Payment status",
]


class ExportRow(NamedTuple):
    """A case as the export reads it from the database, in its columns' order: values, not labels."""

    id: int
    reason: str  # a Reason value
    amount_minor: int
    currency: str
    status: str  # a CaseStatus value
    opened_at: datetime
    due_at: datetime | None
    resolved_at: datetime | None
    customer_name: str
    customer_email: str
    customer_username: str
    product: str
    payment_status: str  # a PaymentStatus value
    refunded_minor: int  # of the payment: all of it, part of it, or none


def safe_cell(value: str) -> str:
    """The text as a spreadsheet shows it, never runs it: a leading quote makes a would-be formula plain text."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def iso_utc(moment: datetime | None) -> str:
    """E.g. 2026-11-22T12:00:00+00:00; empty for no date. Whole seconds: sub-second noise helps no reader."""
    return moment.astimezone(UTC).isoformat(timespec="seconds") if moment else ""


# The labels people read, made safe once rather than once per row.
_REASON_CELLS = {reason.value: safe_cell(label) for reason, label in REASON_LABELS.items()}
_STATUS_CELLS = {status.value: safe_cell(label) for status, label in STATUS_LABELS.items()}


def export_cells(case: ExportRow | Sequence) -> list[str]:
    """One case as the export's cells, in EXPORT_HEADER's order: what the table shows in its row.

    Any row in ExportRow's order will do: the query's rows are unpacked by position, which for 100,000 rows is
    much cheaper than reading each field by name.
    """
    case_id, reason, amount_minor, currency, status, opened_at, due_at, resolved_at, *texts = case
    name, email, username, product, payment_status, refunded_minor = texts
    # Only the text people typed (names, products) or that comes from labels goes through safe_cell: the amount
    # and dates are ours, and quoting a negative amount would break it as a number.
    return [
        str(case_id),
        _REASON_CELLS[reason],
        safe_cell(name),
        safe_cell(email),
        safe_cell(username),
        safe_cell(product),
        to_decimal_string(amount_minor, currency),
        currency,
        _STATUS_CELLS[status],
        iso_utc(opened_at),
        iso_utc(someones_deadline(status, due_at)),
        iso_utc(resolved_at),
        to_decimal_string(refunded_minor, currency),
        payment_status_label(payment_status, amount_minor, refunded_minor, currency),  # our label: safe as it is
    ]
