"""Money in integer minor units: formatting, parsing what people type, CSV text. Never floats."""

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from resolution_app.domain.errors import InvalidInput
from resolution_app.domain.money import currency_digits, format_money, parse_money, to_decimal, to_decimal_string


@pytest.mark.parametrize(
    ("amount", "currency", "locale", "text"),
    [
        (1900, "USD", "en_US", "$19.00"),
        (1950, "USD", "en_US", "$19.50"),
        (5, "USD", "en_US", "$0.05"),
        (0, "USD", "en_US", "$0.00"),
        (100_000_00, "USD", "en_US", "$100,000.00"),
        (-1900, "USD", "en_US", "-$19.00"),
        (1000, "JPY", "en_US", "¥1,000"),
        (1900, "EUR", "en_US", "€19.00"),
        (1900, "EUR", "de_DE", "19,00\xa0€"),
        (1234, "KWD", "en_US", "KWD1.234"),
    ],
)
def test_format_money(amount: int, currency: str, locale: str, text: str) -> None:
    assert format_money(amount, currency, locale) == text


def test_format_money_defaults_to_us_english() -> None:
    assert format_money(1900, "USD") == "$19.00"


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        (1900, "USD", "19.00"),
        (5, "USD", "0.05"),
        (0, "USD", "0.00"),
        (-525, "USD", "-5.25"),
        (123456789, "USD", "1234567.89"),
        (1000, "JPY", "1000"),
        (1234, "KWD", "1.234"),
        (10**30, "USD", "10000000000000000000000000000.00"),  # no exponent notation, however large
    ],
)
def test_to_decimal_string(amount: int, currency: str, text: str) -> None:
    assert to_decimal_string(amount, currency) == text


@pytest.mark.parametrize(("currency", "digits"), [("USD", 2), ("EUR", 2), ("JPY", 0), ("KWD", 3)])
def test_currency_digits_come_from_babel(currency: str, digits: int) -> None:
    assert currency_digits(currency) == digits


@pytest.mark.parametrize(
    ("text", "currency", "amount"),
    [
        ("19", "USD", 1900),
        ("19.5", "USD", 1950),
        ("19.50", "USD", 1950),
        ("$19.50", "USD", 1950),
        ("$ 19.50", "USD", 1950),
        ("19.50 USD", "USD", 1950),
        ("USD 19.50", "USD", 1950),
        ("  19.50  ", "USD", 1950),
        ("1,000.00", "USD", 100000),
        ("$1,234,567.89", "USD", 123456789),
        ("0", "USD", 0),
        ("0.01", "USD", 1),
        (".5", "USD", 50),
        ("-19.50", "USD", -1950),
        ("-$19.50", "USD", -1950),
        ("$-19.50", "USD", -1950),
        ("1000", "JPY", 1000),
        ("¥1,000", "JPY", 1000),
        ("€19.99", "EUR", 1999),
        ("1.234", "KWD", 1234),
        ("12345678901234567890.12", "USD", 1234567890123456789012),  # exact: no float rounding
        ("1" * 40 + ".99", "USD", int("1" * 40 + "99")),  # nor Decimal's 28-digit rounding
    ],
)
def test_parse_money(text: str, currency: str, amount: int) -> None:
    assert parse_money(text, currency) == amount


@pytest.mark.parametrize(
    ("text", "currency", "message"),
    [
        ("", "USD", "Enter an amount."),
        ("   ", "USD", "Enter an amount."),
        ("19.505", "USD", "USD amounts have at most 2 decimals."),
        ("19.5", "JPY", "JPY amounts have no decimals."),
        ("1.2345", "KWD", "KWD amounts have at most 3 decimals."),
        ("abc", "USD", "'abc' is not an amount. Write it like 19.00 (USD)."),
        ("19abc", "USD", "'19abc' is not an amount. Write it like 19.00 (USD)."),
        ("1,00", "USD", "'1,00' is not an amount. Write it like 19.00 (USD)."),
        ("1,0000.00", "USD", "'1,0000.00' is not an amount. Write it like 19.00 (USD)."),
        ("19.", "USD", "'19.' is not an amount. Write it like 19.00 (USD)."),
        ("--19", "USD", "'--19' is not an amount. Write it like 19.00 (USD)."),
        ("+19", "USD", "'+19' is not an amount. Write it like 19.00 (USD)."),
        ("1e3", "USD", "'1e3' is not an amount. Write it like 19.00 (USD)."),
        ("NaN", "USD", "'NaN' is not an amount. Write it like 19.00 (USD)."),
        ("Infinity", "USD", "'Infinity' is not an amount. Write it like 19.00 (USD)."),
        ("19.00.00", "USD", "'19.00.00' is not an amount. Write it like 19.00 (USD)."),
        ("€19", "USD", "'€19' is not an amount. Write it like 19.00 (USD)."),  # another currency's symbol
        ("١٩", "USD", "'١٩' is not an amount. Write it like 19.00 (USD)."),  # only ASCII digits
        ("abc", "JPY", "'abc' is not an amount. Write it like 19 (JPY)."),
    ],
)
def test_parse_money_refuses_with_a_clear_message(text: str, currency: str, message: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_money(text, currency)
    assert raised.value.message == message


@pytest.mark.parametrize("call", [format_money, to_decimal_string, to_decimal])
def test_unknown_currencies_are_refused_rather_than_guessed(call: Callable[[int, str], object]) -> None:
    with pytest.raises(InvalidInput, match="Unknown currency"):
        call(100, "XYZ")
    with pytest.raises(InvalidInput, match="Unknown currency"):
        parse_money("1", "XYZ")


@given(st.integers(min_value=-(10**15), max_value=10**15), st.sampled_from(["USD", "EUR", "JPY", "KWD", "GBP"]))
def test_every_amount_survives_a_round_trip(amount: int, currency: str) -> None:
    assert parse_money(to_decimal_string(amount, currency), currency) == amount
    assert parse_money(format_money(amount, currency), currency) == amount
    assert to_decimal(amount, currency).scaleb(currency_digits(currency)) == amount
