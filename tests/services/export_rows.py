"""The CSV export as a reader sees it, and the Resolution center table in the same shape, to compare the two."""

import csv
import io

from resolution_app.domain.csv_cells import EXPORT_HEADER, export_cells
from resolution_app.models import User
from resolution_app.services.creator_cases import CaseFilter, list_cases


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def table_rows(user: User, f: CaseFilter) -> list[list[str]]:
    """What the table shows for `f`, all on one page, as the export's header and rows."""
    return [EXPORT_HEADER] + [export_cells(row) for row in list_cases(user, f, page_size=500).rows]
