"""A business's auto-respond rules: which new cases are refunded at once, without waiting on the creator (DESIGN §2)."""

from dataclasses import dataclass

from resolution_app.domain.enums import REASON_LABELS, PaymentMethod, Reason
from resolution_app.domain.errors import InvalidInput
from resolution_app.domain.money import currency_digits, format_money
from resolution_app.domain.policy import DEFAULT_POLICY, Policy

FINANCING_PHRASE = "Financing payments are always refunded"


@dataclass(frozen=True)
class AutoRespondRules:
    """One business's settings. A threshold of None turns that rule off; amounts are in the business's currency."""

    card_below_minor: int | None = None  # "Auto-refund card payments below" (at or below refunds)
    paypal_below_minor: int | None = None  # "Auto-refund PayPal payments below" (at or below refunds)
    reasons: frozenset[Reason] = frozenset()
    custom_message: str | None = None


def auto_refund_rule(
    method: PaymentMethod,
    amount_minor: int,
    reason: Reason,
    rules: AutoRespondRules,
    policy: Policy = DEFAULT_POLICY,
    *,
    currency: str = "USD",
) -> str | None:
    """Which rule refunds this new case at once, as a short phrase for the timeline, or None.

    First match wins: financing methods always (whatever the settings); card at or below its threshold; PayPal at
    or below its threshold; a reason the business chose. `currency` is the payment's, which is also the one the
    thresholds are written in; it only shapes the phrase.
    """
    if method in policy.financing_methods:
        return FINANCING_PHRASE
    if method == PaymentMethod.CARD and _at_or_below(amount_minor, rules.card_below_minor):
        return f"Card payment at or below {format_money(rules.card_below_minor, currency)}"
    if method == PaymentMethod.PAYPAL and _at_or_below(amount_minor, rules.paypal_below_minor):
        return f"PayPal payment at or below {format_money(rules.paypal_below_minor, currency)}"
    if reason in rules.reasons:
        return f"Reason set to auto-refund: {REASON_LABELS[reason]}"
    return None


def validate_threshold(amount_minor: int | None, currency: str, policy: Policy = DEFAULT_POLICY) -> int | None:
    """A threshold a creator typed in: None (rule off) or 0..policy.auto_refund_max_major in major units."""
    if amount_minor is None:
        return None
    if amount_minor < 0:
        raise InvalidInput("The amount can't be negative.")
    most = policy.auto_refund_max_major * 10 ** currency_digits(currency)
    if amount_minor > most:
        raise InvalidInput(f"The amount can be at most {format_money(most, currency)}.")
    return amount_minor


def _at_or_below(amount_minor: int, threshold_minor: int | None) -> bool:
    return threshold_minor is not None and amount_minor <= threshold_minor
