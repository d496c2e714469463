"""Deadline reminders: a day before the creator's or the buyer's deadline, the waiting party hears once.

Once per deadline whatever the number of workers: the case row records the deadline its reminder went for, set by
a conditional update that only one transaction can win, and only while the case still waits on that deadline.
"""

from datetime import datetime

from sqlalchemy import or_, update
from sqlmodel import select

from resolution_app.domain.enums import CaseStatus, Party
from resolution_app.domain.lifecycle import DEADLINE_STATUSES
from resolution_app.domain.notifications import REMINDER, reminder_due, reminder_text
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.infra.db import read, transaction
from resolution_app.models import Case
from resolution_app.services.notifications import outbox


def due_case_ids(now: datetime, limit: int = 500) -> list[int]:
    with read() as session:
        return list(
            session.exec(
                select(Case.id)
                .where(
                    Case.status.in_(DEADLINE_STATUSES),
                    Case.due_at > now,
                    Case.due_at <= now + DEFAULT_POLICY.deadline_reminder_lead,
                    or_(Case.reminded_due_at.is_(None), Case.reminded_due_at != Case.due_at),
                )
                .order_by(Case.due_at)
                .limit(limit)
            )
        )


def send_due(now: datetime) -> int:
    """Remind every party whose deadline is near; returns how many reminders went."""
    return sum(send_reminder(case_id, now) for case_id in due_case_ids(now))


def send_reminder(case_id: int, now: datetime) -> bool:
    """Remind the waiting party of this case's deadline, unless it was done already or the case has moved on."""
    with transaction() as session:
        case = session.get(Case, case_id)
        if case is None:
            return False
        status = CaseStatus(case.status)
        party = reminder_due(status, case.due_at, case.reminded_due_at, now)
        if party is None:
            return False
        won = session.execute(
            update(Case)
            .where(
                Case.id == case.id,
                Case.status == case.status,
                Case.due_at == case.due_at,
                or_(Case.reminded_due_at.is_(None), Case.reminded_due_at != Case.due_at),
            )
            .values(reminded_due_at=case.due_at)
        ).rowcount
        if won != 1:
            return False  # another worker sent it, or the case moved on just now
        asked_by = Party(case.info_requested_by) if case.info_requested_by else None
        outbox.queue(session, case, frozenset({party}), REMINDER, reminder_text(status, asked_by, case.due_at), now)
        return True
