"""Refunds go through a payment gateway. The default one keeps a ledger in the database."""

import secrets
from datetime import datetime
from typing import Protocol

from sqlmodel import Session, select

from resolution_app.domain.enums import PaymentStatus
from resolution_app.models import Payment, Refund


class PaymentGateway(Protocol):
    def refund(
        self, session: Session, payment: Payment, case_id: int, now: datetime, amount_minor: int | None = None
    ) -> Refund:
        """Refund the payment once, all of it or `amount_minor` of it; calling again returns the first refund."""
        ...


class LedgerGateway:
    """Records the refund and marks the payment refunded, in the caller's transaction.

    Idempotent: a repeated call returns the refund already made, and the unique payment_id
    on the refund table stops a concurrent second one.
    """

    def refund(
        self, session: Session, payment: Payment, case_id: int, now: datetime, amount_minor: int | None = None
    ) -> Refund:
        existing = session.exec(select(Refund).where(Refund.payment_id == payment.id)).first()
        if existing is not None:
            return existing
        amount = payment.amount_minor if amount_minor is None else amount_minor
        if not 0 < amount <= payment.amount_minor:
            raise ValueError(f"A refund of {amount} doesn't fit payment {payment.id} of {payment.amount_minor}.")
        refund = Refund(
            payment_id=payment.id,
            case_id=case_id,
            amount_minor=amount,
            currency=payment.currency,
            gateway_reference=f"ledger_{secrets.token_hex(8)}",
            created_at=now,
        )
        whole = amount == payment.amount_minor
        payment.status = PaymentStatus.REFUNDED if whole else PaymentStatus.PARTIALLY_REFUNDED
        payment.refunded_minor = amount
        payment.refunded_at = now
        session.add(refund)
        session.add(payment)
        session.flush()
        return refund


_gateway: list[PaymentGateway] = [LedgerGateway()]


def get_gateway() -> PaymentGateway:
    return _gateway[0]


def use_gateway(gateway: PaymentGateway) -> None:
    _gateway[0] = gateway
