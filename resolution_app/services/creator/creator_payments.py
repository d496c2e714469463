"""The creator's Payments page: the business's payments, newest first, a page at a time, each with its case."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func
from sqlmodel import select

from resolution_app.domain.enums import (
    CLOSED_STATUSES,
    PAYMENT_METHOD_LABELS,
    STATUS_LABELS,
    CaseStatus,
    PaymentMethod,
)
from resolution_app.domain.ids import MAX_ID
from resolution_app.domain.money import format_money
from resolution_app.domain.partial_refunds import payment_status_label
from resolution_app.infra.db import read
from resolution_app.models import Case, Payment, Product, User
from resolution_app.services.creator.creator_cases import WAITING_ON_CREATOR, creator_frame

PAGE_SIZE = 25


@dataclass(frozen=True)
class PaymentRow:
    payment_id: int
    paid_at: datetime
    customer_name: str
    customer_email: str
    product: str
    amount: str
    method: str
    status: str  # "Succeeded", "Refunded", "Partially refunded"...
    case_id: int  # 0 when the payment has no case
    case_status: str
    case_status_label: str
    waiting_on_creator: bool  # the case waits on the business: its button says "Respond"


@dataclass(frozen=True)
class PaymentsPage:
    rows: list[PaymentRow]
    total: int
    page: int
    pages: int
    open_resolutions: int


def payments_page(user: User, page: int = 1, with_open_case: bool = False) -> PaymentsPage:
    """The payments of the user's businesses; none for someone who is no member of one."""
    with read() as session:
        frame = creator_frame(session, user)
        business_ids = frame.business_ids
        if not business_ids:
            return PaymentsPage(rows=[], total=0, page=1, pages=1, open_resolutions=0)
        total = session.exec(_scoped(select(func.count()).select_from(Payment), business_ids, with_open_case)).one()
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(1, page), pages, MAX_ID // PAGE_SIZE + 1)
        query = _scoped(_ROWS, business_ids, with_open_case)
        query = query.order_by(Payment.paid_at.desc(), Payment.id.desc()).offset((page - 1) * PAGE_SIZE)
        rows = [_row(*found) for found in session.exec(query.limit(PAGE_SIZE))]
        return PaymentsPage(rows=rows, total=total, page=page, pages=pages, open_resolutions=frame.open_resolutions)


_ROWS: Select = (
    select(Payment, User.name, User.email, Product.name, Case.id, Case.status)
    .join(User, User.id == Payment.buyer_id)
    .join(Product, Product.id == Payment.product_id)
)


def _scoped(query: Select, business_ids: list[int], with_open_case: bool) -> Select:
    """The businesses' payments, and (for the filter) only those whose case is still open."""
    query = query.outerjoin(Case, Case.payment_id == Payment.id).where(Payment.business_id.in_(business_ids))
    return query.where(Case.status.not_in([s.value for s in CLOSED_STATUSES])) if with_open_case else query


def _row(
    payment: Payment, name: str, email: str, product: str, case_id: int | None, case_status: str | None
) -> PaymentRow:
    return PaymentRow(
        payment_id=payment.id,
        paid_at=payment.paid_at,
        customer_name=name,
        customer_email=email,
        product=product,
        amount=format_money(payment.amount_minor, payment.currency),
        method=PAYMENT_METHOD_LABELS[PaymentMethod(payment.method)],
        status=payment_status_label(payment.status, payment.amount_minor, payment.refunded_minor, payment.currency),
        case_id=case_id or 0,
        case_status=case_status or "",
        case_status_label=STATUS_LABELS[CaseStatus(case_status)] if case_status else "",
        waiting_on_creator=case_status in WAITING_ON_CREATOR,
    )
