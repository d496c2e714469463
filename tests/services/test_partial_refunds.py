"""Partial refunds through the services (issue 15): offers between the parties, their answers, lapses and races, a
reviewer's partial refund and its appeal; and, over random sequences of moves, the money rules: at most one refund
per payment, never more than the payment, the payment saying how much came back."""

import contextlib
import re
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from resolution_app.domain.enums import CaseStatus, OfferState, PaymentMethod, PaymentStatus
from resolution_app.domain.errors import ActionNotAllowed, Conflict, DomainError, InvalidInput
from resolution_app.infra.db import transaction
from resolution_app.models import (
    BalanceCredit,
    Notification,
    Payment,
    PlatformReimbursement,
    Product,
    Refund,
    RefundOffer,
)
from resolution_app.services.buyers.purchases import list_purchases
from resolution_app.services.cases import case_actions, case_views, claims, deadlines
from resolution_app.services.creator.creator_cases import CaseFilter, list_cases
from resolution_app.services.review import claims as review_claims
from tests.conftest import NOW
from tests.services.factories import DESCRIPTION
from tests.services.review.flows import B, C, R, act, acting, decide_appeal, decided, opened, race, rows_of

OFFERED = "Partially refunded ($8.00 of $19.00)"


def _offers(case_id: int) -> list[tuple[str, str, int]]:
    with transaction() as session:
        rows = session.exec(select(RefundOffer).where(RefundOffer.case_id == case_id).order_by(RefundOffer.id))
        return [(row.party, row.state, row.amount_minor) for row in rows]


def _payment(world, case_id: int) -> Payment:
    with transaction() as session:
        return session.get(Payment, world.case(case_id).payment_id)


def test_the_creator_offers_part_the_buyer_accepts_and_both_see_it_resolved(world, store):
    case_id = opened(world)
    act(world, world.creator, case_id, C, "offer_partial_refund", "Half the course is yours to keep.", amount="8")
    buyer_view = case_views.case_detail(world.buyer, case_id, B)
    assert (buyer_view.offer.by, buyer_view.offer.amount, buyer_view.offer.message) == (
        "The creator",
        "$8.00",
        "Half the course is yours to keep.",
    )
    assert {"accept_offer", "decline_offer"} <= set(buyer_view.actions)
    assert "accept_offer" not in case_views.case_detail(world.creator, case_id, C).actions  # not one's own offer
    assert world.case(case_id).status == CaseStatus.MERCHANT_RESPONSE_NEEDED  # an offer moves nothing by itself
    told = [(n.title, n.body) for n in rows_of(Notification, case_id) if n.kind == "offer_partial_refund"]
    assert told == [
        ("The creator offered a partial refund", "Partial refund: $8.00\n\nHalf the course is yours to keep.")
    ]

    act(world, world.buyer, case_id, B, "accept_offer")
    case = world.case(case_id)
    assert (case.status, case.offer_by, case.paid_partial) == (CaseStatus.PARTIALLY_REFUNDED, None, True)
    assert [(r.amount_minor, r.payment_id) for r in rows_of(Refund, case_id)] == [(800, case.payment_id)]
    payment = _payment(world, case_id)
    assert (payment.status, payment.refunded_minor) == (PaymentStatus.PARTIALLY_REFUNDED, 800)
    assert _offers(case_id) == [("creator", OfferState.ACCEPTED, 800)]
    for user, party in ((world.buyer, B), (world.creator, C)):
        seen = case_views.case_detail(user, case_id, party)
        assert seen.summary.status_label == "Resolved: partial refund"
        assert [line.text for line in seen.money] == ["$8.00 of $19.00 refunded to the buyer's payment"]
        assert seen.is_final and seen.actions == [] and seen.offer is None
        said = [item.text for item in seen.thread if not item.is_message]
        assert "offered a partial refund of $8.00" in said and "accepted the partial refund of $8.00" in said
    purchase = next(p for p in list_purchases(world.buyer) if p.case_id == case_id)
    assert purchase.payment_status == OFFERED
    row = next(r for r in list_cases(world.creator, CaseFilter()).rows if r.case_id == case_id)
    assert (row.status_label, row.payment_status) == ("Resolved: partial refund", OFFERED)


@pytest.mark.parametrize(
    ("amount", "currency", "said"),
    [
        ("0", "", "more than zero"),
        ("-5", "", "more than zero"),
        ("19", "", "less than the payment of $19.00"),
        ("25.00", "", "less than the payment of $19.00"),
        ("", "", "Enter the amount"),
        ("eight", "", "is not an amount"),
        ("€8", "", "is not an amount"),
        ("8.001", "", "at most 2 decimals"),
        ("8", "EUR", "in the payment's currency, USD"),
    ],
)
def test_an_offer_of_the_wrong_amount_is_refused_and_changes_nothing(world, store, amount, currency, said):
    case_id = opened(world)
    version = world.case(case_id).version
    with pytest.raises(InvalidInput, match=re.escape(said)):
        case_actions.act(
            world.creator,
            case_id,
            C,
            "offer_partial_refund",
            expected_version=version,
            amount=amount,
            currency=currency,
        )
    assert (world.case(case_id).version, _offers(case_id)) == (version, [])


def test_an_amount_with_another_move_is_refused(world, store):
    case_id = opened(world)
    with pytest.raises(InvalidInput, match="No amount goes with this action"):
        act(world, world.creator, case_id, C, "deny", "No.", amount="8")
    assert world.case(case_id).status == CaseStatus.MERCHANT_RESPONSE_NEEDED


def test_no_offer_on_a_closed_case(world, store):
    case_id = opened(world)
    act(world, world.creator, case_id, C, "accept")
    with pytest.raises(ActionNotAllowed):
        act(world, world.buyer, case_id, B, "propose_partial_refund", amount="8")
    assert _offers(case_id) == []


def test_declining_returns_the_case_to_where_it_was(world, store):
    case_id = opened(world)
    act(world, world.creator, case_id, C, "deny", "Every module is there.")
    act(world, world.buyer, case_id, B, "propose_partial_refund", "Half would be fair.", amount="9.50")
    before = world.case(case_id)
    act(world, world.creator, case_id, C, "decline_offer")
    after = world.case(case_id)
    assert (after.status, after.due_at, after.offer_by) == (before.status, before.due_at, None)
    assert _offers(case_id) == [("buyer", OfferState.DECLINED, 950)]
    assert "escalate" in case_views.case_detail(world.buyer, case_id, B).actions  # the buyer goes on as before
    assert rows_of(Refund, case_id) == []


def test_a_counter_offer_replaces_the_offer_and_moving_on_lets_it_lapse(world, store):
    case_id = opened(world)
    act(world, world.creator, case_id, C, "offer_partial_refund", amount="5")
    act(world, world.buyer, case_id, B, "propose_partial_refund", amount="12")
    assert case_views.case_detail(world.creator, case_id, C).offer.amount == "$12.00"
    act(world, world.creator, case_id, C, "deny", "No refund.")
    assert _offers(case_id) == [("creator", OfferState.REPLACED, 500), ("buyer", OfferState.LAPSED, 1200)]
    with pytest.raises(ActionNotAllowed):
        act(world, world.creator, case_id, C, "accept_offer")
    assert rows_of(Refund, case_id) == []


def test_an_offer_lapses_with_its_deadline(world, store, frozen_clock):
    case_id = opened(world)
    act(world, world.creator, case_id, C, "offer_partial_refund", amount="8")
    version = world.case(case_id).version
    frozen_clock.advance(timedelta(days=7))
    with pytest.raises(Conflict, match="deadline has passed"):
        case_actions.act(world.buyer, case_id, B, "accept_offer", expected_version=version)
    case = world.case(case_id)
    assert (case.status, case.offer_by) == (CaseStatus.UNDER_PLATFORM_REVIEW, None)
    assert _offers(case_id) == [("creator", OfferState.LAPSED, 800)]
    assert rows_of(Refund, case_id) == []


def test_two_acceptances_at_once_refund_once(world, store):
    case_id = opened(world)
    act(world, world.creator, case_id, C, "offer_partial_refund", amount="8")
    version = world.case(case_id).version
    outcomes = race(*[acting(world.buyer, case_id, B, "accept_offer", version) for _ in range(3)])
    assert sorted(outcomes) == ["Conflict", "Conflict", "ok"]
    assert [r.amount_minor for r in rows_of(Refund, case_id)] == [800]


def test_an_acceptance_racing_the_creator_s_full_refund_pays_once(world, store):
    case_id = opened(world)
    act(world, world.creator, case_id, C, "offer_partial_refund", amount="8")
    version = world.case(case_id).version
    outcomes = race(
        acting(world.buyer, case_id, B, "accept_offer", version), acting(world.creator, case_id, C, "accept", version)
    )
    assert sorted(outcomes) == ["Conflict", "ok"]
    refunds = rows_of(Refund, case_id)
    assert len(refunds) == 1
    assert _payment(world, case_id).refunded_minor == refunds[0].amount_minor


def test_a_reviewer_decides_a_partial_refund_and_the_creator_wins_it_back_on_appeal(world, store):
    case_id = decided(world, "decide_partial_refund")  # $8 of $19
    assert world.case(case_id).status == CaseStatus.PARTIALLY_REFUNDED
    assert [r.amount_minor for r in rows_of(Refund, case_id)] == [800]
    assert case_views.case_detail(world.creator, case_id, C).actions == ["appeal"]
    assert "appeal" not in case_views.case_detail(world.buyer, case_id, B).actions
    act(world, world.creator, case_id, C, "appeal", "The buyer used the whole course.")
    decide_appeal(world, case_id, "decide_merchant_wins")
    case = world.case(case_id)
    assert (case.status, case.paid_partial) == (CaseStatus.MERCHANT_WON, True)
    assert [r.amount_minor for r in rows_of(PlatformReimbursement, case_id)] == [800]  # what the creator paid
    assert [r.amount_minor for r in rows_of(Refund, case_id)] == [800]  # the buyer keeps it


def test_a_partial_refund_upheld_on_appeal_asks_no_amount_and_pays_nothing_more(world, store, frozen_clock):
    case_id = decided(world, "decide_partial_refund")  # $8 of $19
    act(world, world.creator, case_id, C, "appeal", "The buyer used the whole course.")
    review_claims.claim(world.reviewer2, case_id)
    view = case_views.case_detail(world.reviewer2, case_id, R)
    assert "decide_partial_refund" in view.actions
    assert view.amount_actions == []  # upholding it: no field for an amount that would move nothing
    assert view.decision_money["decide_partial_refund"].startswith("No more money moves")
    version = world.case(case_id).version
    with pytest.raises(InvalidInput, match="No amount goes with this action"):
        act(world, world.reviewer2, case_id, R, "decide_partial_refund", "Upheld.", amount="5")
    assert world.case(case_id).version == version
    frozen_clock.advance(timedelta(hours=1))
    act(world, world.reviewer2, case_id, R, "decide_partial_refund", "Upheld: the course was half delivered.")
    case = world.case(case_id)
    assert (case.status, case.paid_partial) == (CaseStatus.PARTIALLY_REFUNDED, True)
    assert [r.amount_minor for r in rows_of(Refund, case_id)] == [800]  # the one refund, untouched
    thread = case_views.case_detail(world.buyer, case_id, B).thread
    assert [item.text for item in thread if item.kind.startswith("decide")] == [
        "decided: partial refund of $8.00, paid by the creator",
        "decided: the buyer wins and keeps what they already have back",
    ]


def _amount_actions(user, case_id: int) -> list[str]:
    return case_views.case_detail(user, case_id, R).amount_actions


def test_a_reviewer_s_partial_refund_needs_an_amount_and_a_rationale(world, store):
    case_id = decided(world, "decide_merchant_wins")
    act(world, world.buyer, case_id, B, "appeal", "I never got modules 4 to 6.")
    review_claims.claim(world.reviewer2, case_id)
    with pytest.raises(InvalidInput, match="rationale"):
        act(world, world.reviewer2, case_id, R, "decide_partial_refund", "", amount="8")
    assert "decide_partial_refund" in _amount_actions(world.reviewer2, case_id)
    with pytest.raises(InvalidInput, match="Enter the amount"):
        act(world, world.reviewer2, case_id, R, "decide_partial_refund", "Half the modules were missing.")
    act(world, world.reviewer2, case_id, R, "decide_partial_refund", "Half the modules were missing.", amount="9.5")
    assert [r.amount_minor for r in rows_of(Refund, case_id)] == [950]
    assert case_views.case_detail(world.buyer, case_id, B).is_final


# --- the money, over random sequences of moves -----------------------------------------------------------------

PEOPLE = {"buyer": B, "creator": C, "reviewer": R, "reviewer2": R}
amounts = st.sampled_from(["0.01", "1", "8", "18.99", "19", "0", "-3", "abc"]) | st.integers(1, 1899).map(
    lambda cents: f"{cents / 100:.2f}"
)


def _step(world, case_id: int, who: str, pick: int, amount: str) -> None:
    """The person's `pick`th move of those their page offers now (claiming first, for a reviewer)."""
    user, party = getattr(world, who), PEOPLE[who]
    if party == R:
        with contextlib.suppress(DomainError):  # already theirs, or someone else's
            review_claims.claim(user, case_id)
    moves = case_views.case_detail(user, case_id, party).actions if party != R or _reviewable(world, case_id) else []
    if not moves:
        return
    action = moves[pick % len(moves)]
    with contextlib.suppress(DomainError):  # a refusal changes nothing; the invariants below check that too
        act(world, user, case_id, party, action, "Because the modules say so.", amount=amount)


def _reviewable(world, case_id: int) -> bool:
    return world.case(case_id).status == CaseStatus.UNDER_PLATFORM_REVIEW


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    moves=st.lists(st.tuples(st.sampled_from(sorted(PEOPLE)), st.integers(0, 20), amounts, st.booleans()), max_size=14),
)
def test_no_sequence_refunds_more_than_the_payment_or_twice(world, store, frozen_clock, moves):
    frozen_clock.freeze(NOW)
    with transaction() as session:  # a fresh $19 card payment of the demo buyer's for each example
        product = session.exec(select(Product).order_by(Product.id)).first()
        fresh = Payment(
            buyer_id=world.buyer.id,
            business_id=product.business_id,
            product_id=product.id,
            method=PaymentMethod.CARD,
            status=PaymentStatus.SUCCEEDED,
            amount_minor=1900,
            currency="USD",
            paid_at=NOW - timedelta(days=1),
        )
        session.add(fresh)
        session.flush()
        payment_id = fresh.id
    case_id = claims.open_claim(world.buyer, payment_id, "not_as_described", DESCRIPTION, [])
    for who, pick, amount, later in moves:
        if later:
            frozen_clock.advance(timedelta(days=3))
            deadlines.expire_case(case_id)
        _step(world, case_id, who, pick, amount)
        refunds = rows_of(Refund, case_id)
        credits = rows_of(BalanceCredit, case_id)
        assert len(refunds) + len(credits) <= 1  # never two payouts
        with transaction() as session:
            paid = session.get(Payment, payment_id)
        assert paid.refunded_minor == sum(r.amount_minor for r in refunds) <= paid.amount_minor
        case = world.case(case_id)
        assert case.paid_out == bool(refunds or credits)
        if case.status == CaseStatus.PARTIALLY_REFUNDED:
            assert 0 < paid.refunded_minor < paid.amount_minor
            assert paid.status == PaymentStatus.PARTIALLY_REFUNDED
        open_offers = [o for o in _offers(case_id) if o[1] == OfferState.OPEN]
        assert len(open_offers) == (case.offer_by is not None)
