"""Partial refunds end to end (issue 15): the creator offers $8 of a $19 claim, the buyer accepts it, both see the
case resolved with a partial refund and the purchase says how much came back."""

from playwright.sync_api import expect

from resolution_app.domain.enums import PaymentMethod
from tests.e2e.buyer_steps import fill_claim, fresh_purchase, purchase_row, start_claim, submit_claim
from tests.e2e.conftest import log_in

BUYER = "carol@example.com"  # her own PayPal purchase of $19.00 (the card auto-refund test_creator sets is no matter)


def test_the_creator_offers_part_and_the_buyer_accepts(new_page, e2e_database_url):
    fresh_purchase(e2e_database_url, BUYER, PaymentMethod.PAYPAL, 1900)
    buyer = new_page()
    log_in(buyer, BUYER, "/purchases")
    start_claim(buyer, "PayPal", "$19.00")
    fill_claim(buyer, "Product unacceptable", "The templates in the course do not open in the current version.")
    case_id = submit_claim(buyer)

    creator = new_page()
    log_in(creator, "creator@example.com", "/creator/resolutions")
    creator.goto(f"/creator/resolutions/{case_id}")
    creator.get_by_role("button", name="Offer partial refund").click()
    amount = creator.get_by_label("Amount")
    amount.fill("19")
    creator.get_by_role("button", name="Confirm: Offer partial refund").click()
    expect(creator.get_by_role("alert")).to_contain_text("less than the payment of $19.00")  # refused, said why
    amount.fill("8")
    creator.get_by_label("Message to the buyer (optional)").fill("The templates open in version 2; here is $8 back.")
    creator.get_by_role("button", name="Confirm: Offer partial refund").click()
    offer = creator.locator(".pinned-offer")
    expect(offer).to_contain_text("The creator offers a partial refund of $8.00 of $19.00")
    expect(offer.get_by_role("button", name="Accept offer")).to_have_count(0)  # not one's own offer

    buyer.reload()
    offer = buyer.locator(".pinned-offer")
    expect(offer).to_contain_text("$8.00")
    expect(offer).to_contain_text("The templates open in version 2")
    offer.get_by_role("button", name="Accept offer").click()
    expect(buyer.locator(".refund-confirmation")).to_contain_text("$8.00 of $19.00")
    buyer.get_by_role("button", name="Confirm: Accept offer").click()
    expect(buyer.locator(".status-badge")).to_have_text("Resolved: partial refund")
    expect(buyer.locator(".money-line")).to_contain_text("$8.00 of $19.00 refunded")
    expect(buyer.locator(".pinned-offer")).to_have_count(0)

    creator.reload()
    expect(creator.locator(".status-badge")).to_have_text("Resolved: partial refund")
    expect(creator.locator(".money-line")).to_contain_text("$8.00 of $19.00 refunded")
    expect(creator.get_by_text("accepted the partial refund of $8.00")).to_be_visible()

    buyer.goto("/purchases")
    expect(purchase_row(buyer, "PayPal", "$19.00")).to_contain_text("Partially refunded ($8.00 of $19.00)")
