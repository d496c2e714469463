"""The picker puts a reply where the person's cursor was: the browser counts UTF-16 code units, Python characters."""

import pytest

from resolution_app.state.saved_reply_picker import _caret


@pytest.mark.parametrize(
    ("position", "index"),
    [
        (0, 0),
        (1, 1),  # after "a"
        (3, 2),  # after "a" and the emoji, which is two units in the browser and one character here
        (4, 3),
        (5, 4),  # the end
        (2, 2),  # within the emoji's two units: after it, never between its halves
        (99, 4),  # past the end: the end
        (-1, 4),  # the box was not there: the end
        (True, 4),
        ("1", 4),
        (None, 4),
    ],
)
def test_a_browser_position_becomes_an_index_in_the_text(position, index):
    assert _caret(position, "a😀bc") == index
