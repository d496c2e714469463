"""Text people write keeps its lines and loses invisible control characters (PostgreSQL refuses NUL in text)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from resolution_app.domain.claims import validate_description, validate_message
from resolution_app.domain.errors import InvalidInput
from resolution_app.domain.text import has_control_characters, linked_parts, written


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("two\nlines\tand a tab", "two\nlines\tand a tab"),
        ("win\r\ndows", "win\ndows"),
        ("nul\x00 byte", "nul byte"),
        ("escape \x1b[31mred", "escape [31mred"),
        ("delete\x7f", "delete"),
    ],
)
def test_written_keeps_lines_and_tabs_and_drops_the_rest(typed, kept):
    assert written(typed) == kept
    assert not has_control_characters(kept.replace("\n", "").replace("\t", ""))


def test_a_description_of_control_characters_is_too_short_not_a_crash():
    with pytest.raises(InvalidInput, match="at least"):
        validate_description("\x00" * 40)
    assert validate_description("The course\x00 is missing its modules.") == "The course is missing its modules."


def test_a_message_of_nothing_visible_is_no_message():
    with pytest.raises(InvalidInput, match="Write a message"):
        validate_message("\x00\x01 \x02")


@given(st.text())
def test_linked_parts_keep_every_character_and_link_only_http(text):
    parts = linked_parts(text)
    assert "".join(part for part, _ in parts) == text
    assert all(url == part and url.lower().startswith(("http://", "https://")) for part, url in parts if url)


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("See https://example.com/a?b=1.", ["https://example.com/a?b=1"]),
        ("(http://x.io/y)", ["http://x.io/y"]),
        ("javascript:alert(1) and data:text/html,hi", []),
        ("two: http://a.io, https://b.io!", ["http://a.io", "https://b.io"]),
    ],
)
def test_links_are_found_without_their_trailing_punctuation(text, links):
    assert [url for _, url in linked_parts(text) if url] == links
