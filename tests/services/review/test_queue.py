"""The reviewers' queue: what waits on the platform, oldest due first, with filters and counts; reviewers only."""

from datetime import timedelta

import pytest

from resolution_app.domain.enums import Party, PaymentMethod
from resolution_app.domain.errors import InvalidInput, NotFound
from resolution_app.services.cases import case_actions, claims
from resolution_app.services.review import claims as review_claims
from resolution_app.services.review.queue import QueueFilter, review_queue, unclaimed_count
from tests.services.factories import DESCRIPTION

B, C, R = Party.BUYER, Party.CREATOR, Party.REVIEWER


def _act(world, user, case_id, party, action, text=""):
    case_actions.act(user, case_id, party, action, expected_version=world.case(case_id).version, text=text)


def _escalated(world, method=PaymentMethod.CARD, amount=1900) -> int:
    payment = world.payment("buyer@example.com", method, amount)
    case_id = claims.open_claim(world.buyer, payment.id, "not_as_described", DESCRIPTION, [])
    _act(world, world.creator, case_id, C, "deny", "Delivered.")
    _act(world, world.buyer, case_id, B, "escalate", "Not delivered.")
    return case_id


def _ids(view) -> list[int]:
    return [row.case_id for row in view.rows]


def test_the_queue_holds_what_waits_on_the_platform_oldest_due_first(world, store, frozen_clock):
    seeded = {row.case_id for row in review_queue(world.reviewer, QueueFilter()).rows}  # the demo's escalation
    first = _escalated(world)
    frozen_clock.advance(timedelta(hours=1))
    second = _escalated(world, PaymentMethod.PAYPAL, 4900)
    view = review_queue(world.reviewer, QueueFilter())
    assert [i for i in _ids(view) if i not in seeded] == [first, second]
    row = next(r for r in view.rows if r.case_id == first)
    assert (row.kind, row.amount, row.claimed_by, row.business) == ("escalation", "$19.00", "", "Pickaxe Academy")
    assert row.in_review_since == frozen_clock.now() - timedelta(hours=1)
    unclaimed = [r for r in view.rows if r.claimed_by == ""]  # the demo has a case claimed by the second reviewer
    assert view.counts.unclaimed == len(unclaimed) == unclaimed_count(world.reviewer)


def test_filters_and_counts(world, store):
    case_id = _escalated(world, amount=1900)
    review_claims.claim(world.reviewer, case_id)
    assert _ids(review_queue(world.reviewer, QueueFilter(claimed="mine"))) == [case_id]
    assert case_id not in _ids(review_queue(world.reviewer, QueueFilter(claimed="unclaimed")))
    assert review_queue(world.reviewer, QueueFilter(claimed="mine")).rows[0].claimed_by == world.reviewer.name
    assert case_id in _ids(review_queue(world.reviewer, QueueFilter(amount_from="19", amount_to="19.00")))
    assert case_id not in _ids(review_queue(world.reviewer, QueueFilter(amount_from="20")))
    assert case_id not in _ids(review_queue(world.reviewer, QueueFilter(kind="appeal")))
    assert case_id in _ids(review_queue(world.reviewer, QueueFilter(reason="not_as_described")))
    waiting = review_queue(
        world.reviewer, QueueFilter()
    ).counts.waiting_on_a_party  # the demo's question to kim's creator
    _act(world, world.reviewer, case_id, R, "request_merchant_info", "Send the access logs.")
    counts = review_queue(world.reviewer, QueueFilter()).counts
    assert (counts.mine, counts.waiting_on_a_party) == (0, waiting + 1)
    _act(world, world.creator, case_id, C, "reply", "Here they are.")
    _act(world, world.reviewer, case_id, R, "decide_merchant_wins", "The logs show use.")
    assert review_queue(world.reviewer, QueueFilter()).counts.decided_today == 1


def test_an_appeal_comes_back_as_an_appeal_unclaimed(world, store):
    case_id = _escalated(world)
    review_claims.claim(world.reviewer, case_id)
    _act(world, world.reviewer, case_id, R, "decide_refund", "No proof.")
    _act(world, world.creator, case_id, C, "appeal", "Here are the logs.")
    row = next(r for r in review_queue(world.reviewer2, QueueFilter(kind="appeal")).rows if r.case_id == case_id)
    assert (row.kind, row.claimed_by) == ("appeal", "")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "refund"}, "Unknown kind"),
        ({"reason": "boredom"}, "Unknown reason"),
        ({"amount_from": "lots"}, "Amounts look like"),
        ({"older_than_days": -3}, "Age is a number of days"),
        ({"claimed": "theirs"}, "Unknown claim filter"),
    ],
)
def test_bad_filters_are_refused(world, changes, message):
    with pytest.raises(InvalidInput, match=message):
        review_queue(world.reviewer, QueueFilter(**changes))


def test_only_reviewers_see_the_queue(world):
    for outsider in (world.buyer, world.creator):
        with pytest.raises(NotFound):
            review_queue(outsider, QueueFilter())
        with pytest.raises(NotFound):
            unclaimed_count(outsider)
