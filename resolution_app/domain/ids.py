"""Ids of stored rows. They come from URLs and browsers, so anything may arrive; only a positive integer the
database's INTEGER keys can hold names a row at all (anything else is "not found", never a database error)."""

MAX_ID = 2**31 - 1


def is_row_id(value: object) -> bool:
    return type(value) is int and 0 < value <= MAX_ID
