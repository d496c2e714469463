"""Every role against every reviewer function (issue 10, DESIGN §6): the buyer of the case, the creator who owns its
business, another business's creator and someone with nothing but an account all find "not found", whatever
they pass, and nothing about the case changes. A control shows a reviewer may make each same call.
"""

from datetime import timedelta

import pytest

from resolution_app.domain.enums import CaseStatus
from resolution_app.domain.errors import ActionNotAllowed, NotFound
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.models import (
    Appeal,
    BalanceCredit,
    Case,
    CaseEvent,
    Message,
    Notification,
    PlatformReimbursement,
    Refund,
    ReviewNote,
)
from resolution_app.services.cases import case_actions, case_views
from resolution_app.services.creator.customer_context import customer_context
from resolution_app.services.review import claims as review_claims
from resolution_app.services.review.case_file import review_case_file
from resolution_app.services.review.notes import add_note
from resolution_app.services.review.queue import QueueFilter, review_queue, unclaimed_count
from tests.services.members import add_person, other_creator
from tests.services.review.flows import B, C, R, act, claimed, escalated, opened, rows_of

NOTHING_REVEALED = {"Page not found.", "Case not found."}
MISSING_CASE = 2**40
REVIEWER_ACTIONS = (
    "request_buyer_info",
    "request_merchant_info",
    "decide_refund",
    "decide_credit",
    "decide_merchant_wins",
)
TABLES = (CaseEvent, Message, ReviewNote, Appeal, Refund, BalanceCredit, PlatformReimbursement, Notification)


def _act(action: str):
    def call(user, case_id, version):
        case_actions.act(user, case_id, R, action, expected_version=version, text="A question or a rationale.")

    return call


# name -> (call(user, case_id, version), whether the case must be unclaimed for a reviewer's call to go through)
CALLS = {
    "review_queue": (lambda user, case_id, version: review_queue(user, QueueFilter()), False),
    "unclaimed_count": (lambda user, case_id, version: unclaimed_count(user), False),
    "claim": (lambda user, case_id, version: review_claims.claim(user, case_id), True),
    "release": (lambda user, case_id, version: review_claims.release(user, case_id), False),
    "take_over": (lambda user, case_id, version: review_claims.take_over(user, case_id), False),
    "add_note": (lambda user, case_id, version: add_note(user, case_id, "Looks like a double purchase."), False),
    "review_case_file": (lambda user, case_id, version: review_case_file(user, case_id), False),
    "case_detail": (lambda user, case_id, version: case_views.case_detail(user, case_id, R), False),
    "customer_context": (lambda user, case_id, version: customer_context(user, case_id, R), False),
    "send_message": (lambda user, case_id, version: case_actions.send_message(user, case_id, R, "Hello."), False),
    **{f"act:{action}": (_act(action), False) for action in REVIEWER_ACTIONS},
}
ROLES = ("buyer", "creator", "other_creator", "stranger")


def _someone(world, role: str):
    if role == "buyer":
        return world.buyer
    if role == "creator":
        return world.creator
    if role == "other_creator":
        return other_creator()
    return add_person("stranger@example.com")


def _case_for(world, call: str, frozen_clock) -> int:
    """A case under review on which a reviewer could make `call`: unclaimed for a claim, else claimed by the first
    reviewer and idle past the limit (so even a take-over would go through)."""
    if CALLS[call][1]:
        return escalated(world)
    case_id = claimed(world)
    frozen_clock.advance(DEFAULT_POLICY.review_claim_idle_limit + timedelta(minutes=1))
    return case_id


def _everything(world, case_id: int):
    """All the database holds about the case."""
    case = world.case(case_id)
    held = tuple([row.id for row in rows_of(table, case_id)] for table in TABLES)
    return {column: getattr(case, column) for column in Case.model_fields}, held


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("role", ROLES)
def test_no_one_but_a_reviewer_may_call_a_reviewer_function(world, store, frozen_clock, role, call):
    case_id = _case_for(world, call, frozen_clock)
    someone, (make_call, _) = _someone(world, role), CALLS[call]
    before = _everything(world, case_id)
    with pytest.raises(NotFound) as refused:
        make_call(someone, case_id, world.case(case_id).version)
    assert refused.value.message in NOTHING_REVEALED
    assert _everything(world, case_id) == before
    with pytest.raises(NotFound) as missing:  # a case that exists is refused like one that doesn't
        make_call(someone, MISSING_CASE, 1)
    assert missing.value.message == refused.value.message


@pytest.mark.parametrize("call", CALLS)
def test_a_reviewer_may_make_each_of_those_calls(world, store, frozen_clock, call):
    case_id = _case_for(world, call, frozen_clock)
    reviewer = world.reviewer2 if call == "claim" or call == "take_over" else world.reviewer
    CALLS[call][0](reviewer, case_id, world.case(case_id).version)


def test_what_a_reviewers_call_changes_is_seen_by_the_check(world, store, frozen_clock):
    """The snapshot the refusals are compared with does notice a change (a note, here)."""
    case_id = _case_for(world, "add_note", frozen_clock)
    before = _everything(world, case_id)
    add_note(world.reviewer2, case_id, "Looks like a double purchase.")
    assert _everything(world, case_id) != before


@pytest.mark.parametrize("action", REVIEWER_ACTIONS)
def test_a_buyer_acting_as_the_platform_on_their_own_case_is_not_found(world, store, action):
    case_id = escalated(world)
    before = _everything(world, case_id)
    with pytest.raises(NotFound, match="Case not found"):
        act(world, world.buyer, case_id, R, action, "I decide for myself.")
    assert _everything(world, case_id) == before


@pytest.mark.parametrize(("action", "text"), [("accept", ""), ("deny", "No."), ("request_more_info", "Why?")])
def test_a_buyer_acting_as_the_creator_on_their_own_case_is_not_found(world, store, action, text):
    case_id = opened(world)
    before = _everything(world, case_id)
    with pytest.raises(NotFound, match="Case not found"):
        act(world, world.buyer, case_id, C, action, text)
    assert _everything(world, case_id) == before
    assert world.case(case_id).status == CaseStatus.MERCHANT_RESPONSE_NEEDED


@pytest.mark.parametrize("action", REVIEWER_ACTIONS)
def test_the_creator_acting_as_the_platform_is_not_found_and_as_themselves_not_allowed(world, store, action):
    case_id = escalated(world)
    before = _everything(world, case_id)
    with pytest.raises(NotFound, match="Case not found"):
        act(world, world.creator, case_id, R, action, "I decide for myself.")
    with pytest.raises(ActionNotAllowed):  # a reviewer's action is no creator's
        act(world, world.creator, case_id, C, action, "I decide for myself.")
    assert _everything(world, case_id) == before


def test_a_buyer_is_offered_no_reviewer_action_and_no_case_file(world, store):
    case_id = claimed(world)
    for user, party in ((world.buyer, B), (world.creator, C)):
        detail = case_views.case_detail(user, case_id, party)
        assert not set(detail.actions) & set(REVIEWER_ACTIONS)
        assert detail.decision_money == {}
    with pytest.raises(NotFound):
        customer_context(world.buyer, case_id, B)
