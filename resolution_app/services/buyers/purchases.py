"""What a buyer paid for, and whether each payment can be claimed."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from resolution_app.domain.eligibility import PaymentFacts, claim_refusal
from resolution_app.domain.enums import PAYMENT_METHOD_LABELS, PaymentMethod, PaymentStatus
from resolution_app.domain.money import format_money
from resolution_app.domain.partial_refunds import payment_status_label
from resolution_app.infra.clock import clock
from resolution_app.infra.db import read
from resolution_app.models import Business, Case, Payment, Product, User


@dataclass(frozen=True)
class PurchaseRow:
    payment_id: int
    product: str
    business: str
    amount: str
    method: str
    paid_at: datetime
    refusal: str | None  # why it can't be claimed; None when it can
    case_id: int | None
    payment_status: str  # "Refunded" once a claim (or an auto-refund) paid it back


def payment_facts(payment: Payment, has_case: bool) -> PaymentFacts:
    return PaymentFacts(
        buyer_id=payment.buyer_id,
        status=PaymentStatus(payment.status),
        method=PaymentMethod(payment.method),
        paid_at=payment.paid_at,
        has_case=has_case,
    )


def list_purchases(user: User) -> list[PurchaseRow]:
    now = clock.now()
    with read() as session:
        return [
            _row(payment, product, business, case_id, user, now)
            for payment, product, business, case_id in _purchases(session, user)
        ]


def _purchases(session: Session, user: User) -> list[tuple[Payment, Product, Business, int | None]]:
    return list(
        session.exec(
            select(Payment, Product, Business, Case.id)
            .join(Product, Product.id == Payment.product_id)
            .join(Business, Business.id == Payment.business_id)
            .outerjoin(Case, Case.payment_id == Payment.id)
            .where(Payment.buyer_id == user.id)
            .order_by(Payment.paid_at.desc())
        )
    )


def _row(
    payment: Payment, product: Product, business: Business, case_id: int | None, user: User, now: datetime
) -> PurchaseRow:
    return PurchaseRow(
        payment_id=payment.id,
        product=product.name,
        business=business.name,
        amount=format_money(payment.amount_minor, payment.currency),
        method=PAYMENT_METHOD_LABELS[PaymentMethod(payment.method)],
        paid_at=payment.paid_at,
        refusal=claim_refusal(payment_facts(payment, case_id is not None), user.id, now),
        case_id=case_id,
        payment_status=payment_status_label(
            payment.status, payment.amount_minor, payment.refunded_minor, payment.currency
        ),
    )
