"""What each party sees of a case: lists, the case page, its timeline and chat."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select
from sqlmodel import Session, select

from resolution_app.domain import lifecycle
from resolution_app.domain.confirmations import money_moved
from resolution_app.domain.enums import (
    DECISIONS,
    PAYMENT_METHOD_LABELS,
    REASON_LABELS,
    STATUS_LABELS,
    CaseAction,
    CaseStatus,
    OfferState,
    Party,
    PaymentMethod,
    Reason,
)
from resolution_app.domain.money import format_money
from resolution_app.domain.next_step import NextStep, next_step, someones_deadline
from resolution_app.domain.text import linked_parts
from resolution_app.infra.clock import clock
from resolution_app.infra.db import read
from resolution_app.models import (
    Attachment,
    BalanceCredit,
    Business,
    Case,
    CaseEvent,
    Message,
    Payment,
    PlatformReimbursement,
    Product,
    Refund,
    RefundOffer,
    User,
)
from resolution_app.services import files
from resolution_app.services.access import may_act, require_case
from resolution_app.services.cases.case_state import case_state
from resolution_app.services.review.claims import CLAIM_EVENTS, reviewer_actions

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
    "decide_partial_refund": "decided: partial refund, paid by the creator",
    "offer_partial_refund": "offered a partial refund",
    "propose_partial_refund": "proposed a partial refund",
    "accept_offer": "accepted the partial refund",
    "decline_offer": "declined the partial refund",
    "auto_refund": "refunded the payment automatically",
    "expire": "moved the case on: a deadline passed",
    "claimed": "claimed the case for review",
    "released": "released the case to the queue",
    "taken_over": "took the case over (the claim was idle)",
}


@dataclass(frozen=True)
class FileView:
    name: str
    content_type: str
    size: str
    url: str
    is_image: bool
    by: str  # "Buyer", "Creator": whose evidence it is
    added_at: datetime


@dataclass(frozen=True)
class TextPart:
    """A run of written text, or a link (`url` set) found in it: only http and https ever become links."""

    text: str
    url: str = ""


@dataclass(frozen=True)
class ThreadItem:
    """One entry of a case's conversation: a move on the case ("denied the claim") or a chat message."""

    key: str  # "event-3", "message-7": stable, for folding long ones
    kind: str  # the move ("opened", "deny", "appeal" ...) or "message"
    at: datetime
    who: str
    party: str
    is_message: bool
    text: str  # what the move did; empty for a message
    body: list[TextPart]  # the words that came with it
    is_long: bool  # folded behind "Show more" at first
    files: list[FileView] = field(default_factory=list)


@dataclass(frozen=True)
class Question:
    """A question waiting on the viewer: their reply goes from the composer."""

    asked_by: str  # "the creator", "the platform"
    text: str
    asked_at: datetime


@dataclass(frozen=True)
class Offer:
    """The partial refund on the table, pinned above the conversation until it is answered or lapses."""

    by: str  # "The creator", "The buyer"
    party: str
    amount: str
    message: str
    made_at: datetime
    lapses_at: datetime | None  # the deadline it was made under


@dataclass(frozen=True)
class MoneyLine:
    """Money that moved because of the case: a refund, a balance credit, the platform's reimbursement."""

    text: str
    at: datetime


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
    amount_actions: list[str]  # those of `actions` made with an amount (lifecycle.asks_for_amount)
    next_step: NextStep
    question: Question | None
    offer: Offer | None
    thread: list[ThreadItem]
    files: list[FileView]
    money: list[MoneyLine]
    decision_money: dict[str, str]  # decision action -> what money it will move, for its confirmation


def _summary(case: Case, product: Product, business: Business, buyer: User) -> CaseSummary:
    """A case as lists show it; its due time only when it is someone's deadline."""
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
        due_at=someones_deadline(CaseStatus(case.status), case.due_at),
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
        if party == Party.REVIEWER:
            actions = reviewer_actions(case, user, actions)
        attachments = list(session.exec(select(Attachment).where(Attachment.case_id == case.id)))
        links = {a.id: _file_view(a, user, party) for a in attachments}  # the case check above covers its files
        thread = _thread(session, case, attachments, links, party)
        summary = _summary(case, product, business, buyer)
        return CaseDetail(
            summary=summary,
            version=case.version,
            description=case.description,
            method=PAYMENT_METHOD_LABELS[PaymentMethod(payment.method)],
            paid_at=payment.paid_at,
            waiting_on_you=lifecycle.WAITING_ON.get(state.status) == party,
            is_final=lifecycle.is_final(state, now),
            actions=actions,
            amount_actions=[action for action in actions if lifecycle.asks_for_amount(state, CaseAction(action))],
            next_step=next_step(state, party, now),
            question=_question(session, case) if CaseAction.REPLY.value in actions else None,
            offer=_offer(session, case),
            thread=thread,
            files=[links[a.id] for a in attachments],
            money=_money_lines(session, case, party),
            decision_money={
                action: money_moved(lifecycle.apply(state, party, CaseAction(action), now), summary.amount)
                for action in actions
                if action in DECISIONS
            },
        )


def _money_lines(session: Session, case: Case, viewer: Party) -> list[MoneyLine]:
    """What was paid, oldest first; the platform's reimbursement of the creator is between it and the creator."""
    said = {
        Refund: "refunded to the buyer's payment",
        BalanceCredit: "credited to the buyer's platform balance",
        PlatformReimbursement: "reimbursed by the platform",
    }
    if viewer == Party.BUYER:
        del said[PlatformReimbursement]
    lines = [
        MoneyLine(f"{_of_the_payment(row.amount_minor, case)} {text}", row.created_at)
        for table, text in said.items()
        for row in session.exec(select(table).where(table.case_id == case.id))
    ]
    return sorted(lines, key=lambda line: line.at)


def _of_the_payment(amount_minor: int, case: Case) -> str:
    """ "$19.00", or "$8.00 of $19.00" for part of it."""
    amount = format_money(amount_minor, case.currency)
    return (
        amount if amount_minor >= case.amount_minor else f"{amount} of {format_money(case.amount_minor, case.currency)}"
    )


_OFFERED_BY = {Party.CREATOR: "The creator", Party.BUYER: "The buyer"}


def _offer(session: Session, case: Case) -> Offer | None:
    if case.offer_by is None:
        return None
    query = select(RefundOffer).where(RefundOffer.case_id == case.id, RefundOffer.state == OfferState.OPEN)
    offer = session.exec(query).one()
    return Offer(
        by=_OFFERED_BY[Party(offer.party)],
        party=offer.party,
        amount=format_money(offer.amount_minor, offer.currency),
        message=offer.message,
        made_at=offer.made_at,
        lapses_at=offer.due_at,
    )


def _amounts_said(session: Session, case: Case) -> dict[datetime, str]:
    """The amount each offer, answer and partial refund named, by the moment of its move: their timeline lines say
    it ("offered a partial refund of $8.00"). An offer replaced by a counter-offer ends the moment the new one is
    made, so offers made are written last."""
    offers = list(session.exec(select(RefundOffer).where(RefundOffer.case_id == case.id)))
    said = {o.answered_at: format_money(o.amount_minor, o.currency) for o in offers if o.answered_at}
    said |= {o.made_at: format_money(o.amount_minor, o.currency) for o in offers}
    for refund in session.exec(select(Refund).where(Refund.case_id == case.id)):
        said[refund.created_at] = format_money(refund.amount_minor, refund.currency)
    return said


def _paid_moments(session: Session, case: Case) -> set[datetime]:
    """When the buyer was paid (a refund or a balance credit): a decision made at no such moment paid nothing."""
    return {
        moment
        for table in (Refund, BalanceCredit)
        for moment in session.exec(select(table.created_at).where(table.case_id == case.id))
    }


# A decision for the buyer pays them, unless an earlier one already did: an appeal decided for the buyer again
# leaves them what they have (money_moved says so before the reviewer confirms; the timeline must not say otherwise).
BUYER_WINS = frozenset({"decide_refund", "decide_credit", "decide_partial_refund"})
NOTHING_MORE_PAID = "decided: the buyer wins and keeps what they already have back"

AMOUNT_EVENTS = frozenset(
    {"offer_partial_refund", "propose_partial_refund", "accept_offer", "decline_offer", "decide_partial_refund"}
)


def _file_view(attachment: Attachment, viewer: User, party: Party) -> FileView:
    return FileView(
        name=attachment.display_name,
        content_type=attachment.content_type,
        size=_human_size(attachment.size),
        url=files.signed_link(attachment.id, viewer, party),
        is_image=attachment.content_type.startswith("image/"),
        by=PARTY_NAMES[Party(attachment.party)],
        added_at=attachment.created_at,
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


def _thread(
    session: Session, case: Case, attachments: list[Attachment], links: dict, viewer: Party
) -> list[ThreadItem]:
    """The claim, every move and every message, oldest first: one conversation (reviewers' claims only for them)."""
    events = select(CaseEvent).where(CaseEvent.case_id == case.id)
    if viewer != Party.REVIEWER:
        events = events.where(CaseEvent.kind.not_in(CLAIM_EVENTS))
    events = list(session.exec(events.order_by(CaseEvent.id)))
    messages = list(session.exec(select(Message).where(Message.case_id == case.id).order_by(Message.id)))
    names = _names(session, {e.actor_id for e in events if e.actor_id} | {m.author_id for m in messages if m.author_id})
    files_of: dict[str, list[FileView]] = defaultdict(list)
    for attachment in attachments:
        owner = f"event-{attachment.event_id}" if attachment.event_id else f"message-{attachment.message_id}"
        files_of[owner].append(links[attachment.id])

    def item(key: str, kind: str, at: datetime, party: str, actor_id: int | None, text: str, body: str) -> ThreadItem:
        return ThreadItem(
            key=key,
            kind=kind,
            at=at,
            who=_who(party, actor_id, names),
            party=party,
            is_message=key.startswith("message"),
            text=text,
            body=[TextPart(part, url) for part, url in linked_parts(body)],
            is_long=len(body) > LONG_TEXT_CHARS,
            files=files_of.get(key, []),
        )

    amounts = _amounts_said(session, case) if any(e.kind in AMOUNT_EVENTS for e in events) else {}
    paid = _paid_moments(session, case) if any(e.kind in BUYER_WINS for e in events) else set()
    items = [
        item(f"event-{e.id}", e.kind, e.at, e.party, e.actor_id, _event_text(e, amounts, paid), e.detail)
        for e in events
    ]
    items += [item(f"message-{m.id}", "message", m.created_at, m.party, m.author_id, "", m.body) for m in messages]
    return sorted(items, key=lambda entry: entry.at)


def _event_text(event: CaseEvent, amounts: dict[datetime, str], paid: set[datetime]) -> str:
    if event.kind in BUYER_WINS and event.at not in paid:
        return NOTHING_MORE_PAID
    text = EVENT_TEXTS.get(event.kind, event.kind)
    if event.kind in AMOUNT_EVENTS and event.at in amounts:
        return text.replace("partial refund", f"partial refund of {amounts[event.at]}", 1)
    return text


QUESTIONS = (CaseAction.REQUEST_MORE_INFO, CaseAction.REQUEST_BUYER_INFO, CaseAction.REQUEST_MERCHANT_INFO)
LONG_TEXT_CHARS = 600  # longer words are folded behind "Show more" at first


def _question(session: Session, case: Case) -> Question | None:
    """The latest question asked of the side the case waits on."""
    query = select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind.in_([q.value for q in QUESTIONS]))
    asked = session.exec(query.order_by(CaseEvent.id.desc())).first()
    if asked is None:
        return None
    asker = "the platform" if asked.party == Party.REVIEWER else "the creator"
    return Question(asked_by=asker, text=asked.detail, asked_at=asked.at)
