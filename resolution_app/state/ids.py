"""Ids come from the URL or the browser: anything but the digits of a row id is no id at all."""

from resolution_app.domain.ids import is_row_id


def parse_id(raw: object) -> int | None:
    text = str(raw or "")
    return int(text) if text.isdigit() and len(text) < 12 and is_row_id(int(text)) else None


def page_number(raw: object) -> int:
    """A page number from the URL or the browser: a positive number of up to six digits, else the first page."""
    text = str(raw or "")
    return int(text) if text.isdigit() and len(text) < 7 and int(text) > 0 else 1
