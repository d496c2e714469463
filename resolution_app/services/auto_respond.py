"""A business's auto-respond rules, and applying them to a case that has just opened."""

from datetime import datetime

from sqlmodel import Session

from resolution_app.domain.auto_respond import AutoRespondRules, auto_refund_rule
from resolution_app.domain.enums import CaseAction, Party, PaymentMethod, Reason
from resolution_app.models import AutoRespondSettings, Case, Message, Payment
from resolution_app.services import transitions


def rules_for(session: Session, business_id: int) -> AutoRespondRules:
    row = session.get(AutoRespondSettings, business_id)
    if row is None:
        return AutoRespondRules()
    return AutoRespondRules(
        card_below_minor=row.card_below_minor,
        paypal_below_minor=row.paypal_below_minor,
        reasons=frozenset(Reason(value) for value in row.reasons.split(",") if value),
        custom_message=row.custom_message or None,
    )


def respond_to_new_case(session: Session, case: Case, payment: Payment, now: datetime) -> None:
    """Refund at once when a rule says so, and post the business's custom message into the case."""
    rules = rules_for(session, case.business_id)
    rule = auto_refund_rule(
        PaymentMethod(payment.method), payment.amount_minor, Reason(case.reason), rules, currency=payment.currency
    )
    if rule is None:
        return
    detail = f"{rule}." + (f"\n\n{rules.custom_message}" if rules.custom_message else "")
    transitions.perform(session, case, Party.SYSTEM, CaseAction.AUTO_REFUND, now, actor_id=None, detail=detail)
    if rules.custom_message:
        session.add(
            Message(case_id=case.id, author_id=None, party=Party.CREATOR, body=rules.custom_message, created_at=now)
        )
