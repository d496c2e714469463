"""The case lifecycle against DESIGN.md §3 and §5.

The expected tables below are written out by hand from the design, on purpose: they must not be derived from the
module under test, or a wrong rule would agree with itself.
"""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from resolution_app.domain.enums import CaseAction, CaseStatus, Outcome, Party
from resolution_app.domain.errors import ActionNotAllowed
from resolution_app.domain.lifecycle import (
    CaseState,
    allowed_actions,
    appeal_window_open,
    apply,
    deadline_passed,
    is_final,
    losing_party,
    open_case,
)
from resolution_app.domain.policy import DEFAULT_POLICY, Policy

S = CaseStatus
A = CaseAction
P = Party
BUYER, CREATOR, REVIEWER, SYSTEM = P.BUYER, P.CREATOR, P.REVIEWER, P.SYSTEM
BOTH = frozenset({BUYER, CREATOR})

NOW = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)  # a Monday
DAY = timedelta(days=1)
WEEK = timedelta(days=7)
SECOND = timedelta(seconds=1)
DUE = NOW + 3 * DAY  # a deadline still running at NOW; a Thursday
REVIEW_TARGET_FROM_DUE = DUE + 4 * DAY  # two business days after a Thursday: the next Monday

# One representative, consistent case per situation a status can be in.
SCENARIOS: dict[str, CaseState] = {
    "waiting on creator": CaseState(S.MERCHANT_RESPONSE_NEEDED, DUE),
    "buyer asked by creator": CaseState(S.CUSTOMER_INFO_NEEDED, DUE, info_requested_by=CREATOR),
    "buyer asked by reviewer": CaseState(S.CUSTOMER_INFO_NEEDED, DUE, info_requested_by=REVIEWER),
    "denied": CaseState(S.CUSTOMER_RESPONSE_NEEDED, DUE),
    "under review": CaseState(S.UNDER_PLATFORM_REVIEW, DUE),
    "under review on appeal": CaseState(S.UNDER_PLATFORM_REVIEW, DUE, appealed=True),
    "creator asked by reviewer": CaseState(S.MERCHANT_INFO_NEEDED, DUE, info_requested_by=REVIEWER),
    "buyer won refund decision": CaseState(
        S.CUSTOMER_WON, DUE, decided_by_reviewer=True, paid_out=True, outcome=Outcome.REFUND
    ),
    "buyer won credit decision": CaseState(
        S.CUSTOMER_WON, DUE, decided_by_reviewer=True, paid_out=True, outcome=Outcome.CREDIT
    ),
    "creator won decision": CaseState(S.MERCHANT_WON, DUE, decided_by_reviewer=True, outcome=Outcome.MERCHANT_WINS),
    "creator accepted": CaseState(S.CUSTOMER_WON, None, paid_out=True, outcome=Outcome.REFUND),
    "buyer let deadline pass": CaseState(S.MERCHANT_WON, None, outcome=Outcome.MERCHANT_WINS),
    "withdrawn": CaseState(S.CUSTOMER_WITHDREW, None, outcome=Outcome.WITHDRAWN),
    "buyer won on appeal": CaseState(
        S.CUSTOMER_WON, None, decided_by_reviewer=True, appealed=True, paid_out=True, outcome=Outcome.REFUND
    ),
    "creator won on appeal": CaseState(
        S.MERCHANT_WON, None, decided_by_reviewer=True, appealed=True, outcome=Outcome.MERCHANT_WINS
    ),
    "decision stood after window": CaseState(
        S.MERCHANT_WON, None, decided_by_reviewer=True, outcome=Outcome.MERCHANT_WINS
    ),
    "creator's offer waiting on buyer": CaseState(S.MERCHANT_RESPONSE_NEEDED, DUE, offer_by=CREATOR),
    "buyer's proposal after denial": CaseState(S.CUSTOMER_RESPONSE_NEEDED, DUE, offer_by=BUYER),
    "partial refund accepted": CaseState(
        S.PARTIALLY_REFUNDED, None, paid_out=True, creator_paid=True, paid_partial=True, outcome=Outcome.PARTIAL_REFUND
    ),
    "partial refund decision": CaseState(
        S.PARTIALLY_REFUNDED,
        DUE,
        decided_by_reviewer=True,
        paid_out=True,
        creator_paid=True,
        paid_partial=True,
        outcome=Outcome.PARTIAL_REFUND,
    ),
    "under review on appeal of a refund": CaseState(
        S.UNDER_PLATFORM_REVIEW, DUE, appealed=True, paid_out=True, creator_paid=True
    ),
    "under review on appeal of a partial refund": CaseState(
        S.UNDER_PLATFORM_REVIEW, DUE, appealed=True, paid_out=True, creator_paid=True, paid_partial=True
    ),
    "buyer asked by reviewer on appeal of a refund": CaseState(
        S.CUSTOMER_INFO_NEEDED, DUE, info_requested_by=REVIEWER, appealed=True, paid_out=True, creator_paid=True
    ),
}

# Reviewers' decisions and requests, the same from any review.
REVIEWER_MOVES = {
    (REVIEWER, A.REQUEST_BUYER_INFO): S.CUSTOMER_INFO_NEEDED,
    (REVIEWER, A.REQUEST_MERCHANT_INFO): S.MERCHANT_INFO_NEEDED,
    (REVIEWER, A.DECIDE_REFUND): S.CUSTOMER_WON,
    (REVIEWER, A.DECIDE_CREDIT): S.CUSTOMER_WON,
    (REVIEWER, A.DECIDE_MERCHANT_WINS): S.MERCHANT_WON,
    (REVIEWER, A.DECIDE_PARTIAL_REFUND): S.PARTIALLY_REFUNDED,
    (BUYER, A.WITHDRAW): S.CUSTOMER_WITHDREW,
}
# On appeal of money already paid the buyer keeps it and can't withdraw; what may be decided depends on what was paid.
REVIEWER_REQUESTS = {
    (REVIEWER, A.REQUEST_BUYER_INFO): S.CUSTOMER_INFO_NEEDED,
    (REVIEWER, A.REQUEST_MERCHANT_INFO): S.MERCHANT_INFO_NEEDED,
    (REVIEWER, A.DECIDE_MERCHANT_WINS): S.MERCHANT_WON,
}
APPEAL_OF_A_REFUND_MOVES = REVIEWER_REQUESTS | {
    (REVIEWER, A.DECIDE_REFUND): S.CUSTOMER_WON,
    (REVIEWER, A.DECIDE_CREDIT): S.CUSTOMER_WON,
}
APPEAL_OF_A_PARTIAL_REFUND_MOVES = REVIEWER_REQUESTS | {(REVIEWER, A.DECIDE_PARTIAL_REFUND): S.PARTIALLY_REFUNDED}


def _offers(status: CaseStatus) -> dict[tuple[Party, CaseAction], CaseStatus]:
    """While a case waits on the creator or the buyer, either may put a partial refund on the table."""
    return {(CREATOR, A.OFFER_PARTIAL_REFUND): status, (BUYER, A.PROPOSE_PARTIAL_REFUND): status}


def _answers(by: Party, status: CaseStatus) -> dict[tuple[Party, CaseAction], CaseStatus]:
    """An offer on the table: `by`, its other side, accepts it (closed, part refunded) or declines it (as it was)."""
    return {(by, A.ACCEPT_OFFER): S.PARTIALLY_REFUNDED, (by, A.DECLINE_OFFER): status}


# Before any deadline: (party, action) -> resulting status. Everything not listed must be refused.
ALLOWED_BEFORE_DEADLINE: dict[str, dict[tuple[Party, CaseAction], CaseStatus]] = {
    "waiting on creator": {
        (CREATOR, A.ACCEPT): S.CUSTOMER_WON,
        (CREATOR, A.DENY): S.CUSTOMER_RESPONSE_NEEDED,
        (CREATOR, A.REQUEST_MORE_INFO): S.CUSTOMER_INFO_NEEDED,
        (BUYER, A.WITHDRAW): S.CUSTOMER_WITHDREW,
        (SYSTEM, A.AUTO_REFUND): S.CUSTOMER_WON,
        **_offers(S.MERCHANT_RESPONSE_NEEDED),
    },
    "buyer asked by creator": {
        (BUYER, A.REPLY): S.MERCHANT_RESPONSE_NEEDED,
        (BUYER, A.WITHDRAW): S.CUSTOMER_WITHDREW,
        **_offers(S.CUSTOMER_INFO_NEEDED),
    },
    "buyer asked by reviewer": {
        (BUYER, A.REPLY): S.UNDER_PLATFORM_REVIEW,
        (BUYER, A.WITHDRAW): S.CUSTOMER_WITHDREW,
        **_offers(S.CUSTOMER_INFO_NEEDED),
    },
    "denied": {
        (BUYER, A.ESCALATE): S.UNDER_PLATFORM_REVIEW,
        (BUYER, A.WITHDRAW): S.CUSTOMER_WITHDREW,
        **_offers(S.CUSTOMER_RESPONSE_NEEDED),
    },
    "under review": REVIEWER_MOVES,
    "under review on appeal": REVIEWER_MOVES,
    "creator asked by reviewer": {
        (CREATOR, A.REPLY): S.UNDER_PLATFORM_REVIEW,
        (BUYER, A.WITHDRAW): S.CUSTOMER_WITHDREW,
        **_offers(S.MERCHANT_INFO_NEEDED),
    },
    "buyer won refund decision": {(CREATOR, A.APPEAL): S.UNDER_PLATFORM_REVIEW},
    "buyer won credit decision": {(CREATOR, A.APPEAL): S.UNDER_PLATFORM_REVIEW},
    "creator won decision": {(BUYER, A.APPEAL): S.UNDER_PLATFORM_REVIEW},
    "creator accepted": {},
    "buyer let deadline pass": {},
    "withdrawn": {},
    "buyer won on appeal": {},
    "creator won on appeal": {},
    "decision stood after window": {},
    "creator's offer waiting on buyer": {
        (CREATOR, A.ACCEPT): S.CUSTOMER_WON,
        (CREATOR, A.DENY): S.CUSTOMER_RESPONSE_NEEDED,
        (CREATOR, A.REQUEST_MORE_INFO): S.CUSTOMER_INFO_NEEDED,
        (BUYER, A.WITHDRAW): S.CUSTOMER_WITHDREW,
        (SYSTEM, A.AUTO_REFUND): S.CUSTOMER_WON,
        **_offers(S.MERCHANT_RESPONSE_NEEDED),
        **_answers(BUYER, S.MERCHANT_RESPONSE_NEEDED),
    },
    "buyer's proposal after denial": {
        (BUYER, A.ESCALATE): S.UNDER_PLATFORM_REVIEW,
        (BUYER, A.WITHDRAW): S.CUSTOMER_WITHDREW,
        **_offers(S.CUSTOMER_RESPONSE_NEEDED),
        **_answers(CREATOR, S.CUSTOMER_RESPONSE_NEEDED),
    },
    "partial refund accepted": {},
    "partial refund decision": {(CREATOR, A.APPEAL): S.UNDER_PLATFORM_REVIEW},
    "under review on appeal of a refund": APPEAL_OF_A_REFUND_MOVES,
    "under review on appeal of a partial refund": APPEAL_OF_A_PARTIAL_REFUND_MOVES,
    # paid already: nothing to withdraw, nothing left to settle on
    "buyer asked by reviewer on appeal of a refund": {(BUYER, A.REPLY): S.UNDER_PLATFORM_REVIEW},
}

# Once the due date has come (exactly at it): only the deadline sweep may act, except in review, whose due date is
# a target for reviewers that is reported, not enforced.
ALLOWED_AT_DEADLINE: dict[str, dict[tuple[Party, CaseAction], CaseStatus]] = {
    "waiting on creator": {(SYSTEM, A.EXPIRE): S.UNDER_PLATFORM_REVIEW},
    "buyer asked by creator": {(SYSTEM, A.EXPIRE): S.MERCHANT_WON},
    "buyer asked by reviewer": {(SYSTEM, A.EXPIRE): S.UNDER_PLATFORM_REVIEW},
    "denied": {(SYSTEM, A.EXPIRE): S.MERCHANT_WON},
    "under review": REVIEWER_MOVES,
    "under review on appeal": REVIEWER_MOVES,
    "creator asked by reviewer": {(SYSTEM, A.EXPIRE): S.UNDER_PLATFORM_REVIEW},
    "buyer won refund decision": {(SYSTEM, A.EXPIRE): S.CUSTOMER_WON},
    "buyer won credit decision": {(SYSTEM, A.EXPIRE): S.CUSTOMER_WON},
    "creator won decision": {(SYSTEM, A.EXPIRE): S.MERCHANT_WON},
    "creator accepted": {},
    "buyer let deadline pass": {},
    "withdrawn": {},
    "buyer won on appeal": {},
    "creator won on appeal": {},
    "decision stood after window": {},
    "creator's offer waiting on buyer": {(SYSTEM, A.EXPIRE): S.UNDER_PLATFORM_REVIEW},  # the offer lapses with it
    "buyer's proposal after denial": {(SYSTEM, A.EXPIRE): S.MERCHANT_WON},
    "partial refund accepted": {},
    "partial refund decision": {(SYSTEM, A.EXPIRE): S.PARTIALLY_REFUNDED},
    "under review on appeal of a refund": APPEAL_OF_A_REFUND_MOVES,
    "under review on appeal of a partial refund": APPEAL_OF_A_PARTIAL_REFUND_MOVES,
    "buyer asked by reviewer on appeal of a refund": {(SYSTEM, A.EXPIRE): S.UNDER_PLATFORM_REVIEW},
}

EVERY_MOVE = [(party, action) for party in Party for action in CaseAction]
ALLOWED_MOVES = [(name, party, action) for name, table in ALLOWED_BEFORE_DEADLINE.items() for party, action in table]


def _grid(table: dict[str, dict[tuple[Party, CaseAction], CaseStatus]]) -> list[tuple[str, Party, CaseAction]]:
    return [(name, party, action) for name in table for party, action in EVERY_MOVE]


def test_scenarios_cover_every_status() -> None:
    assert {state.status for state in SCENARIOS.values()} == set(CaseStatus)
    assert set(ALLOWED_BEFORE_DEADLINE) == set(SCENARIOS) == set(ALLOWED_AT_DEADLINE)


@pytest.mark.parametrize(("name", "party", "action"), _grid(ALLOWED_BEFORE_DEADLINE))
def test_every_move_before_the_deadline(name: str, party: Party, action: CaseAction) -> None:
    _check_move(SCENARIOS[name], party, action, NOW, ALLOWED_BEFORE_DEADLINE[name])


@pytest.mark.parametrize(("name", "party", "action"), _grid(ALLOWED_AT_DEADLINE))
def test_every_move_once_the_due_date_has_come(name: str, party: Party, action: CaseAction) -> None:
    _check_move(SCENARIOS[name], party, action, DUE, ALLOWED_AT_DEADLINE[name])


def _check_move(
    state: CaseState,
    party: Party,
    action: CaseAction,
    now: datetime,
    allowed: dict[tuple[Party, CaseAction], CaseStatus],
) -> None:
    if (party, action) in allowed:
        assert action in allowed_actions(state, party, now)
        transition = apply(state, party, action, now)
        assert transition.after.status == allowed[(party, action)]
        assert (transition.action, transition.party, transition.before) == (action, party, state)
    else:
        assert action not in allowed_actions(state, party, now)
        with pytest.raises(ActionNotAllowed):
            apply(state, party, action, now)


@pytest.mark.parametrize("name", SCENARIOS)
@pytest.mark.parametrize("party", Party)
def test_allowed_actions_lists_exactly_the_table_in_a_stable_order(name: str, party: Party) -> None:
    expected = [action for action in CaseAction if (party, action) in ALLOWED_BEFORE_DEADLINE[name]]
    assert allowed_actions(SCENARIOS[name], party, NOW) == expected


# --- opening and deadlines ---------------------------------------------------------------------------------------


def test_a_new_case_waits_on_the_creator_for_seven_days() -> None:
    state = open_case(NOW)
    assert state == CaseState(S.MERCHANT_RESPONSE_NEEDED, NOW + WEEK)
    assert allowed_actions(state, CREATOR, NOW) == [A.ACCEPT, A.DENY, A.REQUEST_MORE_INFO, A.OFFER_PARTIAL_REFUND]
    assert allowed_actions(state, BUYER, NOW) == [A.WITHDRAW, A.PROPOSE_PARTIAL_REFUND]
    assert allowed_actions(state, REVIEWER, NOW) == []


def test_open_case_reads_the_policy() -> None:
    assert open_case(NOW, Policy(creator_response_time=timedelta(days=3))).due_at == NOW + 3 * DAY


DEADLINE_SCENARIOS = [
    "waiting on creator",
    "buyer asked by creator",
    "buyer asked by reviewer",
    "denied",
    "creator asked by reviewer",
]


@pytest.mark.parametrize("name", DEADLINE_SCENARIOS)
def test_the_waited_on_party_may_act_until_the_last_second_and_not_after(name: str) -> None:
    state = SCENARIOS[name]
    party = CREATOR if state.status in (S.MERCHANT_RESPONSE_NEEDED, S.MERCHANT_INFO_NEEDED) else BUYER
    assert allowed_actions(state, party, DUE - SECOND)
    assert not deadline_passed(state, DUE - SECOND)
    for now in (DUE, DUE + SECOND, DUE + WEEK):
        assert deadline_passed(state, now)
        assert allowed_actions(state, party, now) == []
        assert allowed_actions(state, BUYER, now) == []  # not even a withdrawal: the sweep moves the case first
        assert allowed_actions(state, SYSTEM, now) == [A.EXPIRE]
    with pytest.raises(ActionNotAllowed):
        apply(state, SYSTEM, A.EXPIRE, DUE - SECOND)


def test_the_review_target_is_never_a_deadline() -> None:
    state = SCENARIOS["under review"]
    later = DUE + 30 * DAY
    assert not deadline_passed(state, later)
    assert allowed_actions(state, SYSTEM, later) == []
    assert A.DECIDE_REFUND in allowed_actions(state, REVIEWER, later)


# scenario -> (status, due_at, info_requested_by, decided_by_reviewer, outcome) after the sweep at DUE.
EXPIRE_RESULTS = {
    # A silent creator has the case escalated automatically.
    "waiting on creator": (S.UNDER_PLATFORM_REVIEW, REVIEW_TARGET_FROM_DUE, None, False, None),
    # A buyer who doesn't answer the creator loses, at once and for good.
    "buyer asked by creator": (S.MERCHANT_WON, None, None, False, Outcome.MERCHANT_WINS),
    # ... but a buyer who doesn't answer a reviewer just lets the reviewer decide without the answer.
    "buyer asked by reviewer": (S.UNDER_PLATFORM_REVIEW, REVIEW_TARGET_FROM_DUE, None, False, None),
    "denied": (S.MERCHANT_WON, None, None, False, Outcome.MERCHANT_WINS),
    "creator asked by reviewer": (S.UNDER_PLATFORM_REVIEW, REVIEW_TARGET_FROM_DUE, None, False, None),
    # An appeal window that runs out leaves the decision standing, for good.
    "buyer won refund decision": (S.CUSTOMER_WON, None, None, True, Outcome.REFUND),
    "buyer won credit decision": (S.CUSTOMER_WON, None, None, True, Outcome.CREDIT),
    "creator won decision": (S.MERCHANT_WON, None, None, True, Outcome.MERCHANT_WINS),
}


@pytest.mark.parametrize("name", EXPIRE_RESULTS)
def test_each_expiry_result(name: str) -> None:
    state = SCENARIOS[name]
    after = apply(state, SYSTEM, A.EXPIRE, DUE).after
    fields = (after.status, after.due_at, after.info_requested_by, after.decided_by_reviewer, after.outcome)
    assert fields == EXPIRE_RESULTS[name]
    assert after.paid_out == state.paid_out
    assert after.appealed == state.appealed


@pytest.mark.parametrize("name", ["buyer asked by creator", "denied", *EXPIRE_RESULTS.keys() - DEADLINE_SCENARIOS])
def test_a_case_closed_by_a_deadline_is_final_at_once(name: str) -> None:
    after = apply(SCENARIOS[name], SYSTEM, A.EXPIRE, DUE).after
    assert is_final(after, DUE)
    assert not appeal_window_open(after, DUE)
    for party in Party:
        assert allowed_actions(after, party, DUE) == []
        assert allowed_actions(after, party, DUE + 100 * DAY) == []


# start -> two business days later
REVIEW_TARGETS = [
    (datetime(2025, 3, 3, 9, tzinfo=UTC), datetime(2025, 3, 5, 9, tzinfo=UTC)),  # Monday -> Wednesday
    (datetime(2025, 3, 6, 9, tzinfo=UTC), datetime(2025, 3, 10, 9, tzinfo=UTC)),  # Thursday -> Monday
    (datetime(2025, 3, 7, 9, tzinfo=UTC), datetime(2025, 3, 11, 9, tzinfo=UTC)),  # Friday -> Tuesday
    (datetime(2025, 3, 8, 9, tzinfo=UTC), datetime(2025, 3, 11, 9, tzinfo=UTC)),  # Saturday -> Tuesday
    (datetime(2025, 3, 9, 9, tzinfo=UTC), datetime(2025, 3, 11, 9, tzinfo=UTC)),  # Sunday -> Tuesday
]


@pytest.mark.parametrize(("now", "target"), REVIEW_TARGETS)
def test_escalation_sets_a_two_business_day_review_target(now: datetime, target: datetime) -> None:
    denied = CaseState(S.CUSTOMER_RESPONSE_NEEDED, now + WEEK)
    assert apply(denied, BUYER, A.ESCALATE, now).after.due_at == target


# (scenario, party, action) -> how long the next party has, from the moment of the action
NEW_DEADLINES = [
    ("waiting on creator", CREATOR, A.DENY, WEEK),
    ("waiting on creator", CREATOR, A.REQUEST_MORE_INFO, WEEK),
    ("buyer asked by creator", BUYER, A.REPLY, WEEK),
    ("under review", REVIEWER, A.REQUEST_BUYER_INFO, WEEK),
    ("under review", REVIEWER, A.REQUEST_MERCHANT_INFO, WEEK),
    ("under review", REVIEWER, A.DECIDE_REFUND, WEEK),  # the appeal window
    ("under review", REVIEWER, A.DECIDE_CREDIT, WEEK),
    ("under review", REVIEWER, A.DECIDE_MERCHANT_WINS, WEEK),
    ("under review on appeal", REVIEWER, A.REQUEST_BUYER_INFO, WEEK),
    ("under review on appeal", REVIEWER, A.REQUEST_MERCHANT_INFO, WEEK),
]


@pytest.mark.parametrize(("name", "party", "action", "time_left"), NEW_DEADLINES)
def test_each_new_deadline_runs_from_the_action(
    name: str, party: Party, action: CaseAction, time_left: timedelta
) -> None:
    assert apply(SCENARIOS[name], party, action, NOW).after.due_at == NOW + time_left


@pytest.mark.parametrize("name", ["creator accepted", "withdrawn"])
def test_closed_without_a_decision_has_no_due_date(name: str) -> None:
    before = {"creator accepted": ("waiting on creator", CREATOR, A.ACCEPT), "withdrawn": ("denied", BUYER, A.WITHDRAW)}
    scenario, party, action = before[name]
    assert apply(SCENARIOS[scenario], party, action, NOW).after.due_at is None


def test_deadlines_read_the_policy() -> None:
    policy = Policy(
        escalation_time=timedelta(days=2),
        buyer_info_time=timedelta(days=3),
        creator_info_time=timedelta(days=4),
        appeal_time=timedelta(days=5),
        creator_response_time=timedelta(days=6),
    )
    state = SCENARIOS["waiting on creator"]
    review = SCENARIOS["under review"]
    assert apply(state, CREATOR, A.DENY, NOW, policy).after.due_at == NOW + 2 * DAY
    assert apply(state, CREATOR, A.REQUEST_MORE_INFO, NOW, policy).after.due_at == NOW + 3 * DAY
    assert apply(review, REVIEWER, A.REQUEST_BUYER_INFO, NOW, policy).after.due_at == NOW + 3 * DAY
    assert apply(review, REVIEWER, A.REQUEST_MERCHANT_INFO, NOW, policy).after.due_at == NOW + 4 * DAY
    assert apply(review, REVIEWER, A.DECIDE_REFUND, NOW, policy).after.due_at == NOW + 5 * DAY
    asked = SCENARIOS["buyer asked by creator"]
    assert apply(asked, BUYER, A.REPLY, NOW, policy).after.due_at == NOW + 6 * DAY


# --- replies go back to whoever asked ----------------------------------------------------------------------------


def test_buyer_reply_to_the_creator_gives_the_creator_a_fresh_week() -> None:
    asked = apply(open_case(NOW), CREATOR, A.REQUEST_MORE_INFO, NOW + DAY).after
    assert asked.info_requested_by == CREATOR
    answered = apply(asked, BUYER, A.REPLY, NOW + 5 * DAY).after
    assert answered == CaseState(S.MERCHANT_RESPONSE_NEEDED, NOW + 12 * DAY)
    assert allowed_actions(answered, CREATOR, NOW + 11 * DAY) == [
        A.ACCEPT,
        A.DENY,
        A.REQUEST_MORE_INFO,
        A.OFFER_PARTIAL_REFUND,
    ]


def test_buyer_reply_to_a_reviewer_goes_back_to_review() -> None:
    asked = apply(SCENARIOS["under review"], REVIEWER, A.REQUEST_BUYER_INFO, NOW).after
    assert (asked.status, asked.info_requested_by) == (S.CUSTOMER_INFO_NEEDED, REVIEWER)
    answered = apply(asked, BUYER, A.REPLY, NOW + DAY).after
    assert (answered.status, answered.info_requested_by) == (S.UNDER_PLATFORM_REVIEW, None)


def test_creator_reply_to_a_reviewer_goes_back_to_review() -> None:
    asked = apply(SCENARIOS["under review"], REVIEWER, A.REQUEST_MERCHANT_INFO, NOW).after
    assert (asked.status, asked.info_requested_by) == (S.MERCHANT_INFO_NEEDED, REVIEWER)
    answered = apply(asked, CREATOR, A.REPLY, NOW + DAY).after
    assert (answered.status, answered.info_requested_by) == (S.UNDER_PLATFORM_REVIEW, None)


def test_an_info_round_during_an_appeal_keeps_the_appeal() -> None:
    review = SCENARIOS["under review on appeal"]
    asked = apply(review, REVIEWER, A.REQUEST_BUYER_INFO, NOW).after
    back = apply(asked, BUYER, A.REPLY, NOW + DAY).after
    assert back.appealed
    decided = apply(back, REVIEWER, A.DECIDE_CREDIT, NOW + 2 * DAY).after
    assert decided.due_at is None
    assert is_final(decided, NOW + 2 * DAY)


# --- appeals -----------------------------------------------------------------------------------------------------


def _decided(outcome_action: CaseAction) -> CaseState:
    denied = apply(open_case(NOW), CREATOR, A.DENY, NOW).after
    review = apply(denied, BUYER, A.ESCALATE, NOW + DAY).after
    return apply(review, REVIEWER, outcome_action, NOW + 2 * DAY).after


DECIDED_AT = NOW + 2 * DAY

# decision -> the side it went against, who alone may appeal
LOSERS = {A.DECIDE_REFUND: CREATOR, A.DECIDE_CREDIT: CREATOR, A.DECIDE_MERCHANT_WINS: BUYER}


@pytest.mark.parametrize(("decision", "loser"), LOSERS.items())
def test_only_the_losing_side_may_appeal(decision: CaseAction, loser: Party) -> None:
    state = _decided(decision)
    assert losing_party(state) == loser
    for party in Party:
        expected = [A.APPEAL] if party == loser else []
        assert allowed_actions(state, party, DECIDED_AT) == expected


@pytest.mark.parametrize(("decision", "loser"), LOSERS.items())
def test_the_appeal_window_is_seven_days(decision: CaseAction, loser: Party) -> None:
    state = _decided(decision)
    assert state.due_at == DECIDED_AT + WEEK
    last_second = DECIDED_AT + WEEK - SECOND
    assert appeal_window_open(state, last_second)
    assert not is_final(state, last_second)
    assert apply(state, loser, A.APPEAL, last_second).after.status == S.UNDER_PLATFORM_REVIEW
    for now in (DECIDED_AT + WEEK, DECIDED_AT + WEEK + SECOND):
        assert not appeal_window_open(state, now)
        assert is_final(state, now)
        with pytest.raises(ActionNotAllowed):
            apply(state, loser, A.APPEAL, now)


@pytest.mark.parametrize(("decision", "loser"), LOSERS.items())
def test_appeal_only_once_and_the_decision_on_appeal_is_final(decision: CaseAction, loser: Party) -> None:
    appealed = apply(_decided(decision), loser, A.APPEAL, DECIDED_AT + DAY).after
    assert appealed.appealed
    assert (appealed.status, appealed.decided_by_reviewer, appealed.outcome) == (S.UNDER_PLATFORM_REVIEW, False, None)
    assert appealed.due_at == DECIDED_AT + DAY + 4 * DAY  # appealed on a Thursday: reviewed by Monday
    for second_decision in LOSERS:
        final = apply(appealed, REVIEWER, second_decision, DECIDED_AT + 2 * DAY).after
        assert final.due_at is None
        assert final.decided_by_reviewer
        assert is_final(final, DECIDED_AT + 2 * DAY)
        assert not appeal_window_open(final, DECIDED_AT + 2 * DAY)
        for party in Party:
            assert allowed_actions(final, party, DECIDED_AT + 2 * DAY) == []
        with pytest.raises(ActionNotAllowed):
            apply(final, LOSERS[second_decision], A.APPEAL, DECIDED_AT + 2 * DAY)


# Ways a case closes without a platform decision: all final at once, no appeal for anyone.
CLOSED_WITHOUT_DECISION = [
    ("waiting on creator", CREATOR, A.ACCEPT, NOW),
    ("waiting on creator", SYSTEM, A.AUTO_REFUND, NOW),
    ("waiting on creator", BUYER, A.WITHDRAW, NOW),
    ("under review", BUYER, A.WITHDRAW, NOW),
    ("denied", SYSTEM, A.EXPIRE, DUE),
    ("buyer asked by creator", SYSTEM, A.EXPIRE, DUE),
]


@pytest.mark.parametrize(("name", "party", "action", "now"), CLOSED_WITHOUT_DECISION)
def test_no_appeal_without_a_platform_decision(name: str, party: Party, action: CaseAction, now: datetime) -> None:
    closed = apply(SCENARIOS[name], party, action, now).after
    assert closed.status in (S.CUSTOMER_WON, S.MERCHANT_WON, S.CUSTOMER_WITHDREW)
    assert losing_party(closed) is None
    assert not appeal_window_open(closed, now)
    assert is_final(closed, now)
    for party_ in Party:
        assert allowed_actions(closed, party_, now) == []
        with pytest.raises(ActionNotAllowed):
            apply(closed, party_, A.APPEAL, now)


def test_open_cases_are_not_final() -> None:
    for name in DEADLINE_SCENARIOS + ["under review", "under review on appeal"]:
        assert not is_final(SCENARIOS[name], NOW)
        assert losing_party(SCENARIOS[name]) is None


# --- money -------------------------------------------------------------------------------------------------------

# (scenario, party, action) -> the money that must move now. Every other allowed move moves none.
PAY_OUTS = {
    ("waiting on creator", CREATOR, A.ACCEPT): Outcome.REFUND,
    ("waiting on creator", SYSTEM, A.AUTO_REFUND): Outcome.REFUND,
    ("under review", REVIEWER, A.DECIDE_REFUND): Outcome.REFUND,
    ("under review", REVIEWER, A.DECIDE_CREDIT): Outcome.CREDIT,
    ("under review on appeal", REVIEWER, A.DECIDE_REFUND): Outcome.REFUND,
    ("under review on appeal", REVIEWER, A.DECIDE_CREDIT): Outcome.CREDIT,
    ("under review", REVIEWER, A.DECIDE_PARTIAL_REFUND): Outcome.PARTIAL_REFUND,
    ("under review on appeal", REVIEWER, A.DECIDE_PARTIAL_REFUND): Outcome.PARTIAL_REFUND,
    ("creator's offer waiting on buyer", CREATOR, A.ACCEPT): Outcome.REFUND,
    ("creator's offer waiting on buyer", SYSTEM, A.AUTO_REFUND): Outcome.REFUND,
    ("creator's offer waiting on buyer", BUYER, A.ACCEPT_OFFER): Outcome.PARTIAL_REFUND,
    ("buyer's proposal after denial", CREATOR, A.ACCEPT_OFFER): Outcome.PARTIAL_REFUND,
    # on appeal of money already paid, nothing moves again (the partial refund upheld included)
}


@pytest.mark.parametrize(("name", "party", "action"), ALLOWED_MOVES)
def test_pay_out_exactly_when_money_must_move(name: str, party: Party, action: CaseAction) -> None:
    transition = apply(SCENARIOS[name], party, action, NOW)
    assert transition.pay_out == PAY_OUTS.get((name, party, action))
    assert transition.after.paid_out == (SCENARIOS[name].paid_out or transition.pay_out is not None)


@pytest.mark.parametrize("name", EXPIRE_RESULTS)
def test_deadlines_never_move_money(name: str) -> None:
    assert apply(SCENARIOS[name], SYSTEM, A.EXPIRE, DUE).pay_out is None


@pytest.mark.parametrize("first", [A.DECIDE_REFUND, A.DECIDE_CREDIT])
@pytest.mark.parametrize("second", [A.DECIDE_REFUND, A.DECIDE_CREDIT, A.DECIDE_MERCHANT_WINS])
def test_a_buyer_already_paid_is_never_paid_again_on_appeal(first: CaseAction, second: CaseAction) -> None:
    won = _decided(first)
    assert won.paid_out
    review = apply(won, CREATOR, A.APPEAL, DECIDED_AT + DAY).after
    assert review.paid_out
    final = apply(review, REVIEWER, second, DECIDED_AT + 2 * DAY)
    assert final.pay_out is None
    assert final.after.paid_out


@pytest.mark.parametrize(("second", "money"), [(A.DECIDE_REFUND, Outcome.REFUND), (A.DECIDE_CREDIT, Outcome.CREDIT)])
def test_a_buyer_who_wins_on_appeal_is_paid_then(second: CaseAction, money: Outcome) -> None:
    lost = _decided(A.DECIDE_MERCHANT_WINS)
    assert not lost.paid_out
    review = apply(lost, BUYER, A.APPEAL, DECIDED_AT + DAY).after
    final = apply(review, REVIEWER, second, DECIDED_AT + 2 * DAY)
    assert final.pay_out == money
    assert (final.after.paid_out, final.after.outcome) == (True, money)


@pytest.mark.parametrize(
    ("first", "second", "reimbursed"),
    [
        (A.DECIDE_REFUND, A.DECIDE_MERCHANT_WINS, True),  # the creator's refund is taken back: the platform pays
        (A.DECIDE_REFUND, A.DECIDE_CREDIT, True),  # a credit costs the creator nothing, so their refund comes back
        (A.DECIDE_REFUND, A.DECIDE_REFUND, False),  # the refund stands
        (A.DECIDE_CREDIT, A.DECIDE_MERCHANT_WINS, False),  # the creator never paid for the credit
        (A.DECIDE_CREDIT, A.DECIDE_REFUND, False),
    ],
)
def test_the_platform_reimburses_a_creator_whose_refund_an_appeal_takes_back(
    first: CaseAction, second: CaseAction, reimbursed: bool
) -> None:
    review = apply(_decided(first), CREATOR, A.APPEAL, DECIDED_AT + DAY)
    assert not review.reimburse_creator
    final = apply(review.after, REVIEWER, second, DECIDED_AT + 2 * DAY)
    assert final.reimburse_creator is reimbursed
    assert final.pay_out is None  # the buyer keeps what they got; nobody is paid twice


def test_a_creators_refund_is_remembered_and_a_credit_is_not() -> None:
    assert _decided(A.DECIDE_REFUND).creator_paid
    assert not _decided(A.DECIDE_CREDIT).creator_paid
    assert apply(SCENARIOS["waiting on creator"], CREATOR, A.ACCEPT, NOW).after.creator_paid


@pytest.mark.parametrize("first", [A.DECIDE_REFUND, A.DECIDE_CREDIT])
def test_a_buyer_already_paid_back_has_nothing_to_withdraw_during_the_creators_appeal(first: CaseAction) -> None:
    review = apply(_decided(first), CREATOR, A.APPEAL, DECIDED_AT + DAY).after
    assert A.WITHDRAW not in allowed_actions(review, BUYER, DECIDED_AT + DAY)
    with pytest.raises(ActionNotAllowed):
        apply(review, BUYER, A.WITHDRAW, DECIDED_AT + DAY)


def test_only_the_close_of_an_appeal_reimburses() -> None:
    for name, party, action in ALLOWED_MOVES:
        if not SCENARIOS[name].appealed:
            assert not apply(SCENARIOS[name], party, action, NOW).reimburse_creator


def test_outcomes_of_each_way_to_close() -> None:
    waiting, review = SCENARIOS["waiting on creator"], SCENARIOS["under review"]
    assert apply(waiting, CREATOR, A.ACCEPT, NOW).after.outcome == Outcome.REFUND
    assert apply(waiting, SYSTEM, A.AUTO_REFUND, NOW).after.outcome == Outcome.REFUND
    assert apply(waiting, BUYER, A.WITHDRAW, NOW).after.outcome == Outcome.WITHDRAWN
    assert apply(review, REVIEWER, A.DECIDE_REFUND, NOW).after.outcome == Outcome.REFUND
    assert apply(review, REVIEWER, A.DECIDE_CREDIT, NOW).after.outcome == Outcome.CREDIT
    assert apply(review, REVIEWER, A.DECIDE_MERCHANT_WINS, NOW).after.outcome == Outcome.MERCHANT_WINS


# --- notifications (DESIGN §5; a reviewer hears only of answers to the platform and appeals of their decision) --

NOTIFY_BEFORE_DEADLINE = {
    # buyer is emailed on the creator's response: accept, deny, info request
    ("waiting on creator", CREATOR, A.ACCEPT): {BUYER},
    ("waiting on creator", CREATOR, A.DENY): {BUYER},
    ("waiting on creator", CREATOR, A.REQUEST_MORE_INFO): {BUYER},
    # auto-refund: both sides
    ("waiting on creator", SYSTEM, A.AUTO_REFUND): BOTH,
    # creator is emailed when the buyer resolves the case by withdrawing
    ("waiting on creator", BUYER, A.WITHDRAW): {CREATOR},
    ("buyer asked by creator", BUYER, A.WITHDRAW): {CREATOR},
    ("buyer asked by reviewer", BUYER, A.WITHDRAW): {CREATOR},
    ("denied", BUYER, A.WITHDRAW): {CREATOR},
    ("under review", BUYER, A.WITHDRAW): {CREATOR},
    ("under review on appeal", BUYER, A.WITHDRAW): {CREATOR},
    ("creator asked by reviewer", BUYER, A.WITHDRAW): {CREATOR},
    # creator is emailed when the buyer replies to their info request; answers to a reviewer go to the claimer
    ("buyer asked by creator", BUYER, A.REPLY): {CREATOR},
    ("buyer asked by reviewer", BUYER, A.REPLY): {REVIEWER},
    ("creator asked by reviewer", CREATOR, A.REPLY): {REVIEWER},
    # escalation: both
    ("denied", BUYER, A.ESCALATE): BOTH,
    # a reviewer's request goes to the side asked
    ("under review", REVIEWER, A.REQUEST_BUYER_INFO): {BUYER},
    ("under review", REVIEWER, A.REQUEST_MERCHANT_INFO): {CREATOR},
    ("under review on appeal", REVIEWER, A.REQUEST_BUYER_INFO): {BUYER},
    ("under review on appeal", REVIEWER, A.REQUEST_MERCHANT_INFO): {CREATOR},
    # decisions and final decisions: both
    ("under review", REVIEWER, A.DECIDE_REFUND): BOTH,
    ("under review", REVIEWER, A.DECIDE_CREDIT): BOTH,
    ("under review", REVIEWER, A.DECIDE_MERCHANT_WINS): BOTH,
    ("under review on appeal", REVIEWER, A.DECIDE_REFUND): BOTH,
    ("under review on appeal", REVIEWER, A.DECIDE_CREDIT): BOTH,
    ("under review on appeal", REVIEWER, A.DECIDE_MERCHANT_WINS): BOTH,
    # appeals: the other side always hears; a buyer's appeal also reaches the creator as "appealed"
    # (and the reviewer whose decision it was)
    ("buyer won refund decision", CREATOR, A.APPEAL): BOTH | {REVIEWER},
    ("buyer won credit decision", CREATOR, A.APPEAL): BOTH | {REVIEWER},
    ("creator won decision", BUYER, A.APPEAL): BOTH | {REVIEWER},
    ("partial refund decision", CREATOR, A.APPEAL): BOTH | {REVIEWER},
    # partial refunds: a reviewer's decision, like the others; an offer and its answer reach the other side
    ("under review", REVIEWER, A.DECIDE_PARTIAL_REFUND): BOTH,
    ("under review on appeal", REVIEWER, A.DECIDE_PARTIAL_REFUND): BOTH,
    **{
        (name, party, action): {BUYER} if party == CREATOR else {CREATOR}
        for name in [
            "waiting on creator",
            "buyer asked by creator",
            "buyer asked by reviewer",
            "denied",
            "creator asked by reviewer",
            "creator's offer waiting on buyer",
            "buyer's proposal after denial",
        ]
        for party, action in [(CREATOR, A.OFFER_PARTIAL_REFUND), (BUYER, A.PROPOSE_PARTIAL_REFUND)]
    },
    ("creator's offer waiting on buyer", BUYER, A.ACCEPT_OFFER): {CREATOR},
    ("creator's offer waiting on buyer", BUYER, A.DECLINE_OFFER): {CREATOR},
    ("buyer's proposal after denial", CREATOR, A.ACCEPT_OFFER): {BUYER},
    ("buyer asked by reviewer on appeal of a refund", BUYER, A.REPLY): {REVIEWER},
    ("buyer's proposal after denial", CREATOR, A.DECLINE_OFFER): {BUYER},
    # the moves the case had without the offer are told as they always are
    ("creator's offer waiting on buyer", CREATOR, A.ACCEPT): {BUYER},
    ("creator's offer waiting on buyer", CREATOR, A.DENY): {BUYER},
    ("creator's offer waiting on buyer", CREATOR, A.REQUEST_MORE_INFO): {BUYER},
    ("creator's offer waiting on buyer", SYSTEM, A.AUTO_REFUND): BOTH,
    ("creator's offer waiting on buyer", BUYER, A.WITHDRAW): {CREATOR},
    ("buyer's proposal after denial", BUYER, A.ESCALATE): BOTH,
    ("buyer's proposal after denial", BUYER, A.WITHDRAW): {CREATOR},
    **{
        (name, REVIEWER, action): {BUYER}
        if action == A.REQUEST_BUYER_INFO
        else {CREATOR}
        if action == A.REQUEST_MERCHANT_INFO
        else BOTH
        for name, moves in [
            ("under review on appeal of a refund", APPEAL_OF_A_REFUND_MOVES),
            ("under review on appeal of a partial refund", APPEAL_OF_A_PARTIAL_REFUND_MOVES),
        ]
        for _, action in moves
    },
}

NOTIFY_AT_DEADLINE = {
    "waiting on creator": BOTH,  # escalated automatically
    "buyer asked by creator": BOTH,  # resolved for the creator
    "buyer asked by reviewer": BOTH | {REVIEWER},  # back to the queue: the claimer hears the question went unanswered
    "denied": BOTH,
    "creator asked by reviewer": BOTH | {REVIEWER},
    "buyer won refund decision": BOTH,  # the decision stands: final
    "buyer won credit decision": BOTH,
    "creator won decision": BOTH,
    "creator's offer waiting on buyer": BOTH,
    "buyer's proposal after denial": BOTH,
    "partial refund decision": BOTH,
    "buyer asked by reviewer on appeal of a refund": BOTH | {REVIEWER},
}


def test_notification_table_covers_every_allowed_move() -> None:
    assert set(ALLOWED_MOVES) == set(NOTIFY_BEFORE_DEADLINE)
    assert {name for name, table in ALLOWED_AT_DEADLINE.items() if (SYSTEM, A.EXPIRE) in table} == set(
        NOTIFY_AT_DEADLINE
    )


@pytest.mark.parametrize(("name", "party", "action"), NOTIFY_BEFORE_DEADLINE)
def test_who_is_notified_of_each_move(name: str, party: Party, action: CaseAction) -> None:
    assert apply(SCENARIOS[name], party, action, NOW).notify == NOTIFY_BEFORE_DEADLINE[(name, party, action)]


@pytest.mark.parametrize("name", NOTIFY_AT_DEADLINE)
def test_who_is_notified_of_each_expiry(name: str) -> None:
    assert apply(SCENARIOS[name], SYSTEM, A.EXPIRE, DUE).notify == NOTIFY_AT_DEADLINE[name]


# --- purity ------------------------------------------------------------------------------------------------------


def test_apply_returns_a_new_state_and_leaves_the_old_one_alone() -> None:
    state = SCENARIOS["waiting on creator"]
    copy = replace(state)
    transition = apply(state, CREATOR, A.ACCEPT, NOW, DEFAULT_POLICY)
    assert state == copy
    assert transition.before is state
    assert transition.after is not state


# --- partial refunds ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "party", "action"),
    [m for m in ALLOWED_MOVES if m[2] not in (A.OFFER_PARTIAL_REFUND, A.PROPOSE_PARTIAL_REFUND)],
)
def test_every_move_but_an_offer_takes_the_offer_off_the_table(name: str, party: Party, action: CaseAction) -> None:
    assert apply(SCENARIOS[name], party, action, NOW).after.offer_by is None


def test_a_counter_offer_replaces_the_offer_and_only_the_other_side_answers() -> None:
    offered = apply(SCENARIOS["waiting on creator"], CREATOR, A.OFFER_PARTIAL_REFUND, NOW).after
    assert (offered.status, offered.due_at, offered.offer_by) == (S.MERCHANT_RESPONSE_NEEDED, DUE, CREATOR)
    assert A.ACCEPT_OFFER not in allowed_actions(offered, CREATOR, NOW)
    countered = apply(offered, BUYER, A.PROPOSE_PARTIAL_REFUND, NOW).after
    assert countered.offer_by == BUYER
    assert A.ACCEPT_OFFER in allowed_actions(countered, CREATOR, NOW)
    assert A.ACCEPT_OFFER not in allowed_actions(countered, BUYER, NOW)


def test_declining_leaves_the_case_where_it_was_and_accepting_closes_it_for_good() -> None:
    offered = SCENARIOS["creator's offer waiting on buyer"]
    declined = apply(offered, BUYER, A.DECLINE_OFFER, NOW)
    assert declined.after == replace(offered, offer_by=None)
    assert declined.pay_out is None
    accepted = apply(offered, BUYER, A.ACCEPT_OFFER, NOW).after
    assert (accepted.status, accepted.outcome, accepted.due_at) == (S.PARTIALLY_REFUNDED, Outcome.PARTIAL_REFUND, None)
    assert (accepted.paid_out, accepted.creator_paid, accepted.paid_partial) == (True, True, True)
    assert is_final(accepted, NOW) and losing_party(accepted) is None


def test_an_offer_lapses_with_its_deadline() -> None:
    offered = SCENARIOS["creator's offer waiting on buyer"]
    assert allowed_actions(offered, BUYER, DUE) == []
    with pytest.raises(ActionNotAllowed):
        apply(offered, BUYER, A.ACCEPT_OFFER, DUE)
    assert apply(offered, SYSTEM, A.EXPIRE, DUE).after.offer_by is None


def test_a_partial_refund_decision_is_the_creators_to_appeal_and_can_be_upheld_or_reversed() -> None:
    decided = _decided(A.DECIDE_PARTIAL_REFUND)
    assert (decided.status, decided.due_at, losing_party(decided)) == (S.PARTIALLY_REFUNDED, DECIDED_AT + WEEK, CREATOR)
    review = apply(decided, CREATOR, A.APPEAL, DECIDED_AT + DAY).after
    upheld = apply(review, REVIEWER, A.DECIDE_PARTIAL_REFUND, DECIDED_AT + 2 * DAY)
    assert (upheld.pay_out, upheld.reimburse_creator, upheld.after.status) == (None, False, S.PARTIALLY_REFUNDED)
    reversed_ = apply(review, REVIEWER, A.DECIDE_MERCHANT_WINS, DECIDED_AT + 2 * DAY)
    assert (reversed_.pay_out, reversed_.reimburse_creator, reversed_.after.status) == (None, True, S.MERCHANT_WON)
    for more in (A.DECIDE_REFUND, A.DECIDE_CREDIT):  # the buyer can't be said to have won what was never paid
        with pytest.raises(ActionNotAllowed):
            apply(review, REVIEWER, more, DECIDED_AT + 2 * DAY)


def test_a_full_refund_on_appeal_can_t_become_a_partial_one() -> None:
    review = apply(_decided(A.DECIDE_REFUND), CREATOR, A.APPEAL, DECIDED_AT + DAY).after
    with pytest.raises(ActionNotAllowed):
        apply(review, REVIEWER, A.DECIDE_PARTIAL_REFUND, DECIDED_AT + 2 * DAY)


def test_a_buyer_who_lost_may_win_a_partial_refund_on_appeal() -> None:
    review = apply(_decided(A.DECIDE_MERCHANT_WINS), BUYER, A.APPEAL, DECIDED_AT + DAY).after
    final = apply(review, REVIEWER, A.DECIDE_PARTIAL_REFUND, DECIDED_AT + 2 * DAY)
    assert final.pay_out == Outcome.PARTIAL_REFUND
    assert is_final(final.after, DECIDED_AT + 2 * DAY)
