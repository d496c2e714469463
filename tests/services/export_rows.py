"""The CSV export as a reader sees it, and the Resolution center table in the same shape, to compare the two."""

import csv
import io

from resolution_app.domain.csv_cells import EXPORT_HEADER, iso_utc, safe_cell
from resolution_app.domain.money import to_decimal_string
from resolution_app.models import User
from resolution_app.services.creator.creator_cases import CaseFilter, CaseRow, list_cases


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def table_rows(user: User, f: CaseFilter) -> list[list[str]]:
    """What the table shows for `f`, all on one page, as the export's header and rows."""
    return [EXPORT_HEADER] + [_cells(row) for row in list_cases(user, f, page_size=500).rows]


def _cells(row: CaseRow) -> list[str]:
    """A row of the table as the export should write it: the labels and dates the page shows, made safe."""
    texts = (row.reason, row.customer_name, row.customer_email, row.customer_username, row.product)
    amount = to_decimal_string(row.amount_minor, row.currency)
    dates = (iso_utc(row.opened_at), iso_utc(row.due_at), iso_utc(row.resolved_at))
    refunded = to_decimal_string(row.refunded_minor, row.currency)
    status = safe_cell(row.status_label)
    return [
        str(row.case_id),
        *map(safe_cell, texts),
        amount,
        row.currency,
        status,
        *dates,
        refunded,
        row.payment_status,
    ]
