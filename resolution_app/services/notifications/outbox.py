"""Notifications, written in the same transaction as the change they announce (the transactional outbox).

Each person told gets an in-app notification, and unless they turned Resolution Center emails off, an email to go
with it: at once for a change of the case, gathered into one digest per window for chat messages. The delivery job
is queued in the same transaction, so it runs once the change is committed, never before and never not at all.
"""

import uuid
from datetime import datetime

from sqlalchemy import func, text
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session, select

from resolution_app.domain import notifications as wording
from resolution_app.domain.enums import CLOSED_STATUSES, STATUS_LABELS, CaseAction, CaseStatus, Party
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.infra.job_queue import defer_with
from resolution_app.infra.settings import get_settings
from resolution_app.models import BusinessMember, Case, Notification, OutboundEmail, User
from resolution_app.services.access import ACTING_ROLES

DELIVER_TASK = "deliver_emails"  # jobs/mail.py
OPEN_DIGEST = "kind = 'digest' AND status = 'pending'"  # the predicate of ux_outbound_email_open_digest
_DELIVERY_QUEUED = "delivery_queued"  # session.info: the job is queued once per transaction


def recipients(session: Session, case: Case, party: Party, kind: str) -> list[User]:
    """The people who stand for `party` in `case`: the buyer, the business's acting members, or one reviewer."""
    if party == Party.BUYER:
        ids = [case.buyer_id]
    elif party == Party.CREATOR:
        query = select(BusinessMember.user_id).where(
            BusinessMember.business_id == case.business_id, BusinessMember.role.in_(ACTING_ROLES)
        )
        ids = list(session.exec(query))
    elif party == Party.REVIEWER:
        # An appeal is news to the reviewer whose decision it was; anything else to the reviewer who claimed it.
        reviewer = case.decided_by_id if kind == CaseAction.APPEAL else case.assigned_reviewer_id
        ids = [reviewer] if reviewer else []
    else:
        ids = []
    return list(session.exec(select(User).where(User.id.in_(ids)).order_by(User.id))) if ids else []


def queue(
    session: Session,
    case: Case,
    parties: frozenset[Party],
    kind: str,
    detail: str,
    now: datetime,
    *,
    author: Party | None = None,
) -> list[Notification]:
    """Tell each of `parties` about `kind` on `case`. `detail`: the words that came with it, by `author`."""
    final = case.appealed and CaseStatus(case.status) in CLOSED_STATUSES
    rows = []
    for party in sorted(parties):
        for user in recipients(session, case, party, kind):
            notification = Notification(
                user_id=user.id,
                case_id=case.id,
                party=party,
                kind=str(kind),
                title=wording.headline(kind, party, final=final),
                status_label=STATUS_LABELS[CaseStatus(case.status)],
                body=detail,
                author=wording.AUTHORS.get(author, "") if author else "",
                created_at=now,
            )
            if user.emails_enabled:
                notification.email_id = _email_for(session, user, case, kind, now)
            rows.append(notification)
    session.add_all(rows)
    if any(row.email_id for row in rows) and not session.info.get(_DELIVERY_QUEUED):
        defer_with(session, DELIVER_TASK)
        session.info[_DELIVERY_QUEUED] = True
    return rows


def _email_for(session: Session, user: User, case: Case, kind: str, now: datetime) -> int:
    if kind == wording.MESSAGE:
        return _digest_for(session, user.id, case.id, now)
    email = _new_email(user.id, case.id, "single", now, not_before=now)
    session.add(email)
    session.flush()
    return email.id


def _digest_for(session: Session, user_id: int, case_id: int, now: datetime) -> int:
    """The digest this person's next email about the chat of this case goes out in: the one still waiting, or a new
    one no sooner than a window after the last. Two messages at once join the same digest (the unique index)."""
    last = session.exec(
        select(func.max(func.coalesce(OutboundEmail.sent_at, OutboundEmail.not_before))).where(
            OutboundEmail.user_id == user_id, OutboundEmail.case_id == case_id, OutboundEmail.kind == "digest"
        )
    ).one()
    not_before = max(now, last + DEFAULT_POLICY.chat_email_window) if last else now
    values = _new_email(user_id, case_id, "digest", now, not_before=not_before).model_dump(exclude={"id"})
    statement = (
        insert(OutboundEmail)
        .values(**values)
        .on_conflict_do_update(
            index_elements=["user_id", "case_id"],
            index_where=text(OPEN_DIGEST),
            set_={"user_id": user_id},  # no change: it makes the open digest's id come back, and holds its row
        )
        .returning(OutboundEmail.id)
    )
    return session.execute(statement).scalar_one()


def _new_email(user_id: int, case_id: int, kind: str, now: datetime, *, not_before: datetime) -> OutboundEmail:
    return OutboundEmail(
        user_id=user_id,
        case_id=case_id,
        kind=kind,
        message_id=f"<{uuid.uuid4().hex}@{get_settings().mail_domain}>",
        created_at=now,
        not_before=not_before,
        next_attempt_at=not_before,
    )
