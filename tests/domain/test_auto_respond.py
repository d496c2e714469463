"""A business's auto-respond rules (DESIGN §2): which new cases are refunded at once, and why, first match wins."""

import pytest

from resolution_app.domain.auto_respond import AutoRespondRules, auto_refund_rule, validate_threshold
from resolution_app.domain.enums import PaymentMethod, Reason
from resolution_app.domain.errors import InvalidInput
from resolution_app.domain.policy import Policy

M = PaymentMethod
R = Reason
FINANCING = "Financing payments are always refunded"
NONE = AutoRespondRules()
SOME_REASON = R.PRODUCT_UNACCEPTABLE
FINANCING_METHODS = [M.SPLITIT, M.SEZZLE, M.KLARNA, M.AFTERPAY, M.ZIP]


@pytest.mark.parametrize("method", FINANCING_METHODS)
@pytest.mark.parametrize(
    "rules",
    [NONE, AutoRespondRules(card_below_minor=0, paypal_below_minor=0, custom_message="Sorry!")],
    ids=["no settings", "strict settings"],
)
def test_financing_is_always_refunded_whatever_the_settings(method: PaymentMethod, rules: AutoRespondRules) -> None:
    assert auto_refund_rule(method, 1_000_000_00, SOME_REASON, rules) == FINANCING


@pytest.mark.parametrize("method", [M.CARD, M.PAYPAL, M.CRYPTO])
def test_other_methods_are_not_refunded_without_settings(method: PaymentMethod) -> None:
    for reason in Reason:
        assert auto_refund_rule(method, 1, reason, NONE) is None


CARD_19 = AutoRespondRules(card_below_minor=1900)
CARD_0 = AutoRespondRules(card_below_minor=0)
PAYPAL_49 = AutoRespondRules(paypal_below_minor=4900)
CARD_AT_19 = "Card payment at or below $19.00"
PAYPAL_AT_49 = "PayPal payment at or below $49.00"

# (method, amount, rules) -> phrase, or None when the case waits on the creator
THRESHOLDS = [
    pytest.param(M.CARD, 1899, CARD_19, CARD_AT_19, id="card below"),
    pytest.param(M.CARD, 1900, CARD_19, CARD_AT_19, id="card equal"),
    pytest.param(M.CARD, 1901, CARD_19, None, id="card a cent above"),
    pytest.param(M.CARD, 0, CARD_0, "Card payment at or below $0.00", id="card zero"),
    pytest.param(M.CARD, 1, CARD_0, None, id="card above zero"),
    pytest.param(M.CARD, 100, AutoRespondRules(paypal_below_minor=5000), None, id="card ignores paypal threshold"),
    pytest.param(M.PAYPAL, 4899, PAYPAL_49, PAYPAL_AT_49, id="paypal below"),
    pytest.param(M.PAYPAL, 4900, PAYPAL_49, PAYPAL_AT_49, id="paypal equal"),
    pytest.param(M.PAYPAL, 4901, PAYPAL_49, None, id="paypal a cent above"),
    pytest.param(M.PAYPAL, 100, AutoRespondRules(card_below_minor=5000), None, id="paypal ignores card threshold"),
    pytest.param(M.CRYPTO, 100, AutoRespondRules(card_below_minor=5000, paypal_below_minor=5000), None, id="crypto"),
]


@pytest.mark.parametrize(("method", "amount", "rules", "phrase"), THRESHOLDS)
def test_thresholds_refund_at_or_below(
    method: PaymentMethod, amount: int, rules: AutoRespondRules, phrase: str | None
) -> None:
    assert auto_refund_rule(method, amount, SOME_REASON, rules) == phrase


REASON_PHRASES = {
    R.PRODUCT_UNACCEPTABLE: "Reason set to auto-refund: Product unacceptable",
    R.PRODUCT_NOT_RECEIVED: "Reason set to auto-refund: Product not received",
    R.NOT_AS_DESCRIBED: "Reason set to auto-refund: Product not as described",
    R.CANCELED_BEFORE_PAYMENT: "Reason set to auto-refund: Canceled before payment",
    R.UNAUTHORIZED_TRANSACTION: "Reason set to auto-refund: Unauthorized transaction",
}


@pytest.mark.parametrize("chosen", Reason)
@pytest.mark.parametrize("method", [M.CARD, M.PAYPAL])
def test_a_chosen_reason_refunds_and_no_other(chosen: Reason, method: PaymentMethod) -> None:
    rules = AutoRespondRules(reasons=frozenset({chosen}))
    for reason in Reason:
        expected = REASON_PHRASES[chosen] if reason == chosen else None
        assert auto_refund_rule(method, 10_000, reason, rules) == expected


def test_several_chosen_reasons() -> None:
    rules = AutoRespondRules(reasons=frozenset({R.PRODUCT_NOT_RECEIVED, R.UNAUTHORIZED_TRANSACTION}))
    refunded = {reason for reason in Reason if auto_refund_rule(M.CARD, 500, reason, rules)}
    assert refunded == {R.PRODUCT_NOT_RECEIVED, R.UNAUTHORIZED_TRANSACTION}


EVERYTHING_ON = AutoRespondRules(card_below_minor=1000, paypal_below_minor=1000, reasons=frozenset(Reason))


@pytest.mark.parametrize(
    ("method", "amount", "phrase"),
    [
        (M.KLARNA, 500, FINANCING),  # financing beats everything
        (M.CARD, 500, "Card payment at or below $10.00"),  # the threshold beats the reason
        (M.PAYPAL, 500, "PayPal payment at or below $10.00"),
        (M.CARD, 5000, "Reason set to auto-refund: Product not received"),  # above the threshold: the reason
        (M.PAYPAL, 5000, "Reason set to auto-refund: Product not received"),
    ],
)
def test_first_match_wins(method: PaymentMethod, amount: int, phrase: str) -> None:
    assert auto_refund_rule(method, amount, R.PRODUCT_NOT_RECEIVED, EVERYTHING_ON) == phrase


def test_the_phrase_uses_the_payment_currency() -> None:
    rules = AutoRespondRules(card_below_minor=1000, paypal_below_minor=2500)
    assert auto_refund_rule(M.CARD, 900, SOME_REASON, rules, currency="JPY") == "Card payment at or below ¥1,000"
    assert auto_refund_rule(M.PAYPAL, 900, SOME_REASON, rules, currency="EUR") == "PayPal payment at or below €25.00"


def test_financing_methods_come_from_the_policy() -> None:
    policy = Policy(financing_methods=frozenset({M.KLARNA}))
    assert auto_refund_rule(M.KLARNA, 100, SOME_REASON, NONE, policy) == FINANCING
    assert auto_refund_rule(M.AFTERPAY, 100, SOME_REASON, NONE, policy) is None


def test_the_seeded_klarna_payment_is_refunded_if_claimed() -> None:
    """DESIGN §9: a Klarna payment of $199.00 is auto-refunded, with no settings at all."""
    assert auto_refund_rule(M.KLARNA, 19900, R.NOT_AS_DESCRIBED, NONE) == FINANCING


# --- thresholds a creator types in -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency"),
    [(None, "USD"), (0, "USD"), (1, "USD"), (1900, "USD"), (10_000_00, "USD"), (10_000, "JPY"), (10_000_000, "KWD")],
)
def test_valid_thresholds_are_kept(amount: int | None, currency: str) -> None:
    assert validate_threshold(amount, currency) == amount


@pytest.mark.parametrize(
    ("amount", "currency", "message"),
    [
        (-1, "USD", "The amount can't be negative."),
        (-10_000_00, "USD", "The amount can't be negative."),
        (10_000_01, "USD", "The amount can be at most $10,000.00."),
        (10**12, "USD", "The amount can be at most $10,000.00."),
        (10_001, "JPY", "The amount can be at most ¥10,000."),
        (10_000_001, "KWD", "The amount can be at most KWD10,000.000."),
    ],
)
def test_thresholds_out_of_range_are_refused(amount: int, currency: str, message: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        validate_threshold(amount, currency)
    assert raised.value.message == message


def test_the_threshold_ceiling_comes_from_the_policy() -> None:
    policy = Policy(auto_refund_max_major=50)
    assert validate_threshold(50_00, "USD", policy) == 50_00
    with pytest.raises(InvalidInput, match=r"at most \$50\.00"):
        validate_threshold(50_01, "USD", policy)
