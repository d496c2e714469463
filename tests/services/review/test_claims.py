"""Claiming a case for review: one reviewer at a time, only the claimer asks or decides, idle claims lapse."""

import threading
from datetime import timedelta

import pytest

from resolution_app.domain.enums import Party, PaymentMethod
from resolution_app.domain.errors import ActionNotAllowed, Conflict, DomainError, Forbidden, NotFound
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.services.cases import case_actions, case_views, claims
from resolution_app.services.review import claims as review_claims
from tests.services.factories import DESCRIPTION

B, C, R = Party.BUYER, Party.CREATOR, Party.REVIEWER


def _escalated(world) -> int:
    payment = world.payment("buyer@example.com", PaymentMethod.CARD, 1900)
    case_id = claims.open_claim(world.buyer, payment.id, "not_as_described", DESCRIPTION, [])
    for user, party, action, text in ((world.creator, C, "deny", "Delivered."), (world.buyer, B, "escalate", "No.")):
        case_actions.act(user, case_id, party, action, expected_version=world.case(case_id).version, text=text)
    return case_id


def _decide(world, user, case_id: int) -> None:
    version = world.case(case_id).version
    case_actions.act(user, case_id, R, "decide_refund", expected_version=version, text="No proof of delivery.")


def test_two_reviewers_claiming_at_once_one_gets_it_and_the_other_hears_who(world, store):
    case_id = _escalated(world)
    outcomes: dict[str, str] = {}
    start = threading.Barrier(2)

    def attempt(user) -> None:
        start.wait()
        try:
            review_claims.claim(user, case_id)
            outcomes[user.email] = "ok"
        except DomainError as error:
            outcomes[user.email] = error.message

    threads = [threading.Thread(target=attempt, args=(user,)) for user in (world.reviewer, world.reviewer2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winner = world.case(case_id).assigned_reviewer_id
    names = {world.reviewer.id: world.reviewer.name, world.reviewer2.id: world.reviewer2.name}
    assert sorted(outcomes.values()) == sorted(["ok", f"{names[winner]} claimed this case first."])


def test_only_the_claimer_asks_or_decides(world, store):
    case_id = _escalated(world)
    with pytest.raises(Forbidden, match="Claim the case"):
        _decide(world, world.reviewer, case_id)
    review_claims.claim(world.reviewer, case_id)
    with pytest.raises(Forbidden, match="Claim the case"):
        _decide(world, world.reviewer2, case_id)
    with pytest.raises(Conflict, match="claimed this case first"):
        review_claims.claim(world.reviewer2, case_id)
    with pytest.raises(Forbidden, match="Only the reviewer who claimed"):
        review_claims.release(world.reviewer2, case_id)
    _decide(world, world.reviewer, case_id)
    assert world.case(case_id).status == "customer_won"


def test_release_gives_the_case_back(world, store):
    case_id = _escalated(world)
    review_claims.claim(world.reviewer, case_id)
    review_claims.release(world.reviewer, case_id)
    review_claims.claim(world.reviewer2, case_id)
    assert world.case(case_id).assigned_reviewer_id == world.reviewer2.id


def test_a_claim_idle_past_the_limit_may_be_taken_over_and_a_move_keeps_it_alive(world, store, frozen_clock):
    case_id = _escalated(world)
    review_claims.claim(world.reviewer, case_id)
    frozen_clock.advance(DEFAULT_POLICY.review_claim_idle_limit - timedelta(minutes=1))
    with pytest.raises(Conflict, match="can be taken over after 4 idle hours"):
        review_claims.take_over(world.reviewer2, case_id)
    frozen_clock.advance(timedelta(minutes=2))
    review_claims.take_over(world.reviewer2, case_id)
    assert world.case(case_id).assigned_reviewer_id == world.reviewer2.id
    reviewer_view = case_views.case_detail(world.reviewer2, case_id, R)
    assert "took the case over (the claim was idle)" in [item.text for item in reviewer_view.thread]


def test_claims_are_the_reviewers_own_business(world, store):
    case_id = _escalated(world)
    for outsider in (world.buyer, world.creator):
        with pytest.raises(NotFound):
            review_claims.claim(outsider, case_id)
    review_claims.claim(world.reviewer, case_id)
    for viewer, party in ((world.buyer, B), (world.creator, C)):
        texts = [item.text for item in case_views.case_detail(viewer, case_id, party).thread]
        assert "claimed the case for review" not in texts  # reviewers' bookkeeping stays theirs


def test_only_cases_waiting_on_the_platform_can_be_claimed(world, store):
    payment = world.payment("buyer@example.com", PaymentMethod.CARD, 1900)
    case_id = claims.open_claim(world.buyer, payment.id, "not_as_described", DESCRIPTION, [])
    with pytest.raises(ActionNotAllowed, match="isn't waiting on the platform"):
        review_claims.claim(world.reviewer, case_id)
    with pytest.raises(NotFound):
        review_claims.claim(world.reviewer, 2**40)
