"""A case as the public API and the webhooks show it to a business's own tools: one shape for both.

Built from the tables in the caller's session, so a webhook event is written in the very transaction of the change
it tells of. Amounts are integers in the currency's minor unit, as payment APIs give them; times are UTC.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from pydantic import BaseModel, Field
from sqlalchemy import Select
from sqlmodel import Session, select

from resolution_app.domain import lifecycle
from resolution_app.domain.enums import (
    PAYMENT_METHOD_LABELS,
    REASON_LABELS,
    STATUS_LABELS,
    CaseAction,
    CaseStatus,
    Party,
    PaymentMethod,
    Reason,
)
from resolution_app.domain.money import format_money
from resolution_app.domain.next_step import someones_deadline
from resolution_app.models import Attachment, Case, CaseEvent, Message, Payment, Product, User
from resolution_app.services import files
from resolution_app.services.cases.case_state import case_state
from resolution_app.services.review.claims import CLAIM_EVENTS

API_VERSION = "2026-12-01"  # of this shape, in the API's document and every webhook
OBJECT = "resolution_center_case"
# What a business may do on a case through the API, and the lifecycle action each one is.
API_ACTIONS: dict[str, CaseAction] = {
    "accept": CaseAction.ACCEPT,
    "deny": CaseAction.DENY,
    "request_info": CaseAction.REQUEST_MORE_INFO,
}
SEND_MESSAGE = "send_message"


class Money(BaseModel):
    amount: int = Field(description="In the currency's minor unit: cents for USD.")
    currency: str = Field(description="ISO 4217, e.g. USD.")
    formatted: str = Field(description="For people, e.g. $19.00.")


class Buyer(BaseModel):
    name: str
    email: str
    username: str


class ProductRef(BaseModel):
    id: int
    name: str


class PaymentRef(BaseModel):
    id: int
    method: str
    method_label: str
    paid_at: datetime
    amount: Money
    refunded: Money | None = Field(
        description="What was refunded to the buyer's payment: all of it, part of it (a partial refund), or null."
    )


class FileRef(BaseModel):
    id: int
    name: str
    content_type: str
    size_bytes: int
    added_by: str = Field(description="buyer or creator: whose evidence it is.")
    added_at: datetime
    url: str | None = Field(
        description="A signed link that works for a few minutes; null in webhooks (fetch the case for one)."
    )


class TimelineEntry(BaseModel):
    id: str
    type: str = Field(description='"opened", or the move made: "deny", "escalate", "decide_refund" …')
    at: datetime
    by: str = Field(description="buyer, creator, reviewer (the platform) or system.")
    from_status: str | None
    to_status: str | None
    text: str = Field(description="The words that came with the move: a statement, a question, a rationale.")
    file_ids: list[int]


class MessageOut(BaseModel):
    id: int
    at: datetime
    by: str
    body: str
    file_ids: list[int]


class CaseListItem(BaseModel):
    id: int
    object: str = OBJECT
    status: str
    status_label: str
    reason: str
    reason_label: str
    amount: Money
    buyer: Buyer
    product: ProductRef
    payment_id: int
    created_at: datetime
    updated_at: datetime
    due_at: datetime | None = Field(description="When the side the case waits on must answer by; null when none.")
    resolved_at: datetime | None


class CaseResource(CaseListItem):
    description: str
    outcome: str | None
    payment: PaymentRef
    version: int = Field(description="Goes up with every change of status.")
    message_count: int
    timeline: list[TimelineEntry]
    messages: list[MessageOut]
    files: list[FileRef]
    available_actions: list[str] = Field(
        description='What this key may do now, of "accept", "deny", "request_info" and "send_message".'
    )


class ChangingFields(BaseModel):
    """The fields of a case whose old values an update's webhook tells (its previous_attributes)."""

    status: str
    status_label: str
    outcome: str | None
    due_at: datetime | None
    updated_at: datetime
    resolved_at: datetime | None
    version: int
    message_count: int


def changing_fields(case: Case, message_count: int) -> dict:
    """The case's ChangingFields now, as the API writes them."""
    return ChangingFields(
        **_status_fields(case),
        outcome=case.outcome,
        resolved_at=case.resolved_at,
        version=case.version,
        message_count=message_count,
    ).model_dump(mode="json")


# What a list entry shows, as plain columns: loading whole Case objects for a page cost more than its query.
LIST_COLUMNS: Select = (
    select(
        Case.id,
        Case.status,
        Case.reason,
        Case.amount_minor,
        Case.currency,
        Case.payment_id,
        Case.opened_at,
        Case.updated_at,
        Case.due_at,
        Case.resolved_at,
        Product.id.label("product_id"),
        Product.name.label("product"),
        User.name.label("buyer_name"),
        User.email.label("buyer_email"),
        User.username.label("buyer_username"),
    )
    .join(Payment, Payment.id == Case.payment_id)
    .join(Product, Product.id == Payment.product_id)
    .join(User, User.id == Case.buyer_id)
)


class ListedCase(NamedTuple):
    """A LIST_COLUMNS row as a plain tuple (ListedCase._make(row)): read by name, a SQLAlchemy Row's field cost about a
    microsecond, for a page's 15 columns of 25 cases more than the rest of its entries took together."""

    id: int
    status: str
    reason: str
    amount_minor: int
    currency: str
    payment_id: int
    opened_at: datetime
    updated_at: datetime
    due_at: datetime | None
    resolved_at: datetime | None
    product_id: int
    product: str
    buyer_name: str
    buyer_email: str
    buyer_username: str


def list_entries(cases: Sequence[ListedCase]) -> list[dict]:
    """The list's entries as CaseListItem writes them: its fields, in its order, as plain values, which
    pydantic_core.to_json writes byte for byte as the model would. Built from typed columns, they are not validated
    again: that took as long as building them."""
    return [
        _list_fields(
            case,
            {"id": case.product_id, "name": case.product},
            {"name": case.buyer_name, "email": case.buyer_email, "username": case.buyer_username},
        )
        for case in cases
    ]


_IN_LIST_ORDER = dict.fromkeys(CaseListItem.model_fields)


def _list_fields(case: Case | ListedCase, product: dict, buyer: dict) -> dict:
    """The list entry's fields of a case, or of a LIST_COLUMNS row (the same names), in CaseListItem's order; its parts
    as plain values."""
    return (
        _IN_LIST_ORDER
        | {
            "id": case.id,
            "object": OBJECT,
            "reason": case.reason,
            "reason_label": REASON_LABELS[Reason(case.reason)],
            "amount": _money(case.amount_minor, case.currency),
            "buyer": buyer,
            "product": product,
            "payment_id": case.payment_id,
            "created_at": case.opened_at,
            "resolved_at": case.resolved_at,
        }
        | _status_fields(case)
    )


def _status_fields(case: Case | ListedCase) -> dict:
    status = CaseStatus(case.status)
    return {
        "status": status.value,
        "status_label": STATUS_LABELS[status],
        "updated_at": case.updated_at,
        "due_at": someones_deadline(status, case.due_at),
    }


def _money(amount: int, currency: str) -> dict:
    return {"amount": amount, "currency": currency, "formatted": format_money(amount, currency)}


def case_resource(
    session: Session, case: Case, now: datetime, *, actions: list[str], links_for: User | None
) -> CaseResource:
    """The whole case. `actions`: what the caller may do (see available_actions); `links_for`: the member whose
    signed file links to mint, or None for none (webhooks, whose links would be dead before they are read)."""
    payment, product, buyer = session.exec(
        select(Payment, Product, User)
        .join(Product, Product.id == Payment.product_id)
        .join(User, User.id == Payment.buyer_id)
        .where(Payment.id == case.payment_id)
    ).one()
    events = list(
        session.exec(
            select(CaseEvent)
            .where(CaseEvent.case_id == case.id, CaseEvent.kind.not_in(CLAIM_EVENTS))
            .order_by(CaseEvent.id)
        )
    )
    messages = list(session.exec(select(Message).where(Message.case_id == case.id).order_by(Message.id)))
    attachments = list(session.exec(select(Attachment).where(Attachment.case_id == case.id).order_by(Attachment.id)))
    buyer_ref = {"name": buyer.name, "email": buyer.email, "username": buyer.username}
    return CaseResource(
        **_list_fields(case, {"id": product.id, "name": product.name}, buyer_ref),
        description=case.description,
        outcome=case.outcome,
        payment=PaymentRef(
            id=payment.id,
            method=payment.method,
            method_label=PAYMENT_METHOD_LABELS[PaymentMethod(payment.method)],
            paid_at=payment.paid_at,
            amount=_money(payment.amount_minor, payment.currency),
            refunded=_money(payment.refunded_minor, payment.currency) if payment.refunded_minor else None,
        ),
        version=case.version,
        message_count=len(messages),
        timeline=[
            TimelineEntry(
                id=f"event_{event.id}",
                type=event.kind,
                at=event.at,
                by=event.party,
                from_status=event.from_status,
                to_status=event.to_status,
                text=event.detail,
                file_ids=[a.id for a in attachments if a.event_id == event.id],
            )
            for event in events
        ],
        messages=[
            MessageOut(
                id=message.id,
                at=message.created_at,
                by=message.party,
                body=message.body,
                file_ids=[a.id for a in attachments if a.message_id == message.id],
            )
            for message in messages
        ],
        files=[_file(attachment, links_for) for attachment in attachments],
        available_actions=actions,
    )


def _file(attachment: Attachment, links_for: User | None) -> FileRef:
    return FileRef(
        id=attachment.id,
        name=attachment.display_name,
        content_type=attachment.content_type,
        size_bytes=attachment.size,
        added_by=attachment.party,
        added_at=attachment.created_at,
        url=files.signed_link(attachment.id, links_for, Party.CREATOR) if links_for else None,
    )


def available_actions(case: Case, now: datetime, *, may_act: bool) -> list[str]:
    """What a business's member who may act can do on the case through the API now; nothing for one who can't."""
    if not may_act:
        return []
    state = case_state(case)
    allowed = set(lifecycle.allowed_actions(state, Party.CREATOR, now))
    found = [name for name, action in API_ACTIONS.items() if action in allowed]
    if not lifecycle.is_final(state, now):
        found.append(SEND_MESSAGE)
    return found
