"""The case lifecycle: which party may do what, and what each action does.

Pure: no database, no clock of its own. Services call `apply` and store what it returns; they never set a
status by hand. The UI shows exactly the actions `allowed_actions` returns.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from resolution_app.domain.enums import CLOSED_STATUSES, OFFER_ANSWERS, OFFERS, CaseAction, CaseStatus, Outcome, Party
from resolution_app.domain.errors import ActionNotAllowed
from resolution_app.domain.policy import DEFAULT_POLICY, Policy

S = CaseStatus
A = CaseAction


@dataclass(frozen=True)
class CaseState:
    """The part of a case the lifecycle reads and writes."""

    status: CaseStatus
    due_at: datetime | None
    info_requested_by: Party | None = None  # who asked, while waiting on an answer
    decided_by_reviewer: bool = False  # the current closed status came from a platform decision
    appealed: bool = False  # the one appeal per case has been used
    paid_out: bool = False  # the buyer got money back (refund, partial refund or credit); never twice
    creator_paid: bool = False  # that money was the creator's: a refund through the gateway
    paid_partial: bool = False  # that money was part of the payment: a partial refund
    outcome: Outcome | None = None
    offer_by: Party | None = None  # whose partial-refund offer waits on the other side's answer


@dataclass(frozen=True)
class Transition:
    action: CaseAction
    party: Party
    before: CaseState
    after: CaseState
    notify: frozenset[Party]
    pay_out: Outcome | None = None  # REFUND, PARTIAL_REFUND or CREDIT when money must move now
    reimburse_creator: bool = False  # an appeal took back a refund decision: the platform pays the creator back


DEADLINE_STATUSES = frozenset(
    {S.MERCHANT_RESPONSE_NEEDED, S.CUSTOMER_INFO_NEEDED, S.CUSTOMER_RESPONSE_NEEDED, S.MERCHANT_INFO_NEEDED}
)
WAITING_ON: dict[CaseStatus, Party] = {
    S.MERCHANT_RESPONSE_NEEDED: Party.CREATOR,
    S.CUSTOMER_INFO_NEEDED: Party.BUYER,
    S.CUSTOMER_RESPONSE_NEEDED: Party.BUYER,
    S.UNDER_PLATFORM_REVIEW: Party.REVIEWER,
    S.MERCHANT_INFO_NEEDED: Party.CREATOR,
}
BOTH = frozenset({Party.BUYER, Party.CREATOR})


def open_case(now: datetime, policy: Policy = DEFAULT_POLICY) -> CaseState:
    """A new case waits on the creator."""
    return CaseState(status=S.MERCHANT_RESPONSE_NEEDED, due_at=now + policy.creator_response_time)


def losing_party(state: CaseState) -> Party | None:
    """The side a platform decision went against, who alone may appeal it. A partial refund is the creator's to
    appeal: the buyer already has part of the money, and with one refund per case no appeal could pay them more."""
    if not state.decided_by_reviewer:
        return None
    return Party.BUYER if state.status == S.MERCHANT_WON else Party.CREATOR


def appeal_window_open(state: CaseState, now: datetime) -> bool:
    return (
        state.status in CLOSED_STATUSES
        and state.decided_by_reviewer
        and not state.appealed
        and state.due_at is not None
        and now < state.due_at
    )


def is_final(state: CaseState, now: datetime) -> bool:
    """Closed for good: nothing may ever change it again."""
    return state.status in CLOSED_STATUSES and not appeal_window_open(state, now)


def deadline_passed(state: CaseState, now: datetime) -> bool:
    """A party's deadline (not the reviewers' target) or an appeal window has run out."""
    if state.due_at is None or now < state.due_at:
        return False
    return state.status in DEADLINE_STATUSES or (state.status in CLOSED_STATUSES and state.decided_by_reviewer)


def _due(now: datetime, policy: Policy, field: str) -> datetime:
    return now + getattr(policy, field)


def _review_target(now: datetime, policy: Policy) -> datetime:
    """Reviewers aim to decide within N business days (reported, not enforced)."""
    day, left = now, policy.review_target_business_days
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def _to_review(state: CaseState, now: datetime, policy: Policy, **changes: object) -> CaseState:
    return replace(
        state,
        status=S.UNDER_PLATFORM_REVIEW,
        due_at=_review_target(now, policy),
        info_requested_by=None,
        decided_by_reviewer=False,
        outcome=None,
        **changes,
    )


PAYING_OUTCOMES = frozenset({Outcome.REFUND, Outcome.PARTIAL_REFUND, Outcome.CREDIT})
CREATOR_PAYS = frozenset({Outcome.REFUND, Outcome.PARTIAL_REFUND})  # through the gateway, from the creator's money
CLOSING_STATUS = {
    Outcome.REFUND: S.CUSTOMER_WON,
    Outcome.CREDIT: S.CUSTOMER_WON,
    Outcome.PARTIAL_REFUND: S.PARTIALLY_REFUNDED,
    Outcome.MERCHANT_WINS: S.MERCHANT_WON,
}


def _close(
    state: CaseState, status: CaseStatus, outcome: Outcome, *, by_reviewer: bool, due_at: datetime | None = None
) -> CaseState:
    pays = outcome in PAYING_OUTCOMES and not state.paid_out  # money moves once per case, whatever follows
    return replace(
        state,
        status=status,
        due_at=due_at,
        info_requested_by=None,
        decided_by_reviewer=by_reviewer,
        outcome=outcome,
        paid_out=state.paid_out or pays,
        creator_paid=state.creator_paid or (pays and outcome in CREATOR_PAYS),
        paid_partial=state.paid_partial or (pays and outcome == Outcome.PARTIAL_REFUND),
    )


def _decide(outcome: Outcome) -> Callable[[CaseState, datetime, Policy], CaseState]:
    status = CLOSING_STATUS[outcome]

    def decide(state: CaseState, now: datetime, policy: Policy) -> CaseState:
        # The first decision opens the appeal window; a decision on appeal is final.
        due = None if state.appealed else now + policy.appeal_time
        return _close(state, status, outcome, by_reviewer=True, due_at=due)

    return decide


def _reply_target(state: CaseState, now: datetime, policy: Policy) -> CaseState:
    if state.status == S.CUSTOMER_INFO_NEEDED and state.info_requested_by == Party.CREATOR:
        return replace(
            state,
            status=S.MERCHANT_RESPONSE_NEEDED,
            due_at=_due(now, policy, "creator_response_time"),
            info_requested_by=None,
        )
    return _to_review(state, now, policy)


def _expire(state: CaseState, now: datetime, policy: Policy) -> CaseState:
    status = state.status
    if status == S.MERCHANT_RESPONSE_NEEDED or status == S.MERCHANT_INFO_NEEDED:
        return _to_review(state, now, policy)
    if status == S.CUSTOMER_INFO_NEEDED and state.info_requested_by == Party.REVIEWER:
        return _to_review(state, now, policy)
    if status in (S.CUSTOMER_INFO_NEEDED, S.CUSTOMER_RESPONSE_NEEDED):
        return _close(state, S.MERCHANT_WON, Outcome.MERCHANT_WINS, by_reviewer=False)
    # An appeal window ran out: the decision stands, for good.
    return replace(state, due_at=None)


Effect = Callable[[CaseState, datetime, Policy], CaseState]

# (status, party, action) -> effect. Everything not listed is refused.
_RULES: dict[tuple[CaseStatus, Party, CaseAction], Effect] = {
    (S.MERCHANT_RESPONSE_NEEDED, Party.CREATOR, A.ACCEPT): lambda s, n, p: _close(
        s, S.CUSTOMER_WON, Outcome.REFUND, by_reviewer=False
    ),
    (S.MERCHANT_RESPONSE_NEEDED, Party.CREATOR, A.DENY): lambda s, n, p: replace(
        s, status=S.CUSTOMER_RESPONSE_NEEDED, due_at=_due(n, p, "escalation_time")
    ),
    (S.MERCHANT_RESPONSE_NEEDED, Party.CREATOR, A.REQUEST_MORE_INFO): lambda s, n, p: replace(
        s, status=S.CUSTOMER_INFO_NEEDED, due_at=_due(n, p, "buyer_info_time"), info_requested_by=Party.CREATOR
    ),
    (S.MERCHANT_RESPONSE_NEEDED, Party.SYSTEM, A.AUTO_REFUND): lambda s, n, p: _close(
        s, S.CUSTOMER_WON, Outcome.REFUND, by_reviewer=False
    ),
    (S.CUSTOMER_INFO_NEEDED, Party.BUYER, A.REPLY): _reply_target,
    (S.CUSTOMER_RESPONSE_NEEDED, Party.BUYER, A.ESCALATE): lambda s, n, p: _to_review(s, n, p),
    (S.MERCHANT_INFO_NEEDED, Party.CREATOR, A.REPLY): _reply_target,
    (S.UNDER_PLATFORM_REVIEW, Party.REVIEWER, A.REQUEST_BUYER_INFO): lambda s, n, p: replace(
        s, status=S.CUSTOMER_INFO_NEEDED, due_at=_due(n, p, "buyer_info_time"), info_requested_by=Party.REVIEWER
    ),
    (S.UNDER_PLATFORM_REVIEW, Party.REVIEWER, A.REQUEST_MERCHANT_INFO): lambda s, n, p: replace(
        s, status=S.MERCHANT_INFO_NEEDED, due_at=_due(n, p, "creator_info_time"), info_requested_by=Party.REVIEWER
    ),
    (S.UNDER_PLATFORM_REVIEW, Party.REVIEWER, A.DECIDE_REFUND): _decide(Outcome.REFUND),
    (S.UNDER_PLATFORM_REVIEW, Party.REVIEWER, A.DECIDE_CREDIT): _decide(Outcome.CREDIT),
    (S.UNDER_PLATFORM_REVIEW, Party.REVIEWER, A.DECIDE_MERCHANT_WINS): _decide(Outcome.MERCHANT_WINS),
    (S.UNDER_PLATFORM_REVIEW, Party.REVIEWER, A.DECIDE_PARTIAL_REFUND): _decide(Outcome.PARTIAL_REFUND),
}
# Either side may put a partial refund on the table while the case waits on one of them; the other accepts it (part
# of the money refunded, closed for good) or declines it (the case goes on as it was).
OFFERED_BY = {A.OFFER_PARTIAL_REFUND: Party.CREATOR, A.PROPOSE_PARTIAL_REFUND: Party.BUYER}
for _status in DEADLINE_STATUSES:
    for _offer, _party in OFFERED_BY.items():
        _RULES[(_status, _party, _offer)] = lambda s, n, p, by=_party: replace(s, offer_by=by)
    for _party in (Party.BUYER, Party.CREATOR):
        _RULES[(_status, _party, A.ACCEPT_OFFER)] = lambda s, n, p: _close(
            s, S.PARTIALLY_REFUNDED, Outcome.PARTIAL_REFUND, by_reviewer=False
        )
        _RULES[(_status, _party, A.DECLINE_OFFER)] = lambda s, n, p: s
for _status in (*DEADLINE_STATUSES, S.UNDER_PLATFORM_REVIEW):
    _RULES[(_status, Party.BUYER, A.WITHDRAW)] = lambda s, n, p: _close(
        s, S.CUSTOMER_WITHDREW, Outcome.WITHDRAWN, by_reviewer=False
    )
DECIDED_STATUSES = (S.CUSTOMER_WON, S.MERCHANT_WON, S.PARTIALLY_REFUNDED)  # where a reviewer's decision leaves a case
for _status in (*DEADLINE_STATUSES, *DECIDED_STATUSES):
    _RULES[(_status, Party.SYSTEM, A.EXPIRE)] = _expire
for _status in DECIDED_STATUSES:
    for _party in (Party.BUYER, Party.CREATOR):
        _RULES[(_status, _party, A.APPEAL)] = lambda s, n, p: _to_review(s, n, p, appealed=True)


def _notify(action: CaseAction, party: Party, before: CaseState, after: CaseState) -> frozenset[Party]:
    """Who hears about this change (DESIGN §5). A reviewer is told only of what concerns them: an answer to the
    platform's question (the claimer), and an appeal (the reviewer whose decision it was)."""
    answers_platform = before.info_requested_by == Party.REVIEWER and after.status == S.UNDER_PLATFORM_REVIEW
    if action == A.EXPIRE and after.status == before.status:
        return BOTH  # "the decision stands"
    if action == A.EXPIRE and answers_platform:
        return BOTH | {Party.REVIEWER}  # the question went unanswered: the claimer picks the case up again
    if action == A.APPEAL:
        return BOTH | {Party.REVIEWER}  # both sides hear the case is open again, the appellant as a receipt
    if action == A.REPLY:
        if answers_platform:
            return frozenset({Party.REVIEWER})
        return frozenset({Party.CREATOR}) if after.status == S.MERCHANT_RESPONSE_NEEDED else frozenset()
    if action == A.REQUEST_BUYER_INFO:
        return frozenset({Party.BUYER})
    if action == A.REQUEST_MERCHANT_INFO:
        return frozenset({Party.CREATOR})
    if party == Party.CREATOR:
        return frozenset({Party.BUYER})
    if party == Party.BUYER and action in (A.WITHDRAW, A.PROPOSE_PARTIAL_REFUND, A.ACCEPT_OFFER, A.DECLINE_OFFER):
        return frozenset({Party.CREATOR})
    return BOTH


def _rule(state: CaseState, party: Party, action: CaseAction, now: datetime) -> Effect | None:
    effect = _RULES.get((state.status, party, action))
    if effect is None:
        return None
    if action == A.EXPIRE:
        return effect if deadline_passed(state, now) else None
    if deadline_passed(state, now):
        return None  # the deadline has moved the case on; the sweep will record it
    if action == A.APPEAL:
        return effect if appeal_window_open(state, now) and losing_party(state) == party else None
    if action in (A.WITHDRAW, *OFFERS) and (state.status in CLOSED_STATUSES or state.paid_out):
        return None  # a buyer already paid back (the creator appeals it) has nothing to withdraw or settle
    if action in OFFER_ANSWERS:
        return effect if state.offer_by is not None and state.offer_by != party else None  # the other side answers
    return effect if _decision_fits_the_money(state, action) else None


def _decision_fits_the_money(state: CaseState, action: CaseAction) -> bool:
    """A decision on appeal can't promise money that can't move: once part of the payment was refunded, the buyer
    can't be said to have won it all (upholding the partial refund, or the creator winning, remain); once all of it
    was paid, a partial refund would need money back from the buyer, which is never asked for."""
    if action in (A.DECIDE_REFUND, A.DECIDE_CREDIT):
        return not state.paid_partial
    if action == A.DECIDE_PARTIAL_REFUND:
        return not state.paid_out or state.paid_partial
    return True


def asks_for_amount(state: CaseState, action: CaseAction) -> bool:
    """Whether the move is made with an amount: an offer puts one on the table, and a partial refund decided now pays
    one. Upheld on appeal, a partial refund pays nothing more (apply's pay_out), so no amount goes with it."""
    return action in OFFERS or (action == A.DECIDE_PARTIAL_REFUND and not state.paid_out)


def allowed_actions(state: CaseState, party: Party, now: datetime) -> list[CaseAction]:
    """The actions `party` may take on the case now, in a stable order."""
    return [action for action in CaseAction if _rule(state, party, action, now) is not None]


def apply(
    state: CaseState, party: Party, action: CaseAction, now: datetime, policy: Policy = DEFAULT_POLICY
) -> Transition:
    """Carry out `action`, or raise ActionNotAllowed."""
    effect = _rule(state, party, action, now)
    if effect is None:
        raise ActionNotAllowed("This action is not possible on the case as it stands now.")
    after = effect(state, now, policy)
    if action not in OFFERS:
        after = replace(after, offer_by=None)  # any other move answers the offer on the table or lets it lapse
    pay_out = after.outcome if after.paid_out and not state.paid_out else None
    return Transition(
        action=action,
        party=party,
        before=state,
        after=after,
        notify=_notify(action, party, state, after),
        pay_out=pay_out,
        reimburse_creator=creator_reimbursed(state, after),
    )


def creator_reimbursed(before: CaseState, after: CaseState) -> bool:
    """An appeal closed without the refund the creator paid: the buyer keeps it (money is never clawed back from
    the buyer, nor the gateway asked for it) and the platform pays the creator back."""
    closes_appeal = before.appealed and before.status not in CLOSED_STATUSES and after.status in CLOSED_STATUSES
    return closes_appeal and before.creator_paid and after.outcome not in CREATOR_PAYS
