"""The buyer's path, as a person would take it: purchases, a claim with files, the case, a message, withdrawal."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.buyer_steps import FILES, fill_claim, purchase_row, start_claim, submit_claim


def test_claim_card_payment_with_png_and_pdf_then_message_and_withdraw(buyer_page: Page):
    page = buyer_page
    start_claim(page, "Card", "$19.00")
    fill_claim(page, "Product not as described", "The course is missing the redstone modules it advertised.")
    chooser = page.locator("#claim_files input[type=file]")
    chooser.set_input_files([FILES / "screenshot.png", FILES / "receipt.pdf"])
    chooser.set_input_files([FILES / "extra.png"])  # "Add files" adds to what is chosen
    expect(page.locator(".chosen-file")).to_have_count(3)
    chooser.set_input_files([FILES / "screenshot.png"])
    expect(page.locator(".file-note")).to_have_text("“screenshot.png” was left out: 3 files at most.")
    expect(page.locator(".chosen-file")).to_have_count(3)
    expect(page.locator(".chosen-file img")).to_have_count(2)  # image previews
    page.get_by_role("button", name="Remove extra.png").click()
    expect(page.locator(".chosen-file")).to_have_count(2)
    chooser.set_input_files([{"name": "tool.exe", "mimeType": "application/x-msdownload", "buffer": b"MZ\x90\x00"}])
    expect(page.locator(".file-note")).to_have_text("“tool.exe” isn't a type we accept.")
    expect(page.locator(".chosen-file")).to_have_count(2)
    submit_claim(page)

    expect(page.locator(".status-badge")).to_have_text("Waiting on creator")
    expect(page.get_by_text("Claim sent to Pickaxe Academy.")).to_be_visible()
    expect(page.locator(".next-step-headline")).to_have_text("Waiting on the creator")
    expect(page.locator(".next-step-deadline")).to_contain_text(
        "If they don't respond, the case goes to platform review."
    )
    expect(page.locator(".next-step .countdown")).to_contain_text(re.compile(r"in (7|6) days"))
    opened = page.locator(".timeline-item").first
    expect(opened.locator(".evidence-file")).to_have_count(2)
    expect(opened.get_by_text("screenshot.png")).to_be_visible()
    expect(opened.get_by_text("receipt.pdf")).to_be_visible()
    pdf_link = opened.locator("a", has_text="receipt.pdf").get_attribute("href")
    response = page.request.get(pdf_link)
    assert response.ok and response.body().startswith(b"%PDF")

    page.get_by_label("Message").fill("Here is more detail: module 4 is empty.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".chat-message")).to_have_count(1)
    expect(page.locator(".chat-message")).to_contain_text("module 4 is empty")

    page.get_by_role("button", name="Withdraw").click()
    page.get_by_role("button", name="Confirm: Withdraw").click()
    expect(page.locator(".status-badge")).to_have_text("Withdrawn")
    expect(page.get_by_role("button", name="Withdraw")).to_have_count(0)
    expect(page.get_by_label("Message")).to_have_count(0)


def test_crypto_payment_says_why_it_cannot_be_claimed(buyer_page: Page):
    row = purchase_row(buyer_page, "Crypto", "$99.00")
    expect(row.locator(".claim-refusal")).to_have_text("Crypto payments can't be claimed.")
    expect(row.get_by_role("button", name="Open a claim")).to_have_count(0)


def test_klarna_claim_is_refunded_at_once(buyer_page: Page):
    page = buyer_page
    start_claim(page, "Klarna", "$199.00")
    fill_claim(page, "Product unacceptable", "The bundle's server files do not load in the current version.")
    case_id = submit_claim(page)
    expect(page.locator(".status-badge")).to_have_text("Buyer won")
    expect(page.get_by_text("$199.00 refunded to your Klarna payment.")).to_be_visible()
    page.goto("/purchases")
    expect(purchase_row(page, "Klarna", "$199.00").locator(".purchase-status")).to_have_text("Refunded")
    page.goto(f"/cases/{case_id}")
    expect(page.get_by_text("refunded the payment automatically")).to_be_visible()
    expect(page.get_by_text("Financing payments are always refunded.")).to_be_visible()


def test_bad_claim_shows_a_clear_message_and_creates_nothing(buyer_page: Page):
    page = buyer_page
    start_claim(page, "PayPal", "$49.00")
    fill_claim(page, "Product not received", "too short")
    page.get_by_role("button", name="Submit claim").click()
    expect(page.get_by_role("alert")).to_contain_text("at least 20 characters")
    expect(page.get_by_label("Describe the issue")).to_be_focused()  # the field the refusal is about
    assert page.url.endswith("/claim")


def test_another_buyers_case_is_not_shown(new_page, buyer_page: Page):
    buyer_page.goto("/cases/1")  # a seeded case of another buyer
    expect(buyer_page.get_by_text("Case not found.")).to_be_visible()
    expect(buyer_page.locator(".timeline-item")).to_have_count(0)


def test_sign_up_lands_on_an_empty_purchases_page(new_page):
    page = new_page()
    page.goto("/signup")
    page.get_by_label("Name").fill("Nora New")
    page.get_by_label("Email").fill("nora@example.com")
    page.get_by_label("Password").fill("a-long-password")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/purchases")
    expect(page.get_by_text("No purchases yet.")).to_be_visible()
    page.get_by_role("button", name="Nora New").click()
    page.get_by_role("menuitem", name="Log out").click()
    page.wait_for_url("**/login")
    page.goto("/purchases")
    page.wait_for_url(re.compile(r"/login\?next=/purchases"))
