"""The next-step banner: whose move, by when, and what happens if nobody moves, written out by hand per situation
(not derived from the module), and checked against what the lifecycle allows and does at the deadline."""

from datetime import UTC, datetime, timedelta

import pytest

from resolution_app.domain.enums import OFFERS, CaseAction, CaseStatus, Outcome, Party
from resolution_app.domain.lifecycle import CaseState, allowed_actions, apply
from resolution_app.domain.next_step import next_step

S, B, C = CaseStatus, Party.BUYER, Party.CREATOR
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
DUE = NOW + timedelta(days=3)

SITUATIONS = {
    "new claim": CaseState(S.MERCHANT_RESPONSE_NEEDED, DUE),
    "creator asked": CaseState(S.CUSTOMER_INFO_NEEDED, DUE, info_requested_by=C),
    "platform asked the buyer": CaseState(S.CUSTOMER_INFO_NEEDED, DUE, info_requested_by=Party.REVIEWER),
    "denied": CaseState(S.CUSTOMER_RESPONSE_NEEDED, DUE),
    "platform asked the creator": CaseState(S.MERCHANT_INFO_NEEDED, DUE, info_requested_by=Party.REVIEWER),
    "in review": CaseState(S.UNDER_PLATFORM_REVIEW, DUE),
    "platform refunded": CaseState(
        S.CUSTOMER_WON, DUE, decided_by_reviewer=True, outcome=Outcome.REFUND, paid_out=True, creator_paid=True
    ),
    "creator refunded": CaseState(S.CUSTOMER_WON, None, outcome=Outcome.REFUND, paid_out=True, creator_paid=True),
    "withdrawn": CaseState(S.CUSTOMER_WITHDREW, None, outcome=Outcome.WITHDRAWN),
}

# situation -> (tone for the buyer, tone for the creator, if nobody moves)
EXPECTED = {
    "new claim": ("wait", "act", "the case goes to platform review"),
    "creator asked": ("act", "wait", "the case closes in the creator's favour"),
    "platform asked the buyer": ("act", "wait", "the case goes to platform review"),
    "denied": ("act", "wait", "the case closes in the creator's favour"),
    "platform asked the creator": ("wait", "act", "the case goes to platform review"),
    "in review": ("wait", "wait", ""),
    "platform refunded": ("wait", "act", "the decision becomes final"),
    "creator refunded": ("closed", "closed", ""),
    "withdrawn": ("closed", "closed", ""),
}


@pytest.mark.parametrize("situation", SITUATIONS)
def test_tone_and_consequence(situation):
    buyer_tone, creator_tone, consequence = EXPECTED[situation]
    state = SITUATIONS[situation]
    assert next_step(state, B, NOW).tone == buyer_tone
    assert next_step(state, C, NOW).tone == creator_tone
    assert next_step(state, B, NOW).consequence == next_step(state, C, NOW).consequence == consequence


@pytest.mark.parametrize("situation", SITUATIONS)
@pytest.mark.parametrize("viewer", [B, C])
def test_your_move_only_when_you_have_a_move_and_due_only_when_it_is_a_deadline(situation, viewer):
    state, step = SITUATIONS[situation], next_step(SITUATIONS[situation], viewer, NOW)
    # Withdrawing and putting a partial refund on the table are open to a side whenever the case waits on either.
    moves = [a for a in allowed_actions(state, viewer, NOW) if a != CaseAction.WITHDRAW and a not in OFFERS]
    assert (step.tone == "act") == bool(moves)
    if state.status == S.UNDER_PLATFORM_REVIEW:
        assert (step.deadline, step.review_target) == (None, DUE)  # a target is no one's deadline
    if step.tone == "closed":
        assert step.deadline is None


def test_the_words_people_read():
    asked = next_step(SITUATIONS["creator asked"], B, NOW)
    assert (asked.headline, asked.verb, asked.deadline) == ("Your move: answer the creator's question", "reply", DUE)
    waiting = next_step(SITUATIONS["creator asked"], C, NOW)
    assert (waiting.headline, waiting.waiting_on) == ("Waiting on the buyer", "the buyer")
    appeal = next_step(SITUATIONS["platform refunded"], C, NOW)
    assert appeal.headline == "The platform decided: the buyer is refunded. You may appeal once"
    assert next_step(SITUATIONS["withdrawn"], C, NOW).headline == "Closed: the buyer withdrew the case"


@pytest.mark.parametrize("situation", [s for s, expected in EXPECTED.items() if expected[2]])
def test_the_consequence_is_what_the_deadline_does(situation):
    state = SITUATIONS[situation]
    after = apply(state, Party.SYSTEM, CaseAction.EXPIRE, DUE).after
    consequence = next_step(state, B, NOW).consequence
    if after.status == S.UNDER_PLATFORM_REVIEW:
        assert "platform review" in consequence
    elif after.status == state.status:
        assert consequence == "the decision becomes final"
    else:
        assert after.status == S.MERCHANT_WON and "creator's favour" in consequence


def test_a_decided_appeal_is_the_final_decision():
    state = CaseState(S.MERCHANT_WON, None, decided_by_reviewer=True, appealed=True, outcome=Outcome.MERCHANT_WINS)
    for viewer in (B, C):
        step = next_step(state, viewer, NOW)
        assert (step.tone, step.headline) == ("closed", "Final decision: in the creator's favour, no refund")


def test_a_review_past_its_target_is_said_to_be_late():
    in_review = SITUATIONS["in review"]
    assert not next_step(in_review, B, NOW).review_late
    assert not next_step(in_review, B, DUE - timedelta(seconds=1)).review_late
    assert next_step(in_review, B, DUE).review_late
    assert next_step(in_review, Party.REVIEWER, DUE + timedelta(days=1)).review_late
