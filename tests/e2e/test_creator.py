"""The creator's Resolution center, as the demo creator uses it, with the buyer on the other side."""

import csv
import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from tests.e2e.buyer_steps import FILES, fill_claim, purchase_row, start_claim, submit_claim
from tests.e2e.conftest import BROWSER_ZONE, log_in


def _creator(new_page) -> Page:
    page = new_page()
    log_in(page, "creator@example.com", "/creator/resolutions")
    return page


def _open_resolutions(page: Page) -> int:
    text = page.locator(".open-resolutions").inner_text()
    return int(re.search(r"\d+", text).group())


def test_badge_filters_columns_and_csv_export(new_page):
    page = _creator(new_page)
    expect(page.locator(".resolution-row").first).to_be_visible()
    badge = _open_resolutions(page)
    page.locator(".open-resolutions").click()
    page.wait_for_url(re.compile(r"status=waiting"))
    expect(page.get_by_role("button", name="Respond")).to_have_count(badge)

    page.goto("/creator/resolutions")
    expect(page.locator(".case-total")).to_contain_text("cases")
    today = datetime.now(ZoneInfo(BROWSER_ZONE)).date()  # the browser's day, which the filter means
    page.get_by_label("Opened from").fill((today - timedelta(days=7)).isoformat())
    page.get_by_label("Opened to").fill(today.isoformat())
    page.wait_for_url(re.compile(f"opened_to={today.isoformat()}"))
    expect(page.get_by_text("Alice Moreno")).to_have_count(0)  # opened 20 days ago
    expect(page.get_by_text("Bob Chen")).to_be_visible()  # opened 3 days ago
    shown = page.locator(".resolution-row").count()

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export CSV").click()
    rows = list(csv.reader(io.StringIO(download_info.value.path().read_text())))
    assert len(rows) == shown + 1
    assert "Bob Chen" in {cell for row in rows for cell in row}
    assert "Alice Moreno" not in {cell for row in rows for cell in row}

    page.get_by_role("button", name="Edit columns").click()
    page.get_by_role("checkbox", name="Product").click()
    page.keyboard.press("Escape")
    expect(page.locator("th.col-product")).to_have_count(0)
    page.reload()
    expect(page.locator(".resolution-row").first).to_be_visible()
    expect(page.locator("th.col-product")).to_have_count(0)
    page.get_by_role("button", name="Edit columns").click()
    page.get_by_role("checkbox", name="Product").click()
    page.keyboard.press("Escape")
    expect(page.locator("th.col-product")).to_have_count(1)


def test_request_info_buyer_replies_with_a_file_creator_accepts(new_page):
    buyer = new_page()
    log_in(buyer, "buyer@example.com", "/purchases")
    start_claim(buyer, "PayPal", "$49.00")
    fill_claim(buyer, "Product not received", "I never received access to the membership community.")
    case_id = submit_claim(buyer)

    creator = _creator(new_page)
    creator.get_by_label("Search customer").fill("buyer@example.com")
    creator.get_by_role("button", name="Search").click()
    creator.wait_for_url(re.compile(r"search=buyer"))  # the page is the search's, not the table before it
    expect(creator.locator(".resolution-row").filter(has_text="Bob Chen")).to_have_count(0)
    row = creator.locator(".resolution-row").filter(has_text="Product not received")
    expect(row).to_have_count(1)
    row.get_by_role("button", name="Respond").click()
    creator.wait_for_url(f"**/creator/resolutions/{case_id}")
    expect(creator.locator(".customer-identity")).to_contain_text("buyer@example.com")
    agreed = creator.locator(".agreed-document", has_text="Refund policy v1").first
    response = creator.request.get(agreed.get_attribute("href"))
    assert response.ok and b"Refund policy of Pickaxe Academy" in response.body()
    creator.get_by_role("button", name="Request more info").click()
    creator.get_by_label("Question for the buyer").fill("Which email did you use to join the community?")
    creator.get_by_role("button", name="Confirm: Request more info").click()
    expect(creator.locator(".status-badge")).to_have_text("Waiting on buyer (info requested)")

    buyer.reload()
    expect(buyer.get_by_text("Which email did you use").first).to_be_visible()
    expect(buyer.locator(".pinned-question")).to_contain_text("Which email did you use")  # pinned above the composer
    buyer.get_by_label("Your reply").fill("This one; here is the error I get.")
    buyer.locator("#message_files input[type=file]").set_input_files([FILES / "screenshot.png"])
    buyer.get_by_role("button", name="Send reply").click()
    expect(buyer.get_by_text("Reply sent to the creator.")).to_be_visible()
    expect(buyer.locator(".status-badge")).to_have_text("Waiting on creator")
    expect(buyer.locator(".timeline-item").last.get_by_text("screenshot.png")).to_be_visible()

    creator.reload()
    expect(creator.locator(".timeline-item").last.get_by_text("screenshot.png")).to_be_visible()
    waiting = _open_resolutions(creator)
    creator.get_by_role("button", name="Accept").click()
    expect(creator.locator(".refund-confirmation")).to_contain_text("$49.00")
    creator.get_by_role("button", name="Confirm: Accept").click()
    expect(creator.locator(".status-badge")).to_have_text("Buyer won")
    expect(creator.get_by_text("Refund of $49.00 sent to Blair Buyer.")).to_be_visible()
    left = waiting - 1  # the badge is current after the action, without a reload
    expect(creator.locator(".open-resolutions")).to_have_attribute(
        "aria-label", f"{left} open resolution" + ("" if left == 1 else "s")
    )
    expect(creator.get_by_text("accepted the claim and refunded the payment")).to_be_visible()
    expect(creator.locator(".customer-payment").filter(has_text="$49.00").locator(".payment-status")).to_have_text(
        "Refunded"
    )

    buyer.goto("/purchases")
    expect(purchase_row(buyer, "PayPal", "$49.00")).to_contain_text("View case")


def test_auto_refund_threshold_with_custom_message(new_page):
    creator = _creator(new_page)
    creator.goto("/creator/settings/auto-respond")
    card = creator.get_by_label("Auto-refund card payments below")
    card.fill("-1")
    creator.get_by_role("button", name="Save").click()
    expect(creator.get_by_role("alert")).to_contain_text("can't be negative")  # said under the field
    expect(card).to_be_focused()
    card.fill("25")
    creator.get_by_label("Custom message").fill("Sorry it didn't work out. Your refund is on its way!")
    creator.get_by_role("button", name="Save").click()
    expect(creator.get_by_text("Saved.")).to_be_visible()

    buyer = new_page()
    log_in(buyer, "frank@example.com", "/purchases")
    start_claim(buyer, "Card", "$19.00")
    fill_claim(buyer, "Product unacceptable", "The masterclass videos stop halfway through every lesson.")
    submit_claim(buyer)
    expect(buyer.locator(".status-badge")).to_have_text("Buyer won")
    expect(buyer.get_by_text("refunded the payment automatically")).to_be_visible()
    expect(buyer.locator(".chat-message")).to_contain_text("Your refund is on its way!")


def test_the_tables_view_lives_in_the_url_and_clear_filters_resets_it(new_page):
    page = _creator(new_page)
    expect(page.locator(".resolution-row").first).to_be_visible()
    everything = page.locator(".resolution-row").count()
    page.get_by_label("Reason").select_option(label="Product not received")
    page.wait_for_url(re.compile(r"reason=product_not_received"))
    page.get_by_label("Search customer").fill("bob")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"search=bob"))
    page.get_by_role("button", name=re.compile("^Amount")).click()  # a sort header is a button
    page.wait_for_url(re.compile(r"sort=amount"))
    expect(page.locator(".resolution-row")).to_have_count(1)

    page.reload()
    expect(page.get_by_label("Reason")).to_have_value("product_not_received")
    expect(page.get_by_label("Search customer")).to_have_value("bob")
    expect(page.locator(".resolution-row")).to_have_count(1)
    expect(page.locator(".case-total")).to_have_text("1 case")

    page.go_back()  # the view before sorting: same filters
    page.wait_for_url(lambda url: "sort=amount" not in url and "search=bob" in url)
    expect(page.get_by_label("Search customer")).to_have_value("bob")

    page.get_by_role("button", name="Clear filters").click()
    page.wait_for_url(lambda url: "search=" not in url and "reason=" not in url)
    expect(page.get_by_label("Reason")).to_have_value("")
    expect(page.get_by_label("Search customer")).to_have_value("")
    expect(page.locator(".resolution-row")).to_have_count(everything)
    expect(page.get_by_text("An error occurred")).to_have_count(0)


def test_payments_lead_to_their_cases(new_page):
    page = _creator(new_page)
    page.get_by_role("link", name="Payments").first.click()
    page.wait_for_url("**/creator/payments")
    expect(page.locator(".payment-row").first).to_be_visible()
    everything = page.locator(".payment-row").count()
    page.get_by_role("checkbox", name="With an open case").click()
    page.wait_for_url(re.compile(r"open=1"))
    expect(page.locator(".payment-row")).not_to_have_count(everything)
    page.locator(".payment-row").filter(has_text="Bob Chen").get_by_role("button", name="Respond").click()
    page.wait_for_url(re.compile(r"/creator/resolutions/\d+$"))
    expect(page.locator(".customer-identity")).to_contain_text("bob@example.com")
