"""Partial refunds: how much may be offered or decided, and how a partly refunded payment is told."""

from functools import lru_cache

from resolution_app.domain.enums import PAYMENT_STATUS_LABELS, PaymentStatus
from resolution_app.domain.errors import InvalidInput
from resolution_app.domain.money import format_money, parse_money


def partial_amount(typed: str, currency: str, payment_minor: int, payment_currency: str) -> int:
    """What a person typed as a partial refund of a payment, in minor units: above zero, below the payment (all of
    it is a full refund, another move), in the payment's currency. Raises InvalidInput with what to fix."""
    if currency != payment_currency:
        raise InvalidInput(f"A partial refund is in the payment's currency, {payment_currency}.")
    if not typed.strip():
        raise InvalidInput("Enter the amount to refund.")
    amount = parse_money(typed, currency)
    if amount <= 0:
        raise InvalidInput("The amount must be more than zero.")
    if amount >= payment_minor:
        whole = format_money(payment_minor, payment_currency)
        raise InvalidInput(f"A partial refund is less than the payment of {whole}.")
    return amount


@lru_cache(maxsize=4096)  # an export asks for the same few statuses and amounts 100,000 times
def payment_status_label(status: str, amount_minor: int, refunded_minor: int, currency: str) -> str:
    """How a payment's status reads wherever it is shown: "Partially refunded ($8.00 of $19.00)" says how much."""
    label = PAYMENT_STATUS_LABELS[PaymentStatus(status)]
    if status != PaymentStatus.PARTIALLY_REFUNDED:
        return label
    return f"{label} ({format_money(refunded_minor, currency)} of {format_money(amount_minor, currency)})"
