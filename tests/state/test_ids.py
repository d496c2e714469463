"""Ids and page numbers come from URLs and browsers: only sane positive numbers pass."""

import pytest

from resolution_app.state.ids import page_number, parse_id


@pytest.mark.parametrize(
    ("raw", "page"), [("3", 3), (2, 2), (None, 1), ("", 1), ("0", 1), (-4, 1), ("9" * 7, 1), ("x", 1)]
)
def test_page_numbers(raw, page):
    assert page_number(raw) == page


@pytest.mark.parametrize(("raw", "row_id"), [("7", 7), ("0", None), ("2147483648", None), ("../1", None), (None, None)])
def test_row_ids(raw, row_id):
    assert parse_id(raw) == row_id
