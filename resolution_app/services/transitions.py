"""The one way a case changes: the lifecycle decides, this module records it."""

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session

from resolution_app.domain import lifecycle
from resolution_app.domain.enums import CLOSED_STATUSES, CaseAction, Outcome, Party
from resolution_app.domain.errors import Conflict
from resolution_app.domain.lifecycle import Transition
from resolution_app.infra.gateway import get_gateway
from resolution_app.models import BalanceCredit, Case, CaseEvent, Payment, PlatformReimbursement
from resolution_app.services.case_state import case_state
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
) -> CaseEvent:
    """Apply `action` to `case`, or raise: ActionNotAllowed, or Conflict when someone else changed it first."""
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
        "outcome": after.outcome,
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
    _pay_out(session, case, transition, now)
    author = party if party != Party.SYSTEM else None
    outbox.queue(session, case, transition.notify, action, detail, now, author=author)
    return event


def _pay_out(session: Session, case: Case, transition: Transition, now: datetime) -> None:
    if transition.reimburse_creator:
        session.add(
            PlatformReimbursement(
                case_id=case.id,
                business_id=case.business_id,
                amount_minor=case.amount_minor,
                currency=case.currency,
                created_at=now,
            )
        )
        session.flush()
    if transition.pay_out == Outcome.REFUND:
        payment = session.get(Payment, case.payment_id)
        get_gateway().refund(session, payment, case.id, now)
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
