"""A case row as the lifecycle sees it: the one bridge from the model to the domain's rules."""

from resolution_app.domain.enums import CaseStatus, Outcome, Party
from resolution_app.domain.lifecycle import CaseState
from resolution_app.models import Case


def case_state(case: Case) -> CaseState:
    return CaseState(
        status=CaseStatus(case.status),
        due_at=case.due_at,
        info_requested_by=Party(case.info_requested_by) if case.info_requested_by else None,
        decided_by_reviewer=case.decided_by_reviewer,
        appealed=case.appealed,
        paid_out=case.paid_out,
        creator_paid=case.creator_paid,
        paid_partial=case.paid_partial,
        outcome=Outcome(case.outcome) if case.outcome else None,
        offer_by=Party(case.offer_by) if case.offer_by else None,
    )
