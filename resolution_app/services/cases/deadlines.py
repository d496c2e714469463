"""Deadlines move cases on by themselves: the lifecycle's EXPIRE applied to every case that is due.

jobs/deadlines.py runs these: a sweep every minute finds the due cases, and one job per case expires it.
"""

from datetime import datetime

from sqlalchemy import or_
from sqlmodel import select

from resolution_app.domain import lifecycle
from resolution_app.domain.enums import CLOSED_STATUSES, CaseAction, Party
from resolution_app.domain.errors import Conflict
from resolution_app.domain.lifecycle import DEADLINE_STATUSES
from resolution_app.infra.clock import clock
from resolution_app.infra.db import transaction
from resolution_app.models import Case
from resolution_app.services.cases.case_state import case_state
from resolution_app.services.cases.transitions import perform


def due_case_ids(now: datetime, limit: int = 200) -> list[int]:
    with transaction() as session:
        return list(
            session.exec(
                select(Case.id)
                .where(
                    Case.due_at <= now,
                    or_(
                        Case.status.in_(DEADLINE_STATUSES),
                        Case.status.in_(CLOSED_STATUSES) & Case.decided_by_reviewer,
                    ),
                )
                .order_by(Case.due_at)
                .limit(limit)
            )
        )


def expire_case(case_id: int) -> bool:
    """Apply the deadline to one case if it is (still) due; returns whether it moved.

    Safe to run twice and from several workers at once: a case locked by another worker is skipped (it is being
    moved), and one no longer due (moved already) is left alone.
    """
    now = clock.now()
    with transaction() as session:
        case = session.exec(select(Case).where(Case.id == case_id).with_for_update(skip_locked=True)).first()
        if case is None or not lifecycle.deadline_passed(case_state(case), now):
            return False
        try:
            perform(session, case, Party.SYSTEM, CaseAction.EXPIRE, now, actor_id=None, detail=_why(case))
        except Conflict:
            return False
        return True


def _why(case: Case) -> str:
    if case.status in CLOSED_STATUSES:
        return "The appeal window closed: the decision is final."
    return "The deadline passed without an answer."
