"""The one way a case changes: the lifecycle decides, this module records it."""

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, select

from resolution_app.domain import lifecycle
from resolution_app.domain.enums import (
    AMOUNT_ACTIONS,
    CLOSED_STATUSES,
    OFFER_ANSWERS,
    OFFERS,
    CaseAction,
    OfferState,
    Outcome,
    Party,
)
from resolution_app.domain.errors import Conflict
from resolution_app.domain.lifecycle import Transition
from resolution_app.domain.money import format_money
from resolution_app.infra.gateway import get_gateway
from resolution_app.models import BalanceCredit, Case, CaseEvent, Payment, PlatformReimbursement, Refund, RefundOffer
from resolution_app.services.cases.case_state import case_state
from resolution_app.services.developers import webhook_events
from resolution_app.services.notifications import outbox

CASE_CHANGED = "This case has changed since you opened it. The page now shows it as it is."


def perform(
    session: Session,
    case: Case,
    party: Party,
    action: CaseAction,
    now: datetime,
    *,
    actor_id: int | None,
    detail: str = "",
    amount_minor: int | None = None,
) -> CaseEvent:
    """Apply `action` to `case`, or raise: ActionNotAllowed, or Conflict when someone else changed it first.

    `amount_minor` is the partial refund an offer puts on the table or a reviewer decides (checked by the caller
    against the payment); accepting an offer refunds the amount of the offer on the table."""
    transition = lifecycle.apply(case_state(case), party, action, now)
    webhook_events.note_case(session, case, now)
    after = transition.after
    values = {
        "status": after.status,
        "due_at": after.due_at,
        "info_requested_by": after.info_requested_by,
        "decided_by_reviewer": after.decided_by_reviewer,
        "appealed": after.appealed,
        "paid_out": after.paid_out,
        "creator_paid": after.creator_paid,
        "paid_partial": after.paid_partial,
        "outcome": after.outcome,
        "offer_by": after.offer_by,
        "updated_at": now,
        "version": case.version + 1,
    }
    if after.status in CLOSED_STATUSES and transition.before.status not in CLOSED_STATUSES:
        values["resolved_at"] = now
    if after.decided_by_reviewer and not transition.before.decided_by_reviewer and not after.appealed:
        values["decided_by_id"] = actor_id
    # Compare-and-set on the version: of two concurrent writers exactly one changes the row.
    result = session.execute(update(Case).where(Case.id == case.id, Case.version == case.version).values(**values))
    if result.rowcount != 1:
        raise Conflict(CASE_CHANGED)
    for key, value in values.items():
        setattr(case, key, value)
    event = CaseEvent(
        case_id=case.id,
        at=now,
        actor_id=actor_id,
        party=party,
        kind=action,
        from_status=transition.before.status,
        to_status=after.status,
        detail=detail,
    )
    session.add(event)
    session.flush()
    ended = _settle_offers(session, case, transition, now, actor_id, detail, amount_minor)
    partial_minor = ended.amount_minor if action in OFFER_ANSWERS else amount_minor  # an answer names the offer's
    _pay_out(session, case, transition, now, partial_minor)
    author = party if party != Party.SYSTEM else None
    told = _with_amount(detail, partial_minor, case.currency) if action in AMOUNT_MOVES else detail
    outbox.queue(session, case, transition.notify, action, told, now, author=author)
    return event


AMOUNT_MOVES = AMOUNT_ACTIONS | OFFER_ANSWERS  # the people told hear how much


def _with_amount(detail: str, amount_minor: int | None, currency: str) -> str:
    said = f"Partial refund: {format_money(amount_minor, currency)}" if amount_minor else ""
    return "\n\n".join(part for part in (said, detail) if part)


def _settle_offers(
    session: Session,
    case: Case,
    transition: Transition,
    now: datetime,
    actor_id: int | None,
    message: str,
    amount_minor: int | None,
) -> RefundOffer | None:
    """The offer on the table ends with any move but an offer: accepted, declined, or lapsed as the case moves on;
    a new offer replaces it. Returns the offer that ended, if any."""
    ended = None
    if transition.before.offer_by is not None:
        ended = session.exec(
            select(RefundOffer).where(RefundOffer.case_id == case.id, RefundOffer.state == OfferState.OPEN)
        ).one()
        ended.state = _OFFER_ENDINGS.get(transition.action, OfferState.LAPSED)
        ended.answered_at = now
        session.add(ended)
        session.flush()  # before a new offer: one open offer per case, the database checks it
    if transition.action in OFFERS:
        if amount_minor is None:
            raise ValueError("An offer needs its amount.")
        session.add(
            RefundOffer(
                case_id=case.id,
                party=transition.party,
                made_by_id=actor_id,
                amount_minor=amount_minor,
                currency=case.currency,
                message=message,
                made_at=now,
                due_at=case.due_at,
            )
        )
        session.flush()
    return ended


_OFFER_ENDINGS = {
    CaseAction.ACCEPT_OFFER: OfferState.ACCEPTED,
    CaseAction.DECLINE_OFFER: OfferState.DECLINED,
    CaseAction.OFFER_PARTIAL_REFUND: OfferState.REPLACED,
    CaseAction.PROPOSE_PARTIAL_REFUND: OfferState.REPLACED,
}


def _pay_out(session: Session, case: Case, transition: Transition, now: datetime, partial_minor: int | None) -> None:
    if transition.reimburse_creator:
        # What the creator paid comes back to them: the refund as the gateway recorded it, all or part.
        refunded = session.exec(select(Refund.amount_minor).where(Refund.case_id == case.id)).one()
        session.add(
            PlatformReimbursement(
                case_id=case.id,
                business_id=case.business_id,
                amount_minor=refunded,
                currency=case.currency,
                created_at=now,
            )
        )
        session.flush()
    if transition.pay_out == Outcome.REFUND:
        payment = session.get(Payment, case.payment_id)
        get_gateway().refund(session, payment, case.id, now)
    elif transition.pay_out == Outcome.PARTIAL_REFUND:
        if partial_minor is None or not 0 < partial_minor < case.amount_minor:
            raise ValueError(f"A partial refund of {partial_minor} doesn't fit case {case.id}.")
        payment = session.get(Payment, case.payment_id)
        get_gateway().refund(session, payment, case.id, now, amount_minor=partial_minor)
    elif transition.pay_out == Outcome.CREDIT:
        session.add(
            BalanceCredit(
                case_id=case.id,
                user_id=case.buyer_id,
                amount_minor=case.amount_minor,
                currency=case.currency,
                created_at=now,
            )
        )
        session.flush()
