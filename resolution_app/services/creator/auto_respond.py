"""A business's auto-respond rules: the creator's settings page, and applying them to a case that has just opened."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from resolution_app.domain.auto_respond import AutoRespondRules, auto_refund_rule, validate_threshold
from resolution_app.domain.enums import CaseAction, Party, PaymentMethod, Reason
from resolution_app.domain.errors import InvalidInput
from resolution_app.domain.money import parse_money, to_decimal_string
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.domain.text import written
from resolution_app.infra.clock import clock
from resolution_app.infra.db import transaction
from resolution_app.models import AutoRespondSettings, Case, Message, Payment, User
from resolution_app.services.cases import transitions
from resolution_app.services.creator.businesses import creator_business

CARD_LABEL = "Auto-refund card payments below"
PAYPAL_LABEL = "Auto-refund PayPal payments below"


@dataclass(frozen=True)
class AutoRespondView:
    """The settings form's values: thresholds as decimal strings in the business's currency, "" when off."""

    card_below: str
    paypal_below: str
    reasons: list[str]
    custom_message: str
    currency: str


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


def settings_view(user: User) -> AutoRespondView:
    """The settings of the user's business, for any of its members."""
    with transaction() as session:
        business = creator_business(session, user)
        rules = rules_for(session, business.id)
    return AutoRespondView(
        card_below=_threshold_text(rules.card_below_minor, business.currency),
        paypal_below=_threshold_text(rules.paypal_below_minor, business.currency),
        reasons=[reason.value for reason in Reason if reason in rules.reasons],
        custom_message=rules.custom_message or "",
        currency=business.currency,
    )


def save_settings(user: User, card_below: str, paypal_below: str, reasons: list[str], custom_message: str) -> None:
    """Replace the business's settings; an owner or manager only. Nothing is saved when any value is refused."""
    chosen_reasons = _reasons(reasons)
    message = _custom_message(custom_message)
    with transaction() as session:
        # The lock makes two first saves run one after the other instead of both inserting the row.
        business = creator_business(session, user, acting=True, lock=True)
        card_minor = _threshold(CARD_LABEL, card_below, business.currency, "card_below")
        paypal_minor = _threshold(PAYPAL_LABEL, paypal_below, business.currency, "paypal_below")
        now = clock.now()
        row = session.get(AutoRespondSettings, business.id) or AutoRespondSettings(
            business_id=business.id, updated_at=now
        )
        row.card_below_minor, row.paypal_below_minor = card_minor, paypal_minor
        row.reasons = ",".join(reason.value for reason in chosen_reasons)
        row.custom_message = message
        row.updated_at = now
        session.add(row)


def _threshold_text(amount_minor: int | None, currency: str) -> str:
    return "" if amount_minor is None else to_decimal_string(amount_minor, currency)


def _threshold(label: str, text: str, currency: str, field: str) -> int | None:
    """What the creator typed: empty turns the rule off; errors name the field they are about."""
    if not text.strip():
        return None
    try:
        return validate_threshold(parse_money(text, currency), currency)
    except InvalidInput as error:
        raise InvalidInput(f"{label}: {error.message}", field) from None


def _reasons(values: list[str]) -> list[Reason]:
    known = {reason.value for reason in Reason}
    if any(value not in known for value in values):
        raise InvalidInput("Unknown reason in the auto-refund reasons.")
    return [reason for reason in Reason if reason.value in values]  # the enum's order, each once


def _custom_message(text: str) -> str:
    message = written(text).strip()
    if len(message) > DEFAULT_POLICY.auto_respond_message_max_chars:
        raise InvalidInput(
            f"The custom message can be at most {DEFAULT_POLICY.auto_respond_message_max_chars:,} characters.",
            "custom_message",
        )
    return message
