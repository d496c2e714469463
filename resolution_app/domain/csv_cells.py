"""The creator's CSV export as cells: the header, one case's row, and formula-safe text."""

from datetime import UTC, datetime
from typing import Protocol

from resolution_app.domain.money import to_decimal_string

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
]


class ExportableCase(Protocol):
    """What a row of the export needs; the services' CaseRow has it."""

    @property
    def case_id(self) -> int: ...
    @property
    def reason(self) -> str: ...  # the label people read
    @property
    def customer_name(self) -> str: ...
    @property
    def customer_email(self) -> str: ...
    @property
    def customer_username(self) -> str: ...
    @property
    def product(self) -> str: ...
    @property
    def amount_minor(self) -> int: ...
    @property
    def currency(self) -> str: ...
    @property
    def status_label(self) -> str: ...
    @property
    def opened_at(self) -> datetime: ...
    @property
    def due_at(self) -> datetime | None: ...
    @property
    def resolved_at(self) -> datetime | None: ...


def safe_cell(value: str) -> str:
    """The text as a spreadsheet shows it, never runs it: a leading quote makes a would-be formula plain text."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def iso_utc(moment: datetime | None) -> str:
    """E.g. 2026-11-22T12:00:00+00:00; empty for no date. Whole seconds: sub-second noise helps no reader."""
    return moment.astimezone(UTC).isoformat(timespec="seconds") if moment else ""


def export_cells(case: ExportableCase) -> list[str]:
    """One case as the export's cells, in EXPORT_HEADER's order."""
    # Only the text people typed (names, products) or that comes from labels goes through safe_cell: the amount
    # and dates are ours, and quoting a negative amount would break it as a number.
    return [
        str(case.case_id),
        safe_cell(case.reason),
        safe_cell(case.customer_name),
        safe_cell(case.customer_email),
        safe_cell(case.customer_username),
        safe_cell(case.product),
        to_decimal_string(case.amount_minor, case.currency),
        case.currency,
        safe_cell(case.status_label),
        iso_utc(case.opened_at),
        iso_utc(case.due_at),
        iso_utc(case.resolved_at),
    ]
