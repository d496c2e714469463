"""Notification rows, written in the same transaction as the change they announce (the outbox)."""

from datetime import datetime

from sqlmodel import Session, select

from resolution_app.domain.enums import STATUS_LABELS, CaseAction, CaseStatus, Party
from resolution_app.models import BusinessMember, Case, Notification, User
from resolution_app.services.access import ACTING_ROLES

A = CaseAction

HEADLINES: dict[str, str] = {
    "opened": "New case opened",
    A.ACCEPT: "The creator accepted your claim",
    A.DENY: "The creator denied your claim",
    A.REQUEST_MORE_INFO: "More information was requested",
    A.WITHDRAW: "The buyer withdrew the case",
    A.ESCALATE: "The case was escalated to the platform",
    A.REPLY: "The buyer replied to your question",
    A.APPEAL: "A decision was appealed",
    A.REQUEST_BUYER_INFO: "The platform asked you for information",
    A.REQUEST_MERCHANT_INFO: "The platform asked you for information",
    A.DECIDE_REFUND: "The platform decided: refund",
    A.DECIDE_CREDIT: "The platform decided: balance credit",
    A.DECIDE_MERCHANT_WINS: "The platform decided for the creator",
    A.AUTO_REFUND: "Refunded automatically",
    A.EXPIRE: "A deadline passed",
}


def recipients(session: Session, case: Case, party: Party) -> list[User]:
    if party == Party.BUYER:
        buyer = session.get(User, case.buyer_id)
        return [buyer] if buyer else []
    if party == Party.CREATOR:
        return list(
            session.exec(
                select(User)
                .join(BusinessMember, BusinessMember.user_id == User.id)
                .where(BusinessMember.business_id == case.business_id, BusinessMember.role.in_(ACTING_ROLES))
            )
        )
    return []


def queue(
    session: Session, case: Case, parties: frozenset[Party], kind: str, detail: str, now: datetime
) -> list[Notification]:
    headline = HEADLINES.get(kind, "Your case was updated")
    status = STATUS_LABELS[CaseStatus(case.status)]
    rows = []
    for party in sorted(parties):
        for user in recipients(session, case, party):
            body = f"Case #{case.id} is now: {status}." + (f"\n\n{detail}" if detail else "")
            rows.append(
                Notification(
                    user_id=user.id,
                    case_id=case.id,
                    kind=str(kind),
                    title=f"{headline} (case #{case.id})",
                    body=body,
                    created_at=now,
                    email_status="pending" if user.emails_enabled else "skipped",
                    email_next_attempt_at=now,
                )
            )
    session.add_all(rows)
    return rows
