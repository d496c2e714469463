"""The money of platform decisions, end to end through the services (issue 10, DESIGN §2).

A refund decision refunds the payment through the gateway, once; a credit goes to the buyer's platform balance at no
cost to the creator; when an appeal takes back a refund decision the buyer keeps the refund and the platform
reimburses the creator (a ledger entry only the creator's side shows), never the gateway asked for money back. No
sequence of decisions, appeals and racing moves pays a case out twice.
"""

from datetime import timedelta

import pytest
from sqlmodel import select

from resolution_app.domain.enums import CaseStatus, PaymentMethod, PaymentStatus
from resolution_app.domain.money import format_money
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.infra.db import transaction
from resolution_app.infra.gateway import LedgerGateway, get_gateway, use_gateway
from resolution_app.models import BalanceCredit, Payment, PlatformReimbursement, Refund
from resolution_app.services.buyers.balance import BalanceEntry, buyer_balance
from resolution_app.services.buyers.purchases import list_purchases
from resolution_app.services.cases import case_views
from resolution_app.services.review import claims as review_claims
from tests.conftest import NOW
from tests.services.review.flows import (
    B,
    C,
    R,
    acting,
    appealed,
    claimed,
    decide_appeal,
    decided,
    escalated,
    event_kinds,
    race,
    rows_of,
)

DECISIONS = ("decide_refund", "decide_credit", "decide_merchant_wins")
REFUNDED = "$19.00 refunded to the buyer's payment"
CREDITED = "$19.00 credited to the buyer's platform balance"
REIMBURSED = "$19.00 reimbursed by the platform"


class SpyGateway:
    """The ledger gateway, remembering every refund it was asked for."""

    def __init__(self) -> None:
        self.inner = LedgerGateway()
        self.asked: list[tuple[int, int]] = []  # (payment id, case id)

    def refund(self, session, payment, case_id, now, amount_minor=None):
        self.asked.append((payment.id, case_id))
        return self.inner.refund(session, payment, case_id, now, amount_minor)


@pytest.fixture
def gateway(world):
    before = get_gateway()
    spy = SpyGateway()
    use_gateway(spy)
    yield spy
    use_gateway(before)


def _payment_of(world, case_id: int) -> Payment:
    with transaction() as session:
        return session.get(Payment, world.case(case_id).payment_id)


def _money(case_id: int) -> tuple[int, int, int]:
    """How many refunds, balance credits and platform reimbursements the case made."""
    return tuple(len(rows_of(table, case_id)) for table in (Refund, BalanceCredit, PlatformReimbursement))


def _asked(gateway: SpyGateway, case_id: int) -> list[tuple[int, int]]:
    """The refunds the gateway was asked for on this case."""
    return [asked for asked in gateway.asked if asked[1] == case_id]


def _lines(user, case_id: int, party) -> list[str]:
    return [line.text for line in case_views.case_detail(user, case_id, party).money]


def _credits_of(user) -> int:
    with transaction() as session:
        return sum(session.exec(select(BalanceCredit.amount_minor).where(BalanceCredit.user_id == user.id)))


def test_a_refund_decision_refunds_the_payment_once_through_the_gateway(world, store, gateway):
    case_id = decided(world, "decide_refund")
    payment = _payment_of(world, case_id)
    (refund,) = rows_of(Refund, case_id)
    assert (refund.payment_id, refund.amount_minor, refund.currency) == (payment.id, 1900, "USD")
    assert refund.gateway_reference.startswith("ledger_")
    assert payment.status == PaymentStatus.REFUNDED and payment.refunded_at == NOW
    assert _asked(gateway, case_id) == [(payment.id, case_id)]
    assert _money(case_id) == (1, 0, 0)
    assert _lines(world.buyer, case_id, B) == _lines(world.creator, case_id, C) == [REFUNDED]
    (row,) = [row for row in list_purchases(world.buyer) if row.case_id == case_id]
    assert row.payment_status == "Refunded"  # the buyer's purchases say so too


def test_a_credit_decision_fills_the_buyers_balance_at_no_cost_to_the_creator(world, store, gateway):
    before = _credits_of(world.buyer)
    case_id = decided(world, "decide_credit")
    assert _money(case_id) == (0, 1, 0)
    (credit,) = rows_of(BalanceCredit, case_id)
    assert (credit.user_id, credit.amount_minor, credit.currency) == (world.buyer.id, 1900, "USD")
    assert _payment_of(world, case_id).status == PaymentStatus.SUCCEEDED  # the creator's payment is untouched
    assert _asked(gateway, case_id) == []
    balance = buyer_balance(world.buyer)
    assert balance.totals == [format_money(before + 1900, "USD")]
    mine = [entry for entry in balance.credits if entry.case_id == case_id]
    assert mine == [BalanceEntry(case_id, "Redstone Masterclass", "Pickaxe Academy", "$19.00", NOW)]
    assert _lines(world.buyer, case_id, B) == _lines(world.creator, case_id, C) == [CREDITED]


def test_a_balance_is_the_buyers_own(world, store):
    case_id = decided(world, "decide_credit")
    for other in (world.creator, world.reviewer, world.user("alice@example.com")):
        assert case_id not in [entry.case_id for entry in buyer_balance(other).credits]


def test_a_creator_who_wins_the_appeal_of_a_refund_is_reimbursed_and_the_buyer_keeps_the_refund(
    world, store, gateway, frozen_clock
):
    case_id = appealed(world, "decide_refund")
    frozen_clock.advance(timedelta(hours=1))
    decide_appeal(world, case_id, "decide_merchant_wins")
    case, payment = world.case(case_id), _payment_of(world, case_id)
    assert case.status == CaseStatus.MERCHANT_WON
    assert _money(case_id) == (1, 0, 1)  # still the one refund, and one reimbursement
    assert payment.status == PaymentStatus.REFUNDED  # the buyer keeps the money
    assert _asked(gateway, case_id) == [(payment.id, case_id)]  # never asked back
    (reimbursement,) = rows_of(PlatformReimbursement, case_id)
    assert (reimbursement.business_id, reimbursement.amount_minor, reimbursement.currency) == (
        case.business_id,
        case.amount_minor,
        "USD",
    )
    assert _lines(world.creator, case_id, C) == [REFUNDED, REIMBURSED]
    assert _lines(world.reviewer2, case_id, R) == [REFUNDED, REIMBURSED]
    assert _lines(world.buyer, case_id, B) == [REFUNDED]  # between the platform and the creator


def test_an_appeal_of_a_refund_decided_as_a_credit_reimburses_the_creator_and_credits_nothing(world, store, gateway):
    before = _credits_of(world.buyer)
    case_id = appealed(world, "decide_refund")
    decide_appeal(world, case_id, "decide_credit")
    assert world.case(case_id).status == CaseStatus.CUSTOMER_WON
    assert _money(case_id) == (1, 0, 1)  # the buyer already has the money back: no credit on top
    assert _credits_of(world.buyer) == before
    assert _payment_of(world, case_id).status == PaymentStatus.REFUNDED
    assert _lines(world.creator, case_id, C) == [REFUNDED, REIMBURSED]
    assert _lines(world.buyer, case_id, B) == [REFUNDED]


@pytest.mark.parametrize(("decision", "paid"), [("decide_refund", (1, 0, 0)), ("decide_credit", (0, 1, 0))])
def test_a_buyer_who_wins_the_appeal_of_a_creator_win_is_paid_then(world, store, gateway, decision, paid):
    case_id = appealed(world, "decide_merchant_wins")
    assert _money(case_id) == (0, 0, 0)
    assert _payment_of(world, case_id).status == PaymentStatus.SUCCEEDED
    decide_appeal(world, case_id, decision)
    assert world.case(case_id).status == CaseStatus.CUSTOMER_WON
    assert _money(case_id) == paid
    refunded = decision == "decide_refund"
    assert _payment_of(world, case_id).status == (PaymentStatus.REFUNDED if refunded else PaymentStatus.SUCCEEDED)
    assert len(_asked(gateway, case_id)) == int(refunded)


@pytest.mark.parametrize(
    ("first", "on_appeal", "paid"),
    [
        ("decide_refund", "decide_refund", (1, 0, 0)),
        ("decide_refund", "decide_credit", (1, 0, 1)),
        ("decide_refund", "decide_merchant_wins", (1, 0, 1)),
        ("decide_credit", "decide_refund", (0, 1, 0)),  # the buyer has the money back already
        ("decide_credit", "decide_credit", (0, 1, 0)),
        ("decide_credit", "decide_merchant_wins", (0, 1, 0)),  # kept by the buyer; the creator never paid
        ("decide_merchant_wins", "decide_refund", (1, 0, 0)),
        ("decide_merchant_wins", "decide_credit", (0, 1, 0)),
        ("decide_merchant_wins", "decide_merchant_wins", (0, 0, 0)),
    ],
)
def test_no_decision_and_appeal_pays_a_case_out_twice(world, store, gateway, first, on_appeal, paid):
    case_id = appealed(world, first)
    decide_appeal(world, case_id, on_appeal)
    assert _money(case_id) == paid
    assert len(_asked(gateway, case_id)) == paid[0]
    assert case_views.case_detail(world.buyer, case_id, B).is_final


@pytest.mark.parametrize(
    ("first", "on_appeal"),
    [(first, second) for first in DECISIONS for second in DECISIONS],
)
def test_the_final_decision_tells_both_sides_the_money_that_actually_moved(world, store, first, on_appeal):
    """The banner of a final case must not contradict its money lines: "no refund" while the buyer keeps one, "is
    refunded" when nothing was refunded, a balance credit that was never credited."""
    case_id = appealed(world, first)
    decide_appeal(world, case_id, on_appeal)
    refunds, credits, _ = _money(case_id)
    for user, party in ((world.buyer, B), (world.creator, C)):
        headline = case_views.case_detail(user, case_id, party).next_step.headline
        assert headline.startswith("Final decision")
        if refunds:
            assert "no refund" not in headline
        else:
            assert "refunded" not in headline
        if not credits:
            assert "platform balance" not in headline


def test_two_decisions_at_once_exactly_one_wins_and_pays_once(world, store):
    case_id = claimed(world)
    version = world.case(case_id).version
    outcomes = race(
        acting(world.reviewer, case_id, R, "decide_refund", version, "Refund it."),
        acting(world.reviewer, case_id, R, "decide_credit", version, "Credit it."),
    )
    assert sorted(outcomes) == ["Conflict", "ok"]
    refunds, credits, _ = _money(case_id)
    winner = "decide_refund" if outcomes[0] == "ok" else "decide_credit"
    assert (refunds, credits) == ((1, 0) if winner == "decide_refund" else (0, 1))
    assert [kind for kind in event_kinds(case_id) if kind.startswith("decide")] == [winner]


def test_a_decision_racing_a_take_over_and_the_new_claimers_decision_pays_once(world, store, frozen_clock):
    """The idle claimer decides on the page they kept open while another reviewer takes the case over and decides:
    exactly one decision is recorded, by whoever holds the claim when it is made."""
    case_id = claimed(world)
    frozen_clock.advance(DEFAULT_POLICY.review_claim_idle_limit + timedelta(minutes=1))
    version = world.case(case_id).version

    def take_over_and_decide() -> None:
        review_claims.take_over(world.reviewer2, case_id)
        acting(world.reviewer2, case_id, R, "decide_credit", world.case(case_id).version, "Credit it.")()

    outcomes = race(acting(world.reviewer, case_id, R, "decide_refund", version, "Refund it."), take_over_and_decide)
    assert outcomes.count("ok") == 1
    assert len([kind for kind in event_kinds(case_id) if kind.startswith("decide")]) == 1
    assert sum(_money(case_id)) == 1
    expected = (1, 0, 0) if outcomes[0] == "ok" else (0, 1, 0)
    assert _money(case_id) == expected


def test_a_decision_racing_the_buyers_withdrawal_makes_exactly_one_change(world, store):
    case_id = claimed(world)
    version = world.case(case_id).version
    outcomes = race(
        acting(world.reviewer, case_id, R, "decide_refund", version, "Refund it."),
        acting(world.buyer, case_id, B, "withdraw", version),
    )
    assert sorted(outcomes) == ["Conflict", "ok"]
    case = world.case(case_id)
    assert case.version == version + 1
    if outcomes[0] == "ok":
        assert (case.status, _money(case_id)) == (CaseStatus.CUSTOMER_WON, (1, 0, 0))
    else:
        assert (case.status, _money(case_id)) == (CaseStatus.CUSTOMER_WITHDREW, (0, 0, 0))
        assert _payment_of(world, case_id).status == PaymentStatus.SUCCEEDED


def test_two_appeal_decisions_at_once_reimburse_the_creator_once(world, store):
    case_id = appealed(world, "decide_refund")
    review_claims.claim(world.reviewer2, case_id)
    version = world.case(case_id).version
    outcomes = race(
        acting(world.reviewer2, case_id, R, "decide_merchant_wins", version, "The creator wins."),
        acting(world.reviewer2, case_id, R, "decide_credit", version, "A credit instead."),
    )
    assert sorted(outcomes) == ["Conflict", "ok"]
    assert _money(case_id) == (1, 0, 1)


def test_replaying_a_decision_on_the_version_it_was_made_on_pays_nothing_more(world, store, gateway):
    case_id = claimed(world)
    version = world.case(case_id).version
    acting(world.reviewer, case_id, R, "decide_refund", version, "Refund it.")()
    for action in ("decide_refund", "decide_credit"):
        assert race(acting(world.reviewer, case_id, R, action, version, "Again.")) == ["Conflict"]
        now = world.case(case_id).version  # on the page as it is now: the case is closed
        assert race(acting(world.reviewer, case_id, R, action, now, "Again.")) == ["ActionNotAllowed"]
    assert _money(case_id) == (1, 0, 0)
    assert len(_asked(gateway, case_id)) == 1


def test_the_confirmations_say_what_each_first_decision_moves(world, store):
    case_id = claimed(world)
    said = case_views.case_detail(world.reviewer, case_id, R).decision_money
    assert said == {
        "decide_refund": "$19.00 is refunded to the buyer now, at the creator's cost."
        " The side that loses may appeal once, within 7 days.",
        "decide_credit": "The buyer gets $19.00 as platform balance now; the creator pays nothing."
        " The side that loses may appeal once, within 7 days.",
        "decide_merchant_wins": "No money moves: the creator keeps the payment."
        " The side that loses may appeal once, within 7 days.",
        "decide_partial_refund": "The amount you enter (less than $19.00) is refunded to the buyer now, at the"
        " creator's cost. The side that loses may appeal once, within 7 days.",
    }


def test_the_confirmations_on_the_appeal_of_a_refund_say_the_platform_reimburses_and_it_is_final(world, store):
    case_id = appealed(world, "decide_refund")
    review_claims.claim(world.reviewer2, case_id)
    said = case_views.case_detail(world.reviewer2, case_id, R).decision_money
    reimburses = "The buyer keeps the $19.00 refund; the platform reimburses the creator $19.00."
    final = " This decides the appeal: it is final."
    assert said == {
        "decide_refund": "No more money moves: the buyer already has $19.00 back." + final,
        "decide_credit": reimburses + final,
        "decide_merchant_wins": reimburses + final,
    }


def test_the_confirmations_on_a_buyers_appeal_say_the_refund_or_credit_comes_now(world, store):
    case_id = appealed(world, "decide_merchant_wins", method=PaymentMethod.PAYPAL, amount=4900)
    review_claims.claim(world.reviewer2, case_id)
    said = case_views.case_detail(world.reviewer2, case_id, R).decision_money
    final = " This decides the appeal: it is final."
    assert said == {
        "decide_refund": "$49.00 is refunded to the buyer now, at the creator's cost." + final,
        "decide_credit": "The buyer gets $49.00 as platform balance now; the creator pays nothing." + final,
        "decide_merchant_wins": "No money moves: the creator keeps the payment." + final,
        "decide_partial_refund": "The amount you enter (less than $49.00) is refunded to the buyer now, at the"
        " creator's cost." + final,
    }


def test_the_parties_are_offered_no_decision_and_told_no_money_before_it_moves(world, store):
    case_id = escalated(world)
    for user, party in ((world.buyer, B), (world.creator, C)):
        detail = case_views.case_detail(user, case_id, party)
        assert (detail.decision_money, detail.money) == ({}, [])


PAID_LINES = {
    "decide_refund": "decided: refund, paid by the creator",
    "decide_credit": "decided: credit to the buyer's platform balance",
    "decide_merchant_wins": "decided: the creator wins",
}
KEPT_LINE = "decided: the buyer wins and keeps what they already have back"


@pytest.mark.parametrize(("first", "on_appeal"), [(first, second) for first in DECISIONS for second in DECISIONS])
def test_the_timeline_says_a_decision_paid_the_buyer_only_when_it_did(world, store, frozen_clock, first, on_appeal):
    """Written by hand per pair: the buyer is paid once, by the first decision in their favour; an appeal decided
    for them again leaves them what they have, and its line must not say "paid by the creator" a second time."""
    case_id = appealed(world, first)
    frozen_clock.advance(timedelta(hours=1))
    decide_appeal(world, case_id, on_appeal)
    buyer_won_already = first != "decide_merchant_wins"
    appeal_line = KEPT_LINE if buyer_won_already and on_appeal != "decide_merchant_wins" else PAID_LINES[on_appeal]
    for user, party in ((world.buyer, B), (world.creator, C), (world.reviewer2, R)):
        thread = case_views.case_detail(user, case_id, party).thread
        assert [item.text for item in thread if item.kind.startswith("decide")] == [PAID_LINES[first], appeal_line]
