"""The creator's CSV export of the Resolution center table, streamed in chunks."""

import csv
import io
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from resolution_app.domain.csv_cells import EXPORT_HEADER, export_cells
from resolution_app.infra.clock import clock
from resolution_app.models import User
from resolution_app.services.creator import creator_cases
from resolution_app.services.creator.creator_cases import CaseFilter

ROWS_PER_CHUNK = 1000  # one page of the database's rows, ~200 KB of text: memory stays flat however many rows


def export_cases_csv(user: User, f: CaseFilter) -> Iterator[str]:
    """The header, then the user's businesses' cases matching `f` in the table's order, as CSV text chunks.

    Someone who is no member of a business gets the header alone, as does a filter that matches nothing.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # quotes cells with commas, quotes or line breaks; lines end in CRLF (RFC 4180)
    writer.writerow(EXPORT_HEADER)
    yield _drain(buffer)  # before the first page is read, so even a slow query shows a download under way
    for page in creator_cases.iter_pages(user, f, ROWS_PER_CHUNK):
        writer.writerows(map(export_cells, page))
        yield _drain(buffer)


def export_file_name(f: CaseFilter) -> str:
    """E.g. resolutions-2026-11-22.csv, dated in the viewer's time zone."""
    return f"resolutions-{clock.now().astimezone(ZoneInfo(f.time_zone)).date().isoformat()}.csv"


def _drain(buffer: io.StringIO) -> str:
    """What was written since the last drain; the buffer is emptied so it never grows past one chunk."""
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
