"""Saved replies' placeholders: the known four are filled in as plain text, anything else in braces is refused when
the reply is saved, with a message that names it."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from resolution_app.domain.errors import InvalidInput
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.domain.saved_replies import (
    PLACEHOLDERS,
    Placeholder,
    Text,
    checked_body,
    checked_name,
    fill,
    parse,
    placeholders_in,
)

VALUES = {"buyer_name": "Blair Buyer", "product": "Redstone Masterclass", "amount": "$19.00", "case_id": "42"}


def test_every_placeholder_is_filled_in():
    body = "Hi {buyer_name}, your {amount} for {product} (case #{case_id}) is on its way. Bye {buyer_name}!"
    assert fill(body, VALUES) == (
        "Hi Blair Buyer, your $19.00 for Redstone Masterclass (case #42) is on its way. Bye Blair Buyer!"
    )
    assert placeholders_in(body) == ["buyer_name", "amount", "product", "case_id"]


def test_doubled_braces_are_braces():
    assert fill("Use {{code}} and }} or {{ here, {{{buyer_name}}}", VALUES) == (
        "Use {code} and } or { here, {Blair Buyer}"
    )
    assert parse("{{buyer_name}}") == [Text("{buyer_name}")]


def test_parts_come_in_order_with_neighbouring_text_joined():
    assert parse("a {{ b {product}c") == [Text("a { b "), Placeholder("product"), Text("c")]
    assert parse("") == []
    assert parse("{case_id}{case_id}") == [Placeholder("case_id"), Placeholder("case_id")]


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ("Hello {foo}", "Unknown placeholder {foo}."),
        ("Hello {Buyer_Name}", "Unknown placeholder {Buyer_Name}."),
        ("Hello { buyer_name }", "Unknown placeholder { buyer_name }."),
        ("Hello {}", "Unknown placeholder {}."),
        ("{foo} and {bar} and {foo} for {buyer_name}", "Unknown placeholders {foo}, {bar}."),
        ("{buyer_name.__class__}", "Unknown placeholder {buyer_name.__class__}."),
        ("{amount!r} {amount:>9}", "Unknown placeholders {amount!r}, {amount:>9}."),
    ],
)
def test_unknown_placeholders_are_refused_by_name(body, named):
    with pytest.raises(InvalidInput) as refused:
        parse(body)
    assert refused.value.message.startswith(named)
    assert "{buyer_name}, {product}, {amount} or {case_id}" in refused.value.message
    assert refused.value.field == "body"


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("Hi {buyer_name", "The “{” on line 1, character 4, is never closed."),
        ("Hi buyer_name}", "The “}” on line 1, character 14, closes nothing."),
        ("Hello,\n\nyour {refund", "The “{” on line 3, character 6, is never closed."),
        ("{{buyer_name}", "The “}” on line 1, character 13, closes nothing."),
        ("{buyer_{name}}", "The “{” on line 1, character 1, is never closed."),
    ],
)
def test_a_brace_left_alone_is_refused_with_where_it_is(body, said):
    with pytest.raises(InvalidInput, match="^" + said.replace("{", r"\{").replace("}", r"\}")):
        parse(body)


def test_a_long_unknown_placeholder_is_named_shortened_on_one_line():
    with pytest.raises(InvalidInput) as refused:
        parse("{" + "word " * 40 + "\nmore}")
    assert len(refused.value.message) < 250 and "\n" not in refused.value.message


def test_values_are_never_read_for_placeholders_or_markup():
    hostile = {
        **VALUES,
        "buyer_name": "<script>alert(1)</script> **{case_id}** {{x}} [link](javascript:alert(1))",
    }
    assert fill("Hi {buyer_name}!", hostile) == f"Hi {hostile['buyer_name']}!"


def test_name_rules():
    assert checked_name("  Refund   on\tits way ") == "Refund on its way"
    with pytest.raises(InvalidInput, match="Name the reply") as refused:
        checked_name(" \n ")
    assert refused.value.field == "name"
    limit = DEFAULT_POLICY.saved_reply_name_max_chars
    assert checked_name("x" * limit) == "x" * limit
    with pytest.raises(InvalidInput, match=f"at most {limit}"):
        checked_name("x" * (limit + 1))
    with pytest.raises(InvalidInput, match="plain characters"):
        checked_name("bell\x07")


def test_body_rules():
    assert checked_body("  Hi {buyer_name}\x00!\r\n  ") == "Hi {buyer_name}!"
    with pytest.raises(InvalidInput, match="Write the reply's text"):
        checked_body(" \x00 ")
    limit = DEFAULT_POLICY.message_max_chars
    assert len(checked_body("x" * limit)) == limit
    with pytest.raises(InvalidInput, match="too long: at most 5,000 characters"):
        checked_body("x" * (limit + 1))
    with pytest.raises(InvalidInput, match="Unknown placeholder {foo}"):
        checked_body("Hi {foo}")


# --- Properties ---------------------------------------------------------------------------------------------------

braceless = st.text(st.characters(blacklist_characters="{}"), max_size=40)
parts = st.lists(braceless.map(Text) | st.sampled_from(list(PLACEHOLDERS)).map(Placeholder), max_size=12)


def _written(part_list: list) -> str:
    """Parts as a creator would type them."""
    return "".join(p.text if isinstance(p, Text) else f"{{{p.name}}}" for p in part_list)


@given(braceless)
def test_text_without_braces_is_itself(body):
    assert fill(body, VALUES) == body


@given(parts, st.dictionaries(st.sampled_from(list(PLACEHOLDERS)), st.text(max_size=30), min_size=4))
def test_filling_puts_each_value_where_its_placeholder_was(part_list, values):
    expected = "".join(p.text if isinstance(p, Text) else values[p.name] for p in part_list)
    assert fill(_written(part_list), values) == expected


@given(st.text(max_size=80))
def test_any_text_parses_or_is_refused_with_a_message(body):
    try:
        parsed = parse(body)
    except InvalidInput as refused:
        assert refused.message  # a message for the person, never another error
        return
    # What parses is written back the same (with braces doubled), so saving it again keeps it.
    rewritten = "".join(
        p.text.replace("{", "{{").replace("}", "}}") if isinstance(p, Text) else f"{{{p.name}}}" for p in parsed
    )
    assert parse(rewritten) == parsed


@given(st.text(max_size=40), st.text(max_size=40))
def test_braced_values_stay_as_they_are(name, product):
    values = {**VALUES, "buyer_name": "{" + name + "}", "product": product + "{case_id}"}
    assert fill("{buyer_name}|{product}", values) == values["buyer_name"] + "|" + values["product"]
