"""What a creator needs to judge a claim: who the customer is, what they did, and what else they bought."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select

from resolution_app.domain.enums import (
    PAYMENT_METHOD_LABELS,
    PAYMENT_STATUS_LABELS,
    STATUS_LABELS,
    CaseStatus,
    LegalDocumentKind,
    Party,
    PaymentMethod,
    PaymentStatus,
    UserLogKind,
)
from resolution_app.domain.errors import NotFound
from resolution_app.domain.money import format_money
from resolution_app.infra.db import read
from resolution_app.models import Case, LegalDocument, Payment, Product, User, UserLog
from resolution_app.services import files
from resolution_app.services.access import CASE_NOT_FOUND, require_case

LOG_LABELS = {
    UserLogKind.BOUGHT_ACCESS: "Bought access",
    UserLogKind.AGREED_TERMS: "Agreed to the terms of service",
    UserLogKind.AGREED_REFUND_POLICY: "Agreed to the refund policy",
    UserLogKind.CLAIMED_ACCESS: "Claimed access",
    UserLogKind.USED_APP: "Used the app",
    UserLogKind.JOINED_COMMUNITY: "Joined the community",
    UserLogKind.CANCELED: "Canceled",
}
DOCUMENT_NAMES = {
    LegalDocumentKind.TERMS_OF_SERVICE: "Terms of service",
    LegalDocumentKind.REFUND_POLICY: "Refund policy",
}


@dataclass(frozen=True)
class LogEntry:
    at: datetime
    product: str  # the purchase the entry is about; "" for the account as a whole
    this_purchase: bool  # about the payment the case disputes: shown first, the rest behind "Show all purchases"
    what: str
    detail: str
    document: str  # e.g. "Refund policy v1"; "" when the entry names no legal document
    document_url: str  # a short-lived link to that exact version


@dataclass(frozen=True)
class PaymentEntry:
    payment_id: int
    product: str
    amount: str
    method: str
    status: str
    paid_at: datetime
    this_case: bool
    case_id: int  # 0 when the payment has no case
    case_status: str


@dataclass(frozen=True)
class CustomerContext:
    name: str
    email: str
    username: str
    customer_since: datetime
    logs: list[LogEntry]
    payments: list[PaymentEntry]


def customer_context(user: User, case_id: int, party: Party = Party.CREATOR) -> CustomerContext:
    """For the creator's and the reviewer's case page; NotFound unless `user` may see the case as `party`
    (a member of the case's business, or a reviewer). Buyers never get it: it is about them."""
    if party not in (Party.CREATOR, Party.REVIEWER):
        raise NotFound(CASE_NOT_FOUND)
    with read() as session:
        case = require_case(session, user, case_id, party)
        customer = session.get(User, case.buyer_id)
        logs = session.exec(
            select(UserLog, LegalDocument, Product.name)
            .outerjoin(LegalDocument, LegalDocument.id == UserLog.legal_document_id)
            .outerjoin(Payment, Payment.id == UserLog.payment_id)
            .outerjoin(Product, Product.id == Payment.product_id)
            .where(UserLog.user_id == customer.id, UserLog.business_id == case.business_id)
            .order_by((UserLog.payment_id == case.payment_id).is_(True).desc(), UserLog.at.desc(), UserLog.id.desc())
        ).all()
        payments = session.exec(
            select(Payment, Product.name, Case.id, Case.status)
            .join(Product, Product.id == Payment.product_id)
            .outerjoin(Case, Case.payment_id == Payment.id)
            .where(Payment.buyer_id == customer.id, Payment.business_id == case.business_id)
            .order_by(Payment.paid_at.desc())
        ).all()
        return CustomerContext(
            name=customer.name,
            email=customer.email,
            username=customer.username,
            customer_since=min((p.paid_at for p, *_ in payments), default=customer.created_at),
            logs=[_log_entry(log, document, product, case.payment_id) for log, document, product in logs],
            payments=[
                _payment_entry(p, product, other_id, status, case.id) for p, product, other_id, status in payments
            ],
        )


def _log_entry(log: UserLog, document: LegalDocument | None, product: str | None, disputed_payment: int) -> LogEntry:
    return LogEntry(
        at=log.at,
        product=product or "",
        this_purchase=log.payment_id == disputed_payment,
        what=LOG_LABELS[UserLogKind(log.kind)],
        detail=log.detail,
        document=f"{DOCUMENT_NAMES[LegalDocumentKind(document.kind)]} v{document.version}" if document else "",
        document_url=files.signed_legal_link(document.id) if document else "",  # the case check covers it
    )


def _payment_entry(
    payment: Payment, product: str, case_id: int | None, case_status: str | None, current_case_id: int
) -> PaymentEntry:
    return PaymentEntry(
        payment_id=payment.id,
        product=product,
        amount=format_money(payment.amount_minor, payment.currency),
        method=PAYMENT_METHOD_LABELS[PaymentMethod(payment.method)],
        status=PAYMENT_STATUS_LABELS[PaymentStatus(payment.status)],
        paid_at=payment.paid_at,
        this_case=case_id == current_case_id,
        case_id=case_id or 0,
        case_status=STATUS_LABELS[CaseStatus(case_status)] if case_status else "",
    )
