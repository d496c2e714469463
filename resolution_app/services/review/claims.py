"""Claiming a case for review: one reviewer works it at a time, and only they may ask questions or decide.

Each change is one conditional UPDATE, so of two reviewers claiming at once exactly one gets the case; the other is
told who did. Claims, releases and take-overs are recorded in the case's timeline, which only reviewers see.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session

from resolution_app.domain.enums import DECISIONS, CaseStatus, Party
from resolution_app.domain.errors import ActionNotAllowed, Conflict, Forbidden
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.domain.review_claims import claim_lapsed
from resolution_app.infra.clock import clock
from resolution_app.infra.db import transaction
from resolution_app.models import Case, CaseEvent, User
from resolution_app.services.access import require_case, require_reviewer

CLAIM_EVENTS = frozenset({"claimed", "released", "taken_over"})  # reviewers' own lines of the timeline


def claim(user: User, case_id: int) -> None:
    """Assign an unclaimed case under review to `user`."""
    _change(user, case_id, "claimed", Case.assigned_reviewer_id.is_(None), user.id)


def release(user: User, case_id: int) -> None:
    """Give the case back to the queue; only its claimer may."""
    _change(user, case_id, "released", Case.assigned_reviewer_id == user.id, None)


def take_over(user: User, case_id: int) -> None:
    """Take a case whose claimer has been idle past the policy's limit."""
    idle_since = clock.now() - DEFAULT_POLICY.review_claim_idle_limit
    lapsed = (Case.assigned_reviewer_id != user.id) & (Case.claimed_at < idle_since)
    _change(user, case_id, "taken_over", lapsed, user.id)


@dataclass(frozen=True)
class ClaimView:
    claimed_by: str  # the reviewer's name, or ""
    mine: bool
    lapsed: bool  # idle past the limit: another reviewer may take it over
    decided_first: bool  # the viewer made the decision under appeal, so may not decide the appeal


def claim_view(session: Session, user: User, case: Case) -> ClaimView:
    """Who works the case, for the reviewer's case page. The caller has checked `user` is a reviewer."""
    holder = session.get(User, case.assigned_reviewer_id) if case.assigned_reviewer_id else None
    return ClaimView(
        claimed_by=holder.name if holder else "",
        mine=holder is not None and holder.id == user.id,
        lapsed=holder is not None and claim_lapsed(case.claimed_at, clock.now()),
        decided_first=case.appealed and case.decided_by_id == user.id,
    )


def reviewer_refusal(case: Case, user: User, action: str) -> Forbidden | None:
    """Why `user` may not take `action` on the case as a reviewer, or None: questions and decisions are the
    claimer's alone, and an appeal is decided by someone other than the first decider."""
    if case.assigned_reviewer_id != user.id:
        return Forbidden("Claim the case before you ask questions or decide it.")
    if action in DECISIONS and case.appealed and case.decided_by_id == user.id:
        return Forbidden("You made the first decision: another reviewer decides the appeal.")
    return None


def reviewer_actions(case: Case, user: User, actions: list[str]) -> list[str]:
    """The lifecycle's actions this reviewer may take: the page offers no button the service would refuse."""
    return [action for action in actions if reviewer_refusal(case, user, action) is None]


def _change(user: User, case_id: int, kind: str, condition: object, reviewer_id: int | None) -> None:
    require_reviewer(user)
    now = clock.now()
    with transaction() as session:
        case = require_case(session, user, case_id, Party.REVIEWER)
        if case.status != CaseStatus.UNDER_PLATFORM_REVIEW:
            raise ActionNotAllowed("This case isn't waiting on the platform.")
        changed = session.execute(
            update(Case)
            .where(Case.id == case.id, Case.status == CaseStatus.UNDER_PLATFORM_REVIEW, condition)
            .values(assigned_reviewer_id=reviewer_id, claimed_at=now if reviewer_id else None)
        )
        if changed.rowcount != 1:
            raise _refusal(session, case, user, kind, now)
        session.add(CaseEvent(case_id=case.id, at=now, actor_id=user.id, party=Party.REVIEWER, kind=kind))


def _refusal(session: Session, case: Case, user: User, kind: str, now: datetime) -> Exception:
    session.refresh(case)
    if case.status != CaseStatus.UNDER_PLATFORM_REVIEW:
        return Conflict("This case has just moved on and no longer waits on the platform. The page now shows it.")
    holder = session.get(User, case.assigned_reviewer_id) if case.assigned_reviewer_id else None
    if kind == "released":
        return Forbidden("Only the reviewer who claimed the case can release it.")
    if holder is None:
        return Conflict("Nobody has claimed this case; claim it instead.")
    if holder.id == user.id:
        return Conflict("You have claimed this case already.")
    if kind == "taken_over" and not claim_lapsed(case.claimed_at, now):
        hours = int(DEFAULT_POLICY.review_claim_idle_limit.total_seconds() // 3600)
        return Conflict(f"{holder.name} is working on this case; it can be taken over after {hours} idle hours.")
    return Conflict(f"{holder.name} claimed this case first.")
