"""The buyer's history on the creator's and the reviewer's case pages (issue 15, part 6): their claims in the last 12
months across the whole platform, as counts, and the "Frequent claimant" mark; never another business's names,
products, amounts or cases.
"""

import dataclasses
from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from resolution_app.domain.enums import Party, PaymentMethod, PaymentStatus
from resolution_app.domain.errors import NotFound
from resolution_app.infra.clock import clock
from resolution_app.infra.db import transaction
from resolution_app.models import BusinessMember, Payment, Product, User
from resolution_app.services.cases import claims
from resolution_app.services.creator.customer_context import customer_context
from resolution_app.services.review.case_file import review_case_file
from tests.services.members import other_creator
from tests.services.review.flows import act

B, C, R = Party.BUYER, Party.CREATOR, Party.REVIEWER
ELSEWHERE_PRODUCT = "Secret Sauce Course"
ELSEWHERE_AMOUNT = 7777  # $77.77: a figure that appears nowhere in the demo data
ELSEWHERE_DESCRIPTION = "ELSEWHERE-7c1d: the other shop's course never loaded at all."
SECRETS = ("Other Academy", ELSEWHERE_PRODUCT, "77.77", "7777", "ELSEWHERE-7c1d")


def _as_text(value) -> str:
    """Everything a dataclass view holds (what a state puts into the browser), as one text to search."""
    return repr(dataclasses.asdict(value)) + repr(value)


@dataclasses.dataclass
class Elsewhere:
    """A second business, with nothing to do with Pickaxe Academy, where the demo buyer also claims."""

    owner: User
    business_id: int
    product_id: int

    @classmethod
    def opened(cls) -> "Elsewhere":
        owner = other_creator()
        with transaction() as session:
            business_id = session.exec(
                select(BusinessMember.business_id).where(BusinessMember.user_id == owner.id)
            ).one()
            product = Product(
                business_id=business_id, name=ELSEWHERE_PRODUCT, price_minor=ELSEWHERE_AMOUNT, currency="USD"
            )
            session.add(product)
            session.flush()
            return cls(owner=owner, business_id=business_id, product_id=product.id)

    def claim(self, buyer: User, days_ago: float, method: PaymentMethod = PaymentMethod.CARD) -> int:
        """A purchase the day before, and the buyer's claim on it `days_ago` (the clock moved back for it)."""
        opened_at = clock.now() - timedelta(days=days_ago)
        with transaction() as session:
            payment = Payment(
                buyer_id=buyer.id,
                business_id=self.business_id,
                product_id=self.product_id,
                method=method,
                status=PaymentStatus.SUCCEEDED,
                amount_minor=ELSEWHERE_AMOUNT,
                currency="USD",
                paid_at=opened_at - timedelta(days=1),
            )
            session.add(payment)
            session.flush()
            payment_id = payment.id
        with clock.kept():
            clock.freeze(opened_at)
            return claims.open_claim(buyer, payment_id, "not_as_described", ELSEWHERE_DESCRIPTION, [])


def _pickaxe_claim(world) -> int:
    """The demo buyer's claim on their $19 card payment to Pickaxe Academy, opened now."""
    payment = world.payment("buyer@example.com", PaymentMethod.CARD, 1900)
    return claims.open_claim(world.buyer, payment.id, "product_not_received", "I never got access to the course.", [])


def _history(user: User, case_id: int, party: Party = C):
    return customer_context(user, case_id, party).history


def _a_busy_year(world, elsewhere: Elsewhere) -> dict[str, int]:
    """Claims at the other business over the past months: won, withdrawn, still open, and one too old to count."""
    cases = {
        "too_old": elsewhere.claim(world.buyer, days_ago=400),
        "won": elsewhere.claim(world.buyer, days_ago=300),
        "withdrawn": elsewhere.claim(world.buyer, days_ago=200),
        "open": elsewhere.claim(world.buyer, days_ago=100),
    }
    with clock.kept():
        clock.freeze(clock.now() - timedelta(days=400 - 1))
        act(world, elsewhere.owner, cases["too_old"], C, "accept")
        clock.freeze(clock.now() + timedelta(days=100))  # 299 days ago
        act(world, elsewhere.owner, cases["won"], C, "accept")
        clock.freeze(clock.now() + timedelta(days=100))  # 199 days ago
        act(world, world.buyer, cases["withdrawn"], B, "withdraw")
    return cases


def test_counts_cover_the_buyer_s_claims_at_every_business_within_12_months(world, frozen_clock):
    elsewhere = Elsewhere.opened()
    _a_busy_year(world, elsewhere)
    case_id = _pickaxe_claim(world)

    history = _history(world.creator, case_id)
    assert (history.opened, history.won, history.withdrawn, history.frequent) == (4, 1, 1, False)
    assert history.summary == "4 claims in the last 12 months across the platform: 1 won by the buyer, 1 withdrawn."
    assert review_case_file(world.reviewer, case_id).customer.history == history  # the reviewer reads the same

    # A Klarna purchase is refunded as soon as it is claimed: a fifth claim, a second win, and the mark.
    elsewhere.claim(world.buyer, days_ago=30, method=PaymentMethod.KLARNA)
    history = _history(world.creator, case_id)
    assert (history.opened, history.won, history.withdrawn, history.frequent) == (5, 2, 1, True)
    assert history.mark_note == "5 or more claims in the last 12 months across the platform."
    assert _history(world.reviewer, case_id, R).frequent

    # Another buyer's claims are theirs alone.
    bob_case = world.case_of("bob@example.com").id
    assert (_history(world.creator, bob_case).opened, _history(world.creator, bob_case).frequent) == (1, False)


def test_the_12_months_move_with_the_clock(world, frozen_clock):
    elsewhere = Elsewhere.opened()
    oldest = elsewhere.claim(world.buyer, days_ago=300)
    case_id = _pickaxe_claim(world)
    assert _history(world.creator, case_id).opened == 2

    opened_at: datetime = world.case(oldest).opened_at
    frozen_clock.freeze(opened_at + timedelta(days=365))  # the last moment it counts
    assert _history(world.creator, case_id).opened == 2
    frozen_clock.freeze(opened_at + timedelta(days=365, seconds=1))
    assert _history(world.creator, case_id).opened == 1
    frozen_clock.advance(timedelta(days=365))  # the Pickaxe claim itself has aged out too
    assert _history(world.creator, case_id).summary == "No claims in the last 12 months across the platform."


def test_other_businesses_details_never_reach_the_creator_or_the_reviewer(world, frozen_clock):
    elsewhere = Elsewhere.opened()
    _a_busy_year(world, elsewhere)
    case_id = _pickaxe_claim(world)

    for page in (customer_context(world.creator, case_id, C), review_case_file(world.reviewer, case_id)):
        text = _as_text(page)
        assert "4 claims in the last 12 months" in text  # the counts are there
        assert [secret for secret in SECRETS if secret in text] == []
    context = customer_context(world.creator, case_id, C)
    assert {p.product for p in context.payments} <= {
        "Redstone Masterclass",
        "Pickaxe Pro Membership",
        "Server Builder Bundle",
    }
    assert {log.product for log in context.logs} <= {p.product for p in context.payments} | {""}

    # And the other way round: the other business's owner counts the Pickaxe claim, and learns nothing else of it.
    theirs = customer_context(elsewhere.owner, elsewhere.claim(world.buyer, days_ago=10), C)
    assert theirs.history.opened == 5
    text = _as_text(theirs)
    assert [secret for secret in ("Pickaxe", "Redstone", "$19.00", "never got access") if secret in text] == []


def test_a_case_of_another_business_is_not_found_for_a_creator(world, frozen_clock):
    elsewhere = Elsewhere.opened()
    theirs = elsewhere.claim(world.buyer, days_ago=10)
    ours = _pickaxe_claim(world)
    for user, case_id in ((world.creator, theirs), (elsewhere.owner, ours)):
        with pytest.raises(NotFound):
            customer_context(user, case_id, C)
        with pytest.raises(NotFound):
            review_case_file(user, case_id)
    with pytest.raises(NotFound):  # the buyer never reads the card about themselves
        customer_context(world.buyer, ours, B)
    assert customer_context(world.reviewer, theirs, R).history.opened == 2  # reviewers see every case
