"""Money as integer minor units plus an ISO 4217 code: formatting for people, parsing their input, CSV text.

Never floats: amounts are ints, shown through exact Decimals, and the number of decimals comes from babel's currency
data (USD has 2, JPY 0, KWD 3).
"""

import re
from decimal import Decimal
from functools import lru_cache

from babel.numbers import format_currency, get_currency_precision, get_currency_symbol, is_currency

from resolution_app.domain.errors import InvalidInput

# Digits with optional "," thousands groups, or plain digits, then optional decimals. Signs are handled apart.
_AMOUNT = re.compile(
    r"(?P<whole>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<decimals>\d+))?|\.(?P<only_decimals>\d+)",
    re.ASCII,
)


@lru_cache(maxsize=512)  # babel looks it up afresh each time: a large export asks for it once per row
def currency_digits(currency: str) -> int:
    """How many decimals the currency has (its minor-unit exponent)."""
    _ensure_known(currency)
    return get_currency_precision(currency)


def to_decimal(amount_minor: int, currency: str) -> Decimal:
    """The exact amount in major units, e.g. 1950 USD -> Decimal("19.50")."""
    # Built from its digits rather than by arithmetic: Decimal arithmetic rounds to the context's 28 digits.
    sign, digits, _ = Decimal(amount_minor).as_tuple()
    return Decimal((sign, digits, -currency_digits(currency)))


@lru_cache(maxsize=8192)  # the same prices recur across thousands of rows of a table or export
def format_money(amount_minor: int, currency: str, locale: str = "en_US") -> str:
    """The amount as people read it in `locale`, e.g. "$19.00" or "¥1,000"."""
    return format_currency(to_decimal(amount_minor, currency), currency, locale=locale)


@lru_cache(maxsize=8192)  # as format_money: an export repeats a few prices 100,000 times
def to_decimal_string(amount_minor: int, currency: str) -> str:
    """Plain machine-readable amount for CSV: "19.00", "1000" for JPY, "-5.25"; no symbol, no grouping."""
    return format(to_decimal(amount_minor, currency), "f")


# Far longer than any amount a person types, and far from int()'s 4,300-digit limit.
MAX_TYPED_CHARS = 100


def parse_money(text: str, currency: str) -> int:
    """What a person typed ("19", "19.5", "$19.50", "1,000.00") in minor units.

    Negative amounts parse to negative numbers: whether they are allowed is the caller's rule.
    """
    digits = currency_digits(currency)
    if len(text) > MAX_TYPED_CHARS:
        raise InvalidInput("That amount is too long.")
    number, negative = _strip_sign(_strip_currency(text.strip(), currency))
    match = _AMOUNT.fullmatch(number)
    if not match:
        raise InvalidInput(_unreadable(text, currency, digits))
    whole, decimals = match.group("whole") or "0", match.group("decimals") or match.group("only_decimals") or ""
    if len(decimals) > digits:
        raise InvalidInput(_too_precise(currency, digits))
    # Integer arithmetic on the digits themselves: exact at any size (Decimal would round past 28 digits).
    minor = int(whole.replace(",", "")) * 10**digits + int(decimals.ljust(digits, "0") or "0")
    return -minor if negative else minor


def _ensure_known(currency: str) -> None:
    # Babel falls back to 2 decimals for codes it doesn't know, which would silently mis-scale amounts.
    if not is_currency(currency):
        raise InvalidInput(f"Unknown currency: {currency!r}.")


def _strip_currency(text: str, currency: str) -> str:
    """Drop one currency symbol or code written before or after the number ("$19", "19 USD", "-$19")."""
    marks = sorted({get_currency_symbol(currency, "en_US"), currency, currency.lower()}, key=len, reverse=True)
    sign = "-" if text.startswith("-") else ""
    body = text.removeprefix("-").strip()
    for mark in marks:
        if body.startswith(mark):
            return sign + body.removeprefix(mark).strip()
        if body.endswith(mark):
            return sign + body.removesuffix(mark).strip()
    return text


def _strip_sign(text: str) -> tuple[str, bool]:
    if text.startswith("-"):
        return text.removeprefix("-").strip(), True
    return text, False


def _unreadable(text: str, currency: str, digits: int) -> str:
    if not text.strip():
        return "Enter an amount."
    example = "19" if digits == 0 else "19." + "0" * digits
    return f"{text.strip()!r} is not an amount. Write it like {example} ({currency})."


def _too_precise(currency: str, digits: int) -> str:
    if digits == 0:
        return f"{currency} amounts have no decimals."
    return f"{currency} amounts have at most {digits} decimals."
