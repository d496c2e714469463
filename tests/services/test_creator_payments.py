"""/creator/payments: the business's payments newest first, paged in the database, each with its case."""

from datetime import timedelta

from sqlmodel import func, select

from resolution_app.domain.enums import PaymentMethod, PaymentStatus
from resolution_app.infra.clock import clock
from resolution_app.infra.db import transaction
from resolution_app.models import Case, Payment, Product
from resolution_app.services.creator import creator_payments
from resolution_app.services.creator.creator_payments import PAGE_SIZE
from tests.services.members import other_creator


def _payments_of_the_business() -> int:
    with transaction() as session:
        return session.exec(select(func.count()).select_from(Payment)).one()


def test_the_creator_sees_every_payment_newest_first_with_its_case(world):
    view = creator_payments.payments_page(world.creator)
    assert view.total == _payments_of_the_business() == len(view.rows)  # the demo's payments fit one page
    assert [row.paid_at for row in view.rows] == sorted((row.paid_at for row in view.rows), reverse=True)
    bob = next(row for row in view.rows if row.customer_email == "bob@example.com")
    assert (bob.case_status_label, bob.waiting_on_creator, bob.status) == ("Waiting on creator", True, "Succeeded")
    refunded = next(row for row in view.rows if row.amount == "$29.00" and row.method == "Card")
    assert (refunded.status, refunded.case_id) == ("Refunded", 0)
    assert view.open_resolutions == 2  # bob's claim, and kim's case where the platform asked the creator


def test_with_an_open_case_keeps_only_payments_whose_case_is_still_open(world):
    view = creator_payments.payments_page(world.creator, with_open_case=True)
    with transaction() as session:
        open_cases = session.exec(
            select(func.count()).select_from(Case).where(Case.status.not_in(["customer_won", "merchant_won"]))
        ).one()
    assert view.total == open_cases == len(view.rows)
    assert all(row.case_id and row.case_status not in ("customer_won", "merchant_won") for row in view.rows)


def _more_payments(world, count: int) -> None:
    with transaction() as session:
        product = session.exec(select(Product)).first()
        for day in range(count):
            session.add(
                Payment(
                    buyer_id=world.buyer.id,
                    business_id=product.business_id,
                    product_id=product.id,
                    method=PaymentMethod.CARD,
                    status=PaymentStatus.SUCCEEDED,
                    amount_minor=100 + day,
                    currency="USD",
                    paid_at=clock.now() - timedelta(days=200 + day),
                )
            )


def test_pages_are_cut_in_the_database_and_a_page_past_the_end_is_the_last(world):
    _more_payments(world, 30)
    total = _payments_of_the_business()
    first, second = (creator_payments.payments_page(world.creator, page=n) for n in (1, 2))
    assert (first.total, first.pages, len(first.rows), len(second.rows)) == (total, 2, PAGE_SIZE, total - PAGE_SIZE)
    assert first.rows[-1].paid_at >= second.rows[0].paid_at  # one order across pages, no row twice
    assert {r.payment_id for r in first.rows}.isdisjoint(r.payment_id for r in second.rows)
    assert creator_payments.payments_page(world.creator, page=99).page == 2


def test_buyers_and_other_businesses_see_none_of_them(world):
    for outsider in (world.buyer, world.reviewer, other_creator()):
        view = creator_payments.payments_page(outsider)
        assert (view.rows, view.total) == ([], 0)
