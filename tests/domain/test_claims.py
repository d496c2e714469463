"""What people write into a case: the claim's reason and description, and chat messages (DESIGN §2)."""

import pytest

from resolution_app.domain.claims import validate_description, validate_message, validate_reason
from resolution_app.domain.enums import REASON_LABELS, Reason
from resolution_app.domain.errors import InvalidInput
from resolution_app.domain.policy import Policy

TOO_SHORT = "Describe the issue in at least 20 characters."
TOO_LONG = "The description is too long: at most 5,000 characters."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x" * 20, "x" * 20),
        ("x" * 5000, "x" * 5000),
        ("  " + "x" * 20 + "\n\n", "x" * 20),  # blanks around don't count, and aren't kept
        ("The course videos never loaded.", "The course videos never loaded."),
        ("é" * 20, "é" * 20),  # characters, not bytes
    ],
)
def test_a_description_within_bounds_is_kept_stripped(text: str, expected: str) -> None:
    assert validate_description(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", TOO_SHORT),
        ("x" * 19, TOO_SHORT),
        ("   " + "x" * 19 + "   ", TOO_SHORT),
        (" " * 40, TOO_SHORT),
        ("x" * 5001, TOO_LONG),
        ("x" * 10_000, TOO_LONG),
    ],
)
def test_a_description_out_of_bounds_is_refused(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        validate_description(text)
    assert raised.value.message == message


def test_description_bounds_come_from_the_policy() -> None:
    policy = Policy(description_min_chars=5, description_max_chars=1200)
    assert validate_description("12345", policy) == "12345"
    with pytest.raises(InvalidInput, match="at least 5 characters"):
        validate_description("1234", policy)
    with pytest.raises(InvalidInput, match="at most 1,200 characters"):
        validate_description("x" * 1201, policy)


@pytest.mark.parametrize("reason", Reason)
def test_every_reason_value_is_accepted(reason: Reason) -> None:
    assert validate_reason(reason.value) is reason
    assert validate_reason(f" {reason.value} ") is reason


def test_reason_values_and_labels_match_the_design() -> None:
    assert {reason.value: REASON_LABELS[reason] for reason in Reason} == {
        "product_unacceptable": "Product unacceptable",
        "product_not_received": "Product not received",
        "not_as_described": "Product not as described",
        "canceled_before_payment": "Canceled before payment",
        "unauthorized_transaction": "Unauthorized transaction",
    }


@pytest.mark.parametrize("value", ["", "  ", "Product unacceptable", "PRODUCT_UNACCEPTABLE", "other", None, 3])
def test_anything_else_asks_for_a_reason(value: object) -> None:
    with pytest.raises(InvalidInput) as raised:
        validate_reason(value)  # type: ignore[arg-type]  # browsers may send anything
    assert raised.value.message == "Choose a reason."


@pytest.mark.parametrize(
    ("text", "has_files", "expected"),
    [
        ("Hello", False, "Hello"),
        ("  Hello \n", False, "Hello"),
        ("x", False, "x"),
        ("x" * 5000, False, "x" * 5000),
        ("", True, ""),  # the attached files are the message
        ("   ", True, ""),
        ("See the receipt", True, "See the receipt"),
    ],
)
def test_a_message_is_kept_stripped(text: str, has_files: bool, expected: str) -> None:
    assert validate_message(text, has_files=has_files) == expected


@pytest.mark.parametrize(
    ("text", "has_files", "message"),
    [
        ("", False, "Write a message."),
        (" \n\t ", False, "Write a message."),
        ("x" * 5001, False, "The message is too long: at most 5,000 characters."),
        ("x" * 5001, True, "The message is too long: at most 5,000 characters."),
    ],
)
def test_an_empty_or_overlong_message_is_refused(text: str, has_files: bool, message: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        validate_message(text, has_files=has_files)
    assert raised.value.message == message


def test_message_length_comes_from_the_policy() -> None:
    policy = Policy(message_max_chars=10)
    assert validate_message("x" * 10, policy) == "x" * 10
    with pytest.raises(InvalidInput, match="at most 10 characters"):
        validate_message("x" * 11, policy)
