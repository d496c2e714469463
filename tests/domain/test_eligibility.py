"""Who may open a claim on which payment (DESIGN §2), and the reason shown when not."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from resolution_app.domain.eligibility import PaymentFacts, claim_refusal, ensure_claimable
from resolution_app.domain.enums import PaymentMethod, PaymentStatus
from resolution_app.domain.errors import NotEligible
from resolution_app.domain.policy import Policy

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
BUYER_ID = 7
SECOND = timedelta(seconds=1)
GOOD = PaymentFacts(
    buyer_id=BUYER_ID,
    status=PaymentStatus.SUCCEEDED,
    method=PaymentMethod.CARD,
    paid_at=NOW - timedelta(days=10),
    has_case=False,
)

NOT_YOURS = "This payment is not yours."
HAS_CASE = "This payment already has a case."
REFUNDED = "This payment was refunded."
FAILED = "This payment did not go through."
CRYPTO = "Crypto payments can't be claimed."
TOO_OLD = "This payment is more than 120 days old."

# (what differs from a good payment) -> the reason shown, or None when the claim may be opened
CASES = [
    pytest.param({}, None, id="good card payment"),
    pytest.param({"buyer_id": BUYER_ID + 1}, NOT_YOURS, id="someone else's"),
    pytest.param({"has_case": True}, HAS_CASE, id="already has a case"),
    pytest.param({"status": PaymentStatus.REFUNDED}, REFUNDED, id="refunded"),
    pytest.param({"status": PaymentStatus.PARTIALLY_REFUNDED}, REFUNDED, id="partially refunded"),
    pytest.param({"status": PaymentStatus.FAILED}, FAILED, id="failed"),
    pytest.param({"status": PaymentStatus.PENDING}, FAILED, id="pending"),
    pytest.param({"method": PaymentMethod.CRYPTO}, CRYPTO, id="crypto"),
    pytest.param({"paid_at": NOW - timedelta(days=120)}, None, id="exactly 120 days old"),
    pytest.param({"paid_at": NOW - timedelta(days=120) - SECOND}, TOO_OLD, id="120 days and a second old"),
    pytest.param({"paid_at": NOW - timedelta(days=121)}, TOO_OLD, id="121 days old"),
    pytest.param({"paid_at": NOW - timedelta(days=120) + SECOND}, None, id="a second under 120 days"),
    pytest.param({"paid_at": NOW}, None, id="paid just now"),
    # Rules apply in a fixed order: the first failing one is the reason shown.
    pytest.param({"buyer_id": 1, "has_case": True, "method": PaymentMethod.CRYPTO}, NOT_YOURS, id="order: owner"),
    pytest.param({"has_case": True, "status": PaymentStatus.REFUNDED}, HAS_CASE, id="order: case before refund"),
    pytest.param({"status": PaymentStatus.REFUNDED, "method": PaymentMethod.CRYPTO}, REFUNDED, id="order: refund"),
    pytest.param({"status": PaymentStatus.FAILED, "method": PaymentMethod.CRYPTO}, FAILED, id="order: status"),
    pytest.param({"method": PaymentMethod.CRYPTO, "paid_at": NOW - timedelta(days=300)}, CRYPTO, id="order: crypto"),
]


@pytest.mark.parametrize(("changes", "reason"), CASES)
def test_claim_refusal(changes: dict[str, object], reason: str | None) -> None:
    assert claim_refusal(replace(GOOD, **changes), BUYER_ID, NOW) == reason


@pytest.mark.parametrize(("changes", "reason"), CASES)
def test_ensure_claimable_raises_the_same_reason(changes: dict[str, object], reason: str | None) -> None:
    payment = replace(GOOD, **changes)
    if reason is None:
        assert ensure_claimable(payment, BUYER_ID, NOW) is None
    else:
        with pytest.raises(NotEligible) as raised:
            ensure_claimable(payment, BUYER_ID, NOW)
        assert raised.value.message == reason


@pytest.mark.parametrize("method", [m for m in PaymentMethod if m != PaymentMethod.CRYPTO])
def test_every_fiat_method_is_eligible(method: PaymentMethod) -> None:
    assert claim_refusal(replace(GOOD, method=method), BUYER_ID, NOW) is None


def test_the_window_and_barred_methods_come_from_the_policy() -> None:
    policy = Policy(claim_window=timedelta(days=30), never_eligible_methods=frozenset({PaymentMethod.PAYPAL}))
    old = replace(GOOD, paid_at=NOW - timedelta(days=30) - SECOND)
    assert claim_refusal(old, BUYER_ID, NOW, policy) == "This payment is more than 30 days old."
    assert claim_refusal(replace(GOOD, paid_at=NOW - timedelta(days=30)), BUYER_ID, NOW, policy) is None
    assert claim_refusal(replace(GOOD, method=PaymentMethod.PAYPAL), BUYER_ID, NOW, policy) == (
        "PayPal payments can't be claimed."
    )
    assert claim_refusal(replace(GOOD, method=PaymentMethod.CRYPTO), BUYER_ID, NOW, policy) is None


def test_demo_payments_from_the_design() -> None:
    """DESIGN §9: the seeded buyer's payments and what /purchases says about them."""
    seeds = {
        "card $19, 10 days": (PaymentMethod.CARD, PaymentStatus.SUCCEEDED, 10, None),
        "paypal $49, 30 days": (PaymentMethod.PAYPAL, PaymentStatus.SUCCEEDED, 30, None),
        "crypto $99, 5 days": (PaymentMethod.CRYPTO, PaymentStatus.SUCCEEDED, 5, CRYPTO),
        "klarna $199, 20 days": (PaymentMethod.KLARNA, PaymentStatus.SUCCEEDED, 20, None),
        "card $29, refunded": (PaymentMethod.CARD, PaymentStatus.REFUNDED, 15, REFUNDED),
        "card $15, 130 days": (PaymentMethod.CARD, PaymentStatus.SUCCEEDED, 130, TOO_OLD),
    }
    for name, (method, status, age_days, reason) in seeds.items():
        payment = replace(GOOD, method=method, status=status, paid_at=NOW - timedelta(days=age_days))
        assert claim_refusal(payment, BUYER_ID, NOW) == reason, name
