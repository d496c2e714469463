"""What a creator needs to judge a claim: who the customer is, what they did, what else they bought, and how often
they claim across the platform (counts only)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, true
from sqlmodel import select

from resolution_app.domain.buyer_history import (
    BUYER_WON_OUTCOMES,
    ClaimCounts,
    frequent_claimant_note,
    history_since,
    history_summary,
    is_frequent_claimant,
)
from resolution_app.domain.enums import (
    PAYMENT_METHOD_LABELS,
    STATUS_LABELS,
    CaseStatus,
    LegalDocumentKind,
    Outcome,
    Party,
    PaymentMethod,
    UserLogKind,
)
from resolution_app.domain.errors import NotFound
from resolution_app.domain.money import format_money
from resolution_app.domain.partial_refunds import payment_status_label
from resolution_app.infra.clock import clock
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
class BuyerHistory:
    """The buyer's claims across the whole platform within the policy's window. Counts only: it goes to the
    browser of a creator who may see none of the other businesses' cases."""

    opened: int
    won: int  # refunded, credited or partly refunded
    withdrawn: int
    frequent: bool  # the "Frequent claimant" mark
    summary: str  # e.g. "5 claims in the last 12 months across the platform: 3 won by the buyer, 1 withdrawn."
    mark_note: str  # what the mark means


@dataclass(frozen=True)
class CustomerContext:
    name: str
    email: str
    username: str
    customer_since: datetime
    history: BuyerHistory
    logs: list[LogEntry]
    payments: list[PaymentEntry]


def customer_context(user: User, case_id: int, party: Party = Party.CREATOR) -> CustomerContext:
    """For the creator's and the reviewer's case page; NotFound unless `user` may see the case as `party`
    (a member of the case's business, or a reviewer). Buyers never get it: it is about them."""
    if party not in (Party.CREATOR, Party.REVIEWER):
        raise NotFound(CASE_NOT_FOUND)
    with read() as session:
        case = require_case(session, user, case_id, party)
        customer, *counts = session.exec(_customer_with_history(case.buyer_id, history_since(clock.now()))).one()
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
            history=_history(ClaimCounts(*counts)),
            logs=[_log_entry(log, document, product, case.payment_id) for log, document, product in logs],
            payments=[
                _payment_entry(p, product, other_id, status, case.id) for p, product, other_id, status in payments
            ],
        )


def _customer_with_history(buyer_id: int, since: datetime) -> Select:
    """The customer and their claims' counts in one statement: the page load makes no extra round trip for them.
    Across every business, by the (buyer_id, opened_at) index; only counts leave the database."""
    claims = (
        select(
            func.count().label("opened"),
            func.count().filter(Case.outcome.in_(BUYER_WON_OUTCOMES)).label("won"),
            func.count().filter(Case.outcome == Outcome.WITHDRAWN).label("withdrawn"),
        )
        .where(Case.buyer_id == buyer_id, Case.opened_at >= since)
        .subquery()
    )
    return (
        select(User, claims.c.opened, claims.c.won, claims.c.withdrawn).join(claims, true()).where(User.id == buyer_id)
    )


def _history(counts: ClaimCounts) -> BuyerHistory:
    return BuyerHistory(
        opened=counts.opened,
        won=counts.won,
        withdrawn=counts.withdrawn,
        frequent=is_frequent_claimant(counts.opened),
        summary=history_summary(counts),
        mark_note=frequent_claimant_note(),
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
        status=payment_status_label(payment.status, payment.amount_minor, payment.refunded_minor, payment.currency),
        paid_at=payment.paid_at,
        this_case=case_id == current_case_id,
        case_id=case_id or 0,
        case_status=STATUS_LABELS[CaseStatus(case_status)] if case_status else "",
    )
