"""Whether a buyer may open a claim on a payment, and if not, the reason they are shown (DESIGN §2)."""

from dataclasses import dataclass
from datetime import datetime

from resolution_app.domain.enums import PAYMENT_METHOD_LABELS, PaymentMethod, PaymentStatus
from resolution_app.domain.errors import NotEligible
from resolution_app.domain.policy import DEFAULT_POLICY, Policy

REFUNDED_STATUSES = frozenset({PaymentStatus.REFUNDED, PaymentStatus.PARTIALLY_REFUNDED})


@dataclass(frozen=True)
class PaymentFacts:
    """What eligibility needs to know about a payment, read by the service from the database."""

    buyer_id: int
    status: PaymentStatus
    method: PaymentMethod
    paid_at: datetime  # aware UTC
    has_case: bool


def claim_refusal(payment: PaymentFacts, buyer_id: int, now: datetime, policy: Policy = DEFAULT_POLICY) -> str | None:
    """None when the buyer may open a claim, else the human reason shown on /purchases.

    The checks run in a fixed order so that a payment failing several rules always shows the same, most
    fundamental reason (ownership first: a stranger learns nothing else about the payment).
    """
    if payment.buyer_id != buyer_id:
        return "This payment is not yours."
    if payment.has_case:
        return "This payment already has a case."
    if payment.status in REFUNDED_STATUSES:
        return "This payment was refunded."
    if payment.status != PaymentStatus.SUCCEEDED:
        return "This payment did not go through."
    if payment.method in policy.never_eligible_methods:
        # Named from the method, so a policy that bars another method still explains itself.
        return f"{PAYMENT_METHOD_LABELS[payment.method]} payments can't be claimed."
    if now - payment.paid_at > policy.claim_window:
        return f"This payment is more than {policy.claim_window.days} days old."
    return None


def ensure_claimable(payment: PaymentFacts, buyer_id: int, now: datetime, policy: Policy = DEFAULT_POLICY) -> None:
    """Raise NotEligible with the reason when the buyer may not open a claim on this payment."""
    refusal = claim_refusal(payment, buyer_id, now, policy)
    if refusal is not None:
        raise NotEligible(refusal)
