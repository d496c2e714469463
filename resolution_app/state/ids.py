"""Ids come from the URL or the browser: anything but a positive integer is no id at all."""


def parse_id(raw: object) -> int | None:
    text = str(raw or "")
    return int(text) if text.isdigit() and len(text) < 12 and int(text) > 0 else None
