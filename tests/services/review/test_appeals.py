"""Appeals and decisions (issue 10, DESIGN §2-§3): the side a platform decision went against may appeal it once,
within 7 days; a reviewer other than the first decider decides the appeal, and that decision is final. Every
decision needs a rationale of at most 10,000 characters. A creator who lets the response deadline pass sends the
case to the reviewers' queue.
"""

from datetime import timedelta

import pytest

from resolution_app.domain.enums import CaseStatus, PaymentMethod
from resolution_app.domain.errors import ActionNotAllowed, Conflict, Forbidden, InvalidInput
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.models import Appeal, Attachment
from resolution_app.services.cases import case_actions, case_views
from resolution_app.services.cases.deadlines import due_case_ids, expire_case
from resolution_app.services.review import claims as review_claims
from resolution_app.services.review.case_file import review_case_file
from resolution_app.services.review.queue import QueueFilter, review_queue
from tests.services.factories import pdf, png
from tests.services.review.flows import (
    LOSER,
    RATIONALE,
    B,
    C,
    R,
    act,
    acting,
    appealed,
    claimed,
    decide_appeal,
    decided,
    event_kinds,
    opened,
    race,
    rows_of,
)

DECISIONS = ("decide_refund", "decide_credit", "decide_merchant_wins")
STATEMENT = "The first decision overlooked the changelog."


def _people(world):
    return {B: world.buyer, C: world.creator}


def _winner(decision: str):
    return B if LOSER[decision] == C else C


def _unchanged(world, case_id: int):
    """What a refused move must leave as it was."""
    case = world.case(case_id)
    return case.version, case.status, case.appealed, event_kinds(case_id), len(rows_of(Appeal, case_id))


@pytest.mark.parametrize("decision", DECISIONS)
def test_only_the_side_the_decision_went_against_is_offered_the_appeal(world, store, decision):
    case_id = decided(world, decision)
    people, loser = _people(world), LOSER[decision]
    assert case_views.case_detail(people[loser], case_id, loser).actions == ["appeal"]
    assert case_views.case_detail(people[_winner(decision)], case_id, _winner(decision)).actions == []


@pytest.mark.parametrize("decision", DECISIONS)
def test_the_winners_appeal_is_refused(world, store, decision):
    case_id = decided(world, decision)
    winner = _winner(decision)
    before = _unchanged(world, case_id)
    with pytest.raises(ActionNotAllowed):
        act(world, _people(world)[winner], case_id, winner, "appeal", STATEMENT)
    assert _unchanged(world, case_id) == before


@pytest.mark.parametrize("decision", DECISIONS)
def test_the_losers_appeal_goes_back_to_the_queue_unclaimed_with_its_statement(world, store, decision):
    case_id = decided(world, decision)
    loser = LOSER[decision]
    act(world, _people(world)[loser], case_id, loser, "appeal", STATEMENT, [png(), pdf()])
    case = world.case(case_id)
    assert (case.status, case.appealed, case.assigned_reviewer_id) == (CaseStatus.UNDER_PLATFORM_REVIEW, True, None)
    (appeal,) = rows_of(Appeal, case_id)
    assert (appeal.party, appeal.statement) == (loser, STATEMENT)
    assert sorted(a.display_name for a in rows_of(Attachment, case_id)) == ["proof.png", "receipt.pdf"]
    rows = [row for row in review_queue(world.reviewer2, QueueFilter(kind="appeal")).rows if row.case_id == case_id]
    assert [(row.kind, row.claimed_by) for row in rows] == [("appeal", "")]


def test_an_appeal_needs_a_statement_and_takes_at_most_three_files(world, store):
    case_id = decided(world, "decide_refund")
    before = _unchanged(world, case_id)
    with pytest.raises(InvalidInput, match="Write your appeal statement"):
        act(world, world.creator, case_id, C, "appeal", "   ")
    with pytest.raises(InvalidInput, match="Attach at most 3 files"):
        act(world, world.creator, case_id, C, "appeal", STATEMENT, [png("a.png"), png("b.png"), png("c.png"), pdf()])
    assert _unchanged(world, case_id) == before
    assert rows_of(Attachment, case_id) == [] and list(store.root.iterdir()) == []


def test_an_appeal_after_the_7_days_is_refused_and_the_decision_stands(world, store, frozen_clock):
    case_id = decided(world, "decide_merchant_wins")
    frozen_clock.advance(DEFAULT_POLICY.appeal_time + timedelta(seconds=1))
    with pytest.raises(Conflict, match="deadline has passed"):
        act(world, world.buyer, case_id, B, "appeal", STATEMENT)
    with pytest.raises(ActionNotAllowed):  # and again, now that the case shows as it is
        act(world, world.buyer, case_id, B, "appeal", STATEMENT)
    case = world.case(case_id)
    assert (case.status, case.appealed, case.due_at) == (CaseStatus.MERCHANT_WON, False, None)
    assert rows_of(Appeal, case_id) == []
    detail = case_views.case_detail(world.buyer, case_id, B)
    assert detail.is_final and detail.actions == []


def test_an_appeal_just_inside_the_7_days_goes_through(world, store, frozen_clock):
    case_id = decided(world, "decide_merchant_wins")
    frozen_clock.advance(DEFAULT_POLICY.appeal_time - timedelta(minutes=1))
    act(world, world.buyer, case_id, B, "appeal", STATEMENT)
    assert world.case(case_id).status == CaseStatus.UNDER_PLATFORM_REVIEW


def test_an_appeal_racing_the_end_of_its_window_never_reopens_the_case(world, store, frozen_clock):
    case_id = decided(world, "decide_refund")
    version = world.case(case_id).version
    frozen_clock.advance(DEFAULT_POLICY.appeal_time)
    outcomes = race(acting(world.creator, case_id, C, "appeal", version, STATEMENT), lambda: expire_case(case_id))
    assert outcomes[0] == "Conflict"
    assert event_kinds(case_id).count("expire") == 1 and "appeal" not in event_kinds(case_id)
    assert case_views.case_detail(world.creator, case_id, C).is_final


def test_a_second_appeal_is_refused(world, store):
    case_id = appealed(world, "decide_refund")
    decide_appeal(world, case_id, "decide_merchant_wins")  # now the buyer lost
    before = _unchanged(world, case_id)
    for user, party in ((world.buyer, B), (world.creator, C)):
        with pytest.raises(ActionNotAllowed):
            act(world, user, case_id, party, "appeal", "Once more, please.")
    assert _unchanged(world, case_id) == before
    assert len(rows_of(Appeal, case_id)) == 1


def test_two_appeals_at_once_make_one(world, store):
    case_id = decided(world, "decide_refund")
    version = world.case(case_id).version
    appeal = acting(world.creator, case_id, C, "appeal", version, STATEMENT)
    assert sorted(race(appeal, appeal)) == ["Conflict", "ok"]
    assert len(rows_of(Appeal, case_id)) == 1 and event_kinds(case_id).count("appeal") == 1


def test_the_first_decider_cannot_decide_the_appeal_and_another_reviewer_can_after_claiming(world, store):
    case_id = appealed(world, "decide_refund")
    review_claims.claim(world.reviewer, case_id)
    before = _unchanged(world, case_id)
    for decision in DECISIONS:
        with pytest.raises(Forbidden, match="first decision"):  # told why, not just "no"
            act(world, world.reviewer, case_id, R, decision, "I stand by my decision.")
    assert _unchanged(world, case_id) == before
    review_claims.release(world.reviewer, case_id)
    with pytest.raises(Forbidden, match="Claim the case"):
        act(world, world.reviewer2, case_id, R, "decide_merchant_wins", "The changelog settles it.")
    review_claims.claim(world.reviewer2, case_id)
    act(world, world.reviewer2, case_id, R, "decide_merchant_wins", "The changelog settles it.")
    case = world.case(case_id)
    assert (case.status, case.decided_by_id) == (CaseStatus.MERCHANT_WON, world.reviewer.id)  # the first decider


def test_the_first_decider_is_offered_no_decision_on_the_appeal(world, store):
    case_id = appealed(world, "decide_refund")
    for reviewer in (world.reviewer, world.reviewer2):
        review_claims.claim(reviewer, case_id)
        detail = case_views.case_detail(reviewer, case_id, R)
        decisions = [action for action in detail.actions if action in DECISIONS]
        assert decisions == ([] if reviewer == world.reviewer else list(DECISIONS))
        assert sorted(detail.decision_money) == sorted(decisions)
        assert review_case_file(reviewer, case_id).claim.decided_first == (reviewer == world.reviewer)
        review_claims.release(reviewer, case_id)


def test_the_first_decider_may_still_ask_a_question_on_the_appeal(world, store):
    case_id = appealed(world, "decide_refund")
    review_claims.claim(world.reviewer, case_id)
    act(world, world.reviewer, case_id, R, "request_merchant_info", "Send the changelog, please.")
    assert world.case(case_id).status == CaseStatus.MERCHANT_INFO_NEEDED


def test_the_appeal_decision_is_final_for_everybody(world, store):
    case_id = appealed(world, "decide_refund")
    decide_appeal(world, case_id, "decide_merchant_wins")
    for user, party in ((world.buyer, B), (world.creator, C), (world.reviewer2, R), (world.reviewer, R)):
        detail = case_views.case_detail(user, case_id, party)
        assert (detail.is_final, detail.actions, detail.decision_money) == (True, [], {})
        assert detail.summary.due_at is None
    for user, party in ((world.buyer, B), (world.creator, C)):
        assert case_views.case_detail(user, case_id, party).next_step.headline.startswith("Final decision")
    for user, party in ((world.buyer, B), (world.creator, C), (world.reviewer2, R)):
        with pytest.raises(ActionNotAllowed, match="closed"):
            case_actions.send_message(user, case_id, party, "One more thing.")
    with pytest.raises(ActionNotAllowed, match="isn't waiting on the platform"):
        review_claims.claim(world.reviewer, case_id)


def test_the_deadline_never_reopens_a_decided_appeal(world, store, frozen_clock):
    case_id = appealed(world, "decide_merchant_wins")
    decide_appeal(world, case_id, "decide_refund")
    version = world.case(case_id).version
    frozen_clock.advance(timedelta(days=30))
    assert case_id not in due_case_ids(frozen_clock.now())
    assert expire_case(case_id) is False
    assert world.case(case_id).version == version


@pytest.mark.parametrize("decision", DECISIONS)
@pytest.mark.parametrize(("rationale", "message"), [("", "Write the rationale"), ("  \n ", "Write the rationale")])
def test_a_decision_without_a_rationale_is_refused_and_changes_nothing(world, store, decision, rationale, message):
    case_id = claimed(world)
    before = _unchanged(world, case_id)
    with pytest.raises(InvalidInput, match=message):
        act(world, world.reviewer, case_id, R, decision, rationale)
    assert _unchanged(world, case_id) == before


@pytest.mark.parametrize("decision", DECISIONS)
def test_a_rationale_over_10000_characters_is_refused_and_changes_nothing(world, store, decision):
    case_id = claimed(world)
    before = _unchanged(world, case_id)
    with pytest.raises(InvalidInput, match="at most 10,000 characters"):
        act(world, world.reviewer, case_id, R, decision, "x" * (DEFAULT_POLICY.rationale_max_chars + 1))
    assert _unchanged(world, case_id) == before


@pytest.mark.parametrize("decision", DECISIONS)
def test_a_rationale_of_10000_characters_is_taken_and_both_sides_read_it(world, store, decision):
    case_id = claimed(world)
    rationale = ("Reasoned at length. " * 500)[: DEFAULT_POLICY.rationale_max_chars - 1] + "!"
    assert len(rationale) == 10_000
    act(world, world.reviewer, case_id, R, decision, rationale)
    assert world.case(case_id).decided_by_id == world.reviewer.id
    for user, party in ((world.buyer, B), (world.creator, C)):
        (item,) = [i for i in case_views.case_detail(user, case_id, party).thread if i.kind == decision]
        assert "".join(part.text for part in item.body) == rationale and item.who == "Riley Reviewer (platform)"


@pytest.mark.parametrize("decision", DECISIONS)
def test_a_rationale_of_invisible_control_characters_is_no_rationale(world, store, decision):
    """A browser may send anything: a rationale that is only NUL and other control characters is empty once they
    are dropped, so it is refused like an empty one, not recorded as a decision nobody can read."""
    case_id = claimed(world)
    before = _unchanged(world, case_id)
    with pytest.raises(InvalidInput, match="Write the rationale"):
        act(world, world.reviewer, case_id, R, decision, "\x00\x7f\x01")
    assert _unchanged(world, case_id) == before


def test_an_appeal_statement_of_invisible_control_characters_is_no_statement(world, store):
    case_id = decided(world, "decide_refund")
    before = _unchanged(world, case_id)
    with pytest.raises(InvalidInput, match="Write your appeal statement"):
        act(world, world.creator, case_id, C, "appeal", "\x00")
    assert _unchanged(world, case_id) == before


@pytest.mark.parametrize("question", ["request_buyer_info", "request_merchant_info"])
def test_a_question_over_5000_characters_is_refused(world, store, question):
    case_id = claimed(world)
    before = _unchanged(world, case_id)
    with pytest.raises(InvalidInput, match="at most 5,000 characters"):
        act(world, world.reviewer, case_id, R, question, "?" * (DEFAULT_POLICY.message_max_chars + 1))
    assert _unchanged(world, case_id) == before


def test_the_case_file_shows_the_first_decision_on_appeal(world, store, frozen_clock):
    case_id = decided(world, "decide_refund")
    decided_at = frozen_clock.now()
    assert review_case_file(world.reviewer2, case_id).first_decision is None  # no appeal yet
    frozen_clock.advance(timedelta(days=2))
    act(world, world.creator, case_id, C, "appeal", STATEMENT)
    first = review_case_file(world.reviewer2, case_id).first_decision
    assert (first.action, first.by, first.rationale) == ("decide_refund", "Riley Reviewer", RATIONALE)
    assert first.at == decided_at
    decide_appeal(world, case_id, "decide_merchant_wins")
    assert review_case_file(world.reviewer, case_id).first_decision.action == "decide_refund"  # still the first


def test_a_creator_who_never_answered_is_in_the_queue_as_an_escalation(world, store, frozen_clock):
    case_id = opened(world, PaymentMethod.PAYPAL, 4900)
    frozen_clock.advance(DEFAULT_POLICY.creator_response_time - timedelta(minutes=1))
    assert case_id not in due_case_ids(frozen_clock.now())
    frozen_clock.advance(timedelta(minutes=2))
    assert case_id in due_case_ids(frozen_clock.now())
    assert expire_case(case_id) is True
    assert expire_case(case_id) is False  # a second sweep finds nothing to do
    case = world.case(case_id)
    assert (case.status, case.appealed, case.assigned_reviewer_id) == (CaseStatus.UNDER_PLATFORM_REVIEW, False, None)
    queue = review_queue(world.reviewer, QueueFilter(claimed="unclaimed"))
    rows = [row for row in queue.rows if row.case_id == case_id]
    assert [(row.kind, row.amount, row.claimed_by) for row in rows] == [("escalation", "$49.00", "")]
    assert rows[0].in_review_since == frozen_clock.now()
    review_claims.claim(world.reviewer, case_id)
    act(world, world.reviewer, case_id, R, "decide_refund", "The creator never answered the claim.")
    assert world.case(case_id).status == CaseStatus.CUSTOMER_WON
