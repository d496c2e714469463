"""What the reviewer's case page adds to the shared one: who has claimed it, the reviewers' internal notes, the
first decision an appeal is about, and the customer as the creator sees them."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from resolution_app.domain.enums import DECISIONS, Party
from resolution_app.infra.db import read
from resolution_app.models import Case, CaseEvent, User
from resolution_app.services.access import require_case, require_reviewer
from resolution_app.services.creator.customer_context import CustomerContext, customer_context
from resolution_app.services.review.claims import ClaimView, claim_view
from resolution_app.services.review.notes import NoteView, case_notes


@dataclass(frozen=True)
class FirstDecision:
    """The platform decision an appeal is against."""

    by: str
    at: datetime
    action: str  # the decision's CaseAction value
    rationale: str


@dataclass(frozen=True)
class ReviewCaseFile:
    claim: ClaimView
    notes: list[NoteView]
    first_decision: FirstDecision | None  # set once the case has been decided and then appealed
    customer: CustomerContext


def review_case_file(user: User, case_id: int) -> ReviewCaseFile:
    """NotFound for anyone but a reviewer, and for cases that don't exist."""
    require_reviewer(user)
    with read() as session:
        case = require_case(session, user, case_id, Party.REVIEWER)
        claim, notes, first = claim_view(session, user, case), case_notes(session, case.id), None
        if case.appealed:
            first = _first_decision(session, case)
    return ReviewCaseFile(
        claim=claim, notes=notes, first_decision=first, customer=customer_context(user, case_id, Party.REVIEWER)
    )


def _first_decision(session: Session, case: Case) -> FirstDecision | None:
    decisions = select(CaseEvent, User.name).join(User, User.id == CaseEvent.actor_id)
    decisions = decisions.where(CaseEvent.case_id == case.id, CaseEvent.kind.in_([d.value for d in DECISIONS]))
    row = session.exec(decisions.order_by(CaseEvent.id)).first()
    if row is None:
        return None
    event, name = row
    return FirstDecision(by=name, at=event.at, action=event.kind, rationale=event.detail)
