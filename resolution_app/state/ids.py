"""Ids come from the URL or the browser: anything but the digits of a row id is no id at all."""

from resolution_app.domain.ids import is_row_id


def parse_id(raw: object) -> int | None:
    text = str(raw or "")
    return int(text) if text.isdigit() and len(text) < 12 and is_row_id(int(text)) else None
