"""Whose move it is on a case, told to one viewer: what they may do, by when, and what happens if nobody moves.

What happens at a deadline is read from the lifecycle itself (the EXPIRE move), so the banner can never promise
something the deadline job won't do.
"""

from dataclasses import dataclass
from datetime import datetime

from resolution_app.domain import lifecycle
from resolution_app.domain.enums import CaseAction, CaseStatus, Outcome, Party
from resolution_app.domain.lifecycle import CaseState

S = CaseStatus
SIDE_NAMES = {Party.BUYER: "the buyer", Party.CREATOR: "the creator", Party.REVIEWER: "the platform"}


@dataclass(frozen=True)
class NextStep:
    tone: str  # "act" (the viewer's move), "wait" (someone else's), "closed"
    headline: str  # e.g. "Your move: answer the creator's question"
    deadline: datetime | None  # someone's deadline; never the reviewers' target
    # Told around the deadline: "If you don't <verb> by <deadline>, <consequence>." or, waiting on the other side,
    # "Waiting on the buyer until <deadline>. If they don't <verb>, <consequence>."
    verb: str = ""
    consequence: str = ""
    waiting_on: str = ""  # "the buyer", when the viewer waits on someone
    review_target: datetime | None = None  # when reviewers aim to decide (reported, not a deadline)
    review_late: bool = False  # the target has passed with no decision: said as such, not as a promise


def someones_deadline(status: CaseStatus, due_at: datetime | None) -> datetime | None:
    """The time a party must act by, if any. Under review the due time is the reviewers' target: no one's deadline.
    (A closed case keeps a due time only while its appeal window is open.)"""
    return None if status == S.UNDER_PLATFORM_REVIEW else due_at


def next_step(state: CaseState, viewer: Party, now: datetime) -> NextStep:
    if lifecycle.is_final(state, now):
        return NextStep(tone="closed", headline=_closed_headline(state), deadline=None)
    if state.status in lifecycle.DECIDED_STATUSES:
        return _appeal_window(state, viewer)
    if state.status == S.UNDER_PLATFORM_REVIEW:
        headline = "The platform is reviewing the case"
        late = state.due_at is not None and state.due_at <= now
        return NextStep(tone="wait", headline=headline, deadline=None, review_target=state.due_at, review_late=late)
    mover = lifecycle.WAITING_ON[state.status]
    verb = _VERBS[state.status]
    consequence = _consequence(state)
    if mover == viewer:
        return NextStep(
            tone="act", headline=_your_move(state), deadline=state.due_at, verb=verb, consequence=consequence
        )
    return NextStep(
        tone="wait",
        headline=f"Waiting on {SIDE_NAMES[mover]}",
        deadline=state.due_at,
        verb=verb,
        consequence=consequence,
        waiting_on=SIDE_NAMES[mover],
    )


_VERBS = {
    S.MERCHANT_RESPONSE_NEEDED: "respond",
    S.CUSTOMER_INFO_NEEDED: "reply",
    S.CUSTOMER_RESPONSE_NEEDED: "escalate",
    S.MERCHANT_INFO_NEEDED: "reply",
}


def _your_move(state: CaseState) -> str:
    if state.status == S.MERCHANT_RESPONSE_NEEDED:
        return "Your move: accept the claim, deny it, or ask the buyer for more information"
    if state.status == S.CUSTOMER_RESPONSE_NEEDED:
        return "The creator denied your claim. Your move: escalate it to the platform, or withdraw it"
    asker = "the platform's" if state.info_requested_by == Party.REVIEWER else "the creator's"
    return f"Your move: answer {asker} question"


def _consequence(state: CaseState) -> str:
    """What the deadline job will do, in words: the lifecycle's EXPIRE applied at the deadline."""
    if state.due_at is None:
        return ""
    after = lifecycle.apply(state, Party.SYSTEM, CaseAction.EXPIRE, state.due_at).after
    if after.status == S.UNDER_PLATFORM_REVIEW:
        return "the case goes to platform review"
    if after.status == S.MERCHANT_WON:
        return "the case closes in the creator's favour"
    return "the case moves on"  # no rule leads anywhere else today; said plainly if one ever does


def _appeal_window(state: CaseState, viewer: Party) -> NextStep:
    loser = lifecycle.losing_party(state)
    decided = _closed_headline(state)
    if viewer == loser:
        return NextStep(
            tone="act",
            headline=f"{decided}. You may appeal once",
            deadline=state.due_at,
            verb="appeal",
            consequence="the decision becomes final",
        )
    return NextStep(
        tone="wait",
        headline=f"{decided}. {SIDE_NAMES[loser].capitalize()} may still appeal",
        deadline=state.due_at,
        verb="appeal",
        consequence="the decision becomes final",
        waiting_on=SIDE_NAMES[loser],
    )


def _closed_headline(state: CaseState) -> str:
    by = "The platform decided" if state.decided_by_reviewer else "Closed"
    if state.decided_by_reviewer and state.appealed:
        by = "Final decision"  # the appeal was decided: nothing can change it again
    if state.status == S.CUSTOMER_WITHDREW:
        return "Closed: the buyer withdrew the case"
    return f"{by}: {_money_said(state)}"


def _money_said(state: CaseState) -> str:
    """The outcome as the money went: an appeal never takes back what the buyer was paid (DESIGN §2)."""
    favour = "in the creator's favour; " if state.outcome == Outcome.MERCHANT_WINS else ""
    if state.outcome == Outcome.PARTIAL_REFUND:
        return "the buyer is refunded part of the payment"
    if state.paid_partial:  # a partial refund decision, then the creator won the appeal
        return f"{favour}the buyer keeps the partial refund and the platform reimburses the creator"
    if state.outcome == Outcome.REFUND and state.creator_paid:
        return "the buyer is refunded"
    if state.outcome == Outcome.CREDIT and not state.creator_paid:
        return "the buyer gets a credit to their platform balance"
    if state.creator_paid:  # a refund decision reversed on appeal
        return f"{favour}the buyer keeps the refund and the platform reimburses the creator"
    if state.paid_out:  # a credit decision, then another outcome on appeal
        return f"{favour}the buyer keeps the credit to their platform balance"
    return "in the creator's favour, no refund"
