"""A buyer opens a claim on a payment."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from resolution_app.domain import lifecycle
from resolution_app.domain.claims import validate_description, validate_reason
from resolution_app.domain.eligibility import claim_refusal, ensure_claimable
from resolution_app.domain.enums import CaseStatus, Party
from resolution_app.domain.errors import NotEligible, NotFound
from resolution_app.domain.ids import is_row_id
from resolution_app.domain.money import format_money
from resolution_app.domain.notifications import OPENED
from resolution_app.infra.clock import clock
from resolution_app.infra.db import transaction
from resolution_app.infra.evidence import IncomingFile
from resolution_app.models import Business, Case, CaseEvent, Payment, Product, User
from resolution_app.services import files
from resolution_app.services.buyers.purchases import payment_facts
from resolution_app.services.creator.auto_respond import respond_to_new_case
from resolution_app.services.developers import webhook_events
from resolution_app.services.notifications import outbox

ALREADY_CLAIMED = "This payment already has a case."
PAYMENT_NOT_FOUND = "Payment not found."


@dataclass(frozen=True)
class ClaimablePayment:
    payment_id: int
    product: str
    business: str
    amount: str
    refusal: str | None


def _own_payment(session: Session, user: User, payment_id: int, *, lock: bool = False) -> Payment:
    if not is_row_id(payment_id):
        raise NotFound(PAYMENT_NOT_FOUND)
    query = select(Payment).where(Payment.id == payment_id)
    if lock:
        query = query.with_for_update()
    payment = session.exec(query).first()
    if payment is None or payment.buyer_id != user.id:
        raise NotFound(PAYMENT_NOT_FOUND)  # someone else's payment looks like no payment at all
    return payment


def _has_case(session: Session, payment_id: int) -> bool:
    return session.exec(select(Case.id).where(Case.payment_id == payment_id)).first() is not None


def claimable_payment(user: User, payment_id: int) -> ClaimablePayment:
    with transaction() as session:
        payment = _own_payment(session, user, payment_id)
        product = session.get(Product, payment.product_id)
        business = session.get(Business, payment.business_id)
        facts = payment_facts(payment, _has_case(session, payment.id))
        return ClaimablePayment(
            payment_id=payment.id,
            product=product.name,
            business=business.name,
            amount=format_money(payment.amount_minor, payment.currency),
            refusal=claim_refusal(facts, user.id, clock.now()),
        )


def open_claim(user: User, payment_id: int, reason: str, description: str, uploads: Sequence[IncomingFile]) -> int:
    """Open a case on the buyer's payment and return its id. Nothing is stored when anything is refused."""
    chosen_reason, text = validate_reason(reason), validate_description(description)
    now = clock.now()
    with transaction() as session:  # refuse early, before any file is stored
        payment = _own_payment(session, user, payment_id)
        ensure_claimable(payment_facts(payment, _has_case(session, payment.id)), user.id, now)
    try:
        with files.stored_evidence(uploads) as accepted, transaction() as session:
            payment = _own_payment(session, user, payment_id, lock=True)
            ensure_claimable(payment_facts(payment, _has_case(session, payment.id)), user.id, now)
            state = lifecycle.open_case(now)
            case = Case(
                payment_id=payment.id,
                buyer_id=user.id,
                business_id=payment.business_id,
                reason=chosen_reason,
                description=text,
                status=state.status,
                due_at=state.due_at,
                amount_minor=payment.amount_minor,
                currency=payment.currency,
                opened_at=now,
                updated_at=now,
            )
            session.add(case)
            session.flush()  # the unique payment_id decides between two simultaneous claims
            webhook_events.note_case(session, case, now, opened=True)
            event = CaseEvent(
                case_id=case.id,
                at=now,
                actor_id=user.id,
                party=Party.BUYER,
                kind="opened",
                to_status=CaseStatus(case.status),
                detail=text,
            )
            session.add(event)
            session.flush()
            files.attach(session, case, accepted, user=user, party=Party.BUYER, now=now, event_id=event.id)
            outbox.queue(session, case, frozenset({Party.CREATOR}), OPENED, text, now, author=Party.BUYER)
            respond_to_new_case(session, case, payment, now)
            return case.id
    except IntegrityError:
        raise NotEligible(ALREADY_CLAIMED) from None
