"""What people are told, where it leads them, and when: headlines, case links, email retries and reminders.

Who hears about a change of a case is the lifecycle's `Transition.notify`; this module words it for each of them.
"""

from datetime import datetime

from resolution_app.domain.enums import CaseAction, CaseStatus, Party
from resolution_app.domain.lifecycle import DEADLINE_STATUSES, WAITING_ON
from resolution_app.domain.policy import DEFAULT_POLICY, Policy

A = CaseAction
OPENED, MESSAGE, REMINDER = "opened", "message", "reminder"  # the kinds that are not lifecycle actions

# (kind, who is told) → the headline; a kind with one wording for everyone is keyed by (kind, None).
_HEADLINES: dict[tuple[str, Party | None], str] = {
    (OPENED, None): "New case opened",
    (A.ACCEPT, None): "The creator accepted your claim",
    (A.DENY, None): "The creator denied your claim",
    (A.REQUEST_MORE_INFO, None): "The creator asked you for more information",
    (A.WITHDRAW, None): "The buyer withdrew the case",
    (A.ESCALATE, Party.BUYER): "You escalated the case to the platform",
    (A.ESCALATE, None): "The buyer escalated the case to the platform",
    (A.REPLY, Party.REVIEWER): "An answer to the platform's question arrived",
    (A.REPLY, None): "The buyer answered your question",
    (A.APPEAL, Party.REVIEWER): "A decision of yours was appealed",
    (A.APPEAL, None): "A decision was appealed",
    (A.REQUEST_BUYER_INFO, None): "The platform asked you for information",
    (A.REQUEST_MERCHANT_INFO, None): "The platform asked you for information",
    (A.DECIDE_REFUND, None): "The platform decided: refund",
    (A.DECIDE_CREDIT, None): "The platform decided: balance credit",
    (A.DECIDE_MERCHANT_WINS, None): "The platform decided for the creator",
    (A.DECIDE_PARTIAL_REFUND, None): "The platform decided: partial refund",
    (A.OFFER_PARTIAL_REFUND, None): "The creator offered a partial refund",
    (A.PROPOSE_PARTIAL_REFUND, None): "The buyer proposed a partial refund",
    (A.ACCEPT_OFFER, Party.BUYER): "The creator accepted your partial refund",
    (A.ACCEPT_OFFER, None): "The buyer accepted your partial refund offer",
    (A.DECLINE_OFFER, Party.BUYER): "The creator declined your partial refund",
    (A.DECLINE_OFFER, None): "The buyer declined your partial refund offer",
    (A.AUTO_REFUND, Party.BUYER): "You were refunded automatically",
    (A.AUTO_REFUND, None): "A case was refunded automatically",
    (A.EXPIRE, None): "A deadline passed",
    (MESSAGE, None): "New message",
    (REMINDER, None): "Reminder: your deadline is less than a day away",
}
_FINAL = {A.DECIDE_REFUND: "Final decision: refund", A.DECIDE_CREDIT: "Final decision: balance credit"}
_FINAL[A.DECIDE_MERCHANT_WINS] = "Final decision: the creator wins"
_FINAL[A.DECIDE_PARTIAL_REFUND] = "Final decision: partial refund"

_CASE_PATHS = {Party.BUYER: "/cases/{}", Party.CREATOR: "/creator/resolutions/{}", Party.REVIEWER: "/review/{}"}

AUTHORS = {Party.BUYER: "The buyer", Party.CREATOR: "The creator", Party.REVIEWER: "The platform"}


def headline(kind: str, told: Party, *, final: bool = False) -> str:
    """What happened, as the person told reads it. `final`: a decision on appeal, which nothing changes again."""
    if final and kind in _FINAL:
        return _FINAL[kind]
    return _HEADLINES.get((kind, told)) or _HEADLINES.get((kind, None)) or "Your case was updated"


def case_path(party: Party, case_id: int) -> str:
    """The case in the portal of the person told: a buyer's, a creator's or a reviewer's page."""
    return _CASE_PATHS[party].format(case_id)


def email_retry_at(
    attempts: int, created_at: datetime, now: datetime, policy: Policy = DEFAULT_POLICY
) -> datetime | None:
    """When an email the server turned down for now is tried again after `attempts` tries; None: give up."""
    if now - created_at >= policy.email_give_up_after:
        return None
    doublings = min(max(attempts - 1, 0), 30)  # far past any cap; 2 ** attempts alone would overflow a timedelta
    return now + min(policy.email_first_retry * 2**doublings, policy.email_max_retry)


def reminder_due(
    status: CaseStatus,
    due_at: datetime | None,
    reminded_for: datetime | None,
    now: datetime,
    policy: Policy = DEFAULT_POLICY,
) -> Party | None:
    """The party to remind of a deadline that is near, once per deadline; None when no reminder is due.

    Only the parties' deadlines (the creator's answer, the buyer's answer or escalation), never the reviewers'
    target; never once the deadline has passed (the case is moving on by itself then).
    """
    if status not in DEADLINE_STATUSES or due_at is None or reminded_for == due_at:
        return None
    if not due_at - policy.deadline_reminder_lead <= now < due_at:
        return None
    return WAITING_ON[status]


_IF_NOT = {
    (CaseStatus.MERCHANT_RESPONSE_NEEDED, None): "the case goes to the platform to decide",
    (CaseStatus.MERCHANT_INFO_NEEDED, None): "the platform decides without your answer",
    (CaseStatus.CUSTOMER_INFO_NEEDED, Party.REVIEWER): "the platform decides without your answer",
    (CaseStatus.CUSTOMER_INFO_NEEDED, None): "the case closes in the creator's favour",  # as lifecycle._expire
    (CaseStatus.CUSTOMER_RESPONSE_NEEDED, None): "the creator's denial stands and the case closes",
}


def reminder_text(status: CaseStatus, asked_by: Party | None, due_at: datetime) -> str:
    """What the reminder says: when the deadline is and what happens if it passes."""
    consequence = _IF_NOT.get((status, asked_by)) or _IF_NOT[(status, None)]
    when = due_at.strftime("%b %-d, %Y at %H:%M UTC")
    if status == CaseStatus.CUSTOMER_RESPONSE_NEEDED:
        return f"You can escalate the case to the platform until {when}. After that, {consequence}."
    return f"Your answer is due by {when}. If it doesn't come by then, {consequence}."
