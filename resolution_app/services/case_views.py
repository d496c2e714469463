"""What each party sees of a case: lists, the case page, its timeline and chat."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select
from sqlmodel import Session, select

from resolution_app.domain import lifecycle
from resolution_app.domain.enums import (
    PAYMENT_METHOD_LABELS,
    REASON_LABELS,
    STATUS_LABELS,
    CaseStatus,
    Party,
    PaymentMethod,
    Reason,
)
from resolution_app.domain.money import format_money
from resolution_app.infra.clock import clock
from resolution_app.infra.db import read
from resolution_app.models import Attachment, Business, Case, CaseEvent, Message, Payment, Product, User
from resolution_app.services import files
from resolution_app.services.access import may_act, require_case
from resolution_app.services.transitions import case_state

PARTY_NAMES = {Party.BUYER: "Buyer", Party.CREATOR: "Creator", Party.REVIEWER: "Platform", Party.SYSTEM: "Platform"}
EVENT_TEXTS = {
    "opened": "opened the case",
    "accept": "accepted the claim and refunded the payment",
    "deny": "denied the claim",
    "request_more_info": "asked for more information",
    "withdraw": "withdrew the case",
    "escalate": "escalated the case to the platform",
    "reply": "replied",
    "appeal": "appealed the decision",
    "request_buyer_info": "asked the buyer for information",
    "request_merchant_info": "asked the creator for information",
    "decide_refund": "decided: refund, paid by the creator",
    "decide_credit": "decided: credit to the buyer's platform balance",
    "decide_merchant_wins": "decided: the creator wins",
    "auto_refund": "refunded the payment automatically",
    "expire": "moved the case on: a deadline passed",
}


@dataclass(frozen=True)
class FileView:
    name: str
    content_type: str
    size: str
    url: str
    is_image: bool


@dataclass(frozen=True)
class TimelineItem:
    at: datetime
    who: str
    text: str
    detail: str
    files: list[FileView] = field(default_factory=list)


@dataclass(frozen=True)
class ChatItem:
    at: datetime
    who: str
    party: str
    body: str
    files: list[FileView] = field(default_factory=list)


@dataclass(frozen=True)
class CaseSummary:
    case_id: int
    product: str
    business: str
    buyer: str
    amount: str
    reason: str
    status: str
    status_label: str
    opened_at: datetime
    due_at: datetime | None
    resolved_at: datetime | None


@dataclass(frozen=True)
class CaseDetail:
    summary: CaseSummary
    version: int
    description: str
    method: str
    paid_at: datetime
    waiting_on_you: bool
    is_final: bool
    actions: list[str]
    timeline: list[TimelineItem]
    chat: list[ChatItem]


def _summary(case: Case, product: Product, business: Business, buyer: User) -> CaseSummary:
    return CaseSummary(
        case_id=case.id,
        product=product.name,
        business=business.name,
        buyer=buyer.name,
        amount=format_money(case.amount_minor, case.currency),
        reason=REASON_LABELS[Reason(case.reason)],
        status=case.status,
        status_label=STATUS_LABELS[CaseStatus(case.status)],
        opened_at=case.opened_at,
        due_at=case.due_at,
        resolved_at=case.resolved_at,
    )


# A case with its product, business and buyer; built once, as every case list and page starts from it.
_CASE_ROWS: Select = (
    select(Case, Product, Business, User)
    .join(Payment, Payment.id == Case.payment_id)
    .join(Product, Product.id == Payment.product_id)
    .join(Business, Business.id == Case.business_id)
    .join(User, User.id == Case.buyer_id)
)


def buyer_cases(user: User) -> list[CaseSummary]:
    with read() as session:
        rows = session.exec(_CASE_ROWS.where(Case.buyer_id == user.id).order_by(Case.opened_at.desc()))
        return [_summary(*row) for row in rows]


def case_detail(user: User, case_id: int, party: Party) -> CaseDetail:
    """The case page for `party`; NotFound when the user may not see it."""
    now = clock.now()
    with read() as session:
        case = require_case(session, user, case_id, party)
        _, product, business, buyer = session.exec(_CASE_ROWS.where(Case.id == case.id)).one()
        payment = session.get(Payment, case.payment_id)
        state = case_state(case)
        acting = may_act(session, user, case, party)  # a viewer is offered no button the service would refuse
        actions = [a.value for a in lifecycle.allowed_actions(state, party, now)] if acting else []
        attachments = list(session.exec(select(Attachment).where(Attachment.case_id == case.id)))
        links = {a.id: _file_view(a, user, party) for a in attachments}  # the case check above covers its files
        return CaseDetail(
            summary=_summary(case, product, business, buyer),
            version=case.version,
            description=case.description,
            method=PAYMENT_METHOD_LABELS[PaymentMethod(payment.method)],
            paid_at=payment.paid_at,
            waiting_on_you=lifecycle.WAITING_ON.get(state.status) == party,
            is_final=lifecycle.is_final(state, now),
            actions=actions,
            timeline=_timeline(session, case, attachments, links),
            chat=_chat(session, case, attachments, links),
        )


def _file_view(attachment: Attachment, viewer: User, party: Party) -> FileView:
    return FileView(
        name=attachment.display_name,
        content_type=attachment.content_type,
        size=_human_size(attachment.size),
        url=files.signed_link(attachment.id, viewer, party),
        is_image=attachment.content_type.startswith("image/"),
    )


def _human_size(size: int) -> str:
    for unit in ("bytes", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} MB"


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {u.id: u.name for u in session.exec(select(User).where(User.id.in_(ids)))}


def _who(party: str, actor_id: int | None, names: dict[int, str]) -> str:
    label = PARTY_NAMES[Party(party)]
    return f"{names[actor_id]} ({label.lower()})" if actor_id in names else label


def _timeline(session: Session, case: Case, attachments: list[Attachment], links: dict) -> list[TimelineItem]:
    events = list(session.exec(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)))
    names = _names(session, {e.actor_id for e in events if e.actor_id})
    return [
        TimelineItem(
            at=e.at,
            who=_who(e.party, e.actor_id, names),
            text=EVENT_TEXTS.get(e.kind, e.kind),
            detail=e.detail,
            files=[links[a.id] for a in attachments if a.event_id == e.id],
        )
        for e in events
    ]


def _chat(session: Session, case: Case, attachments: list[Attachment], links: dict) -> list[ChatItem]:
    messages = list(session.exec(select(Message).where(Message.case_id == case.id).order_by(Message.id)))
    names = _names(session, {m.author_id for m in messages if m.author_id})
    return [
        ChatItem(
            at=m.created_at,
            who=_who(m.party, m.author_id, names),
            party=m.party,
            body=m.body,
            files=[links[a.id] for a in attachments if a.message_id == m.id],
        )
        for m in messages
    ]
