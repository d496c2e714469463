"""A dispute from denial to final decision, as the buyer, the creator and two reviewers live it (issue 10)."""

from playwright.sync_api import Page, expect

from tests.e2e.buyer_steps import FILES, fill_claim, start_claim, submit_claim
from tests.e2e.conftest import log_in

RATIONALE = "The creator's proof shows the course was empty on the day of purchase."
FINAL_RATIONALE = "The changelog proves modules 4 to 6 were delivered before the claim."


def _act(page: Page, button: str, label: str, text: str, files: list | None = None) -> None:
    """Open an action's form, write its text (and attach files), and confirm it."""
    page.get_by_role("button", name=button, exact=True).click()
    page.get_by_label(label).fill(text)
    if files:
        page.locator("#action_files input[type=file]").set_input_files(files)
    page.get_by_role("button", name=f"Confirm: {button}").click()


def _reviewer(new_page, email: str, case_id: str) -> Page:
    page = new_page()
    log_in(page, email, "/review")
    page.goto(f"/review/{case_id}")
    expect(page.locator(".claimed-by")).to_be_visible()
    return page


def _claim(page: Page, name: str) -> None:
    page.locator(".case-context").get_by_role("button", name="Claim", exact=True).click()
    expect(page.locator(".claimed-by")).to_contain_text(name)


def test_deny_escalate_ask_decide_appeal_final(new_page):
    buyer = new_page()
    log_in(buyer, "henry@example.com", "/purchases")
    start_claim(buyer, "PayPal", "$19.00")
    fill_claim(buyer, "Product not as described", "The Redstone Masterclass has no lessons after module 3.")
    case_id = submit_claim(buyer)

    creator = new_page()
    log_in(creator, "creator@example.com", "/creator/resolutions")
    creator.goto(f"/creator/resolutions/{case_id}")
    _act(creator, "Deny", "Explain why you deny the claim", "All modules are published.")
    expect(creator.locator(".status-badge")).to_have_text("Waiting on buyer (denied)")

    buyer.reload()
    _act(
        buyer,
        "Escalate to platform",
        "Why you disagree with the creator",
        "Modules 4+ are empty.",
        [FILES / "screenshot.png"],
    )
    expect(buyer.locator(".status-badge")).to_have_text("Under platform review")

    first = _reviewer(new_page, "reviewer@example.com", case_id)
    expect(first.locator(".statement-side").first).to_contain_text("Modules 4+ are empty.")  # the buyer's side
    expect(first.locator(".evidence-gallery .file-source")).to_contain_text("Buyer")
    _claim(first, "Riley Reviewer")
    first.get_by_label("Internal note").fill("Ask for the publishing log before deciding.")
    first.get_by_role("button", name="Add note").click()
    expect(first.locator(".review-note")).to_contain_text("publishing log")
    _act(first, "Request info from creator", "Question for the creator", "When were modules 4 to 6 published?")
    expect(first.locator(".status-badge")).to_have_text("Waiting on creator (info requested by platform)")

    creator.reload()
    expect(creator.locator(".pinned-question")).to_contain_text("When were modules 4 to 6 published?")
    expect(creator.get_by_text("publishing log")).to_have_count(0)  # internal notes never reach a party
    creator.get_by_label("Your reply").fill("Here is the publishing log.")
    creator.locator("#message_files input[type=file]").set_input_files([FILES / "receipt.pdf"])
    creator.get_by_role("button", name="Send reply").click()
    expect(creator.locator(".status-badge")).to_have_text("Under platform review")

    first.reload()
    expect(first.locator(".evidence-gallery")).to_contain_text("receipt.pdf")
    first.get_by_role("button", name="Refund (creator pays)").click()
    expect(first.locator(".decision-money")).to_contain_text("$19.00 is refunded to the buyer now")
    first.get_by_label("Rationale").fill(RATIONALE)
    first.get_by_role("button", name="Confirm: Refund (creator pays)").click()
    expect(first.locator(".status-badge")).to_have_text("Buyer won")

    buyer.reload()
    expect(buyer.get_by_text(RATIONALE)).to_be_visible()
    expect(buyer.locator(".money-line")).to_contain_text("$19.00 refunded to the buyer's payment")
    creator.reload()
    expect(creator.get_by_text(RATIONALE)).to_be_visible()
    expect(creator.locator(".customer-payment").filter(has_text="$19.00").filter(has_text="This case")).to_contain_text(
        "Refunded"
    )
    expect(creator.get_by_text("publishing log").first).to_be_visible()  # their own reply, not the note
    expect(creator.get_by_text("Ask for the publishing log")).to_have_count(0)
    _act(
        creator,
        "Appeal",
        "Appeal statement",
        "The changelog shows modules 4 to 6 went live first.",
        [FILES / "extra.png"],
    )
    expect(creator.locator(".status-badge")).to_have_text("Under platform review")

    first.reload()
    _claim(first, "Riley Reviewer")
    expect(first.locator(".decided-first")).to_be_visible()
    expect(first.get_by_role("button", name="Creator wins")).to_have_count(0)  # not the first decider's to decide
    first.get_by_role("button", name="Release").click()
    expect(first.locator(".claimed-by")).to_contain_text("Nobody")

    second = _reviewer(new_page, "reviewer2@example.com", case_id)
    expect(second.locator(".first-decision")).to_contain_text(RATIONALE)
    _claim(second, "Sam Second-Reviewer")
    second.get_by_role("button", name="Creator wins").click()
    expect(second.locator(".decision-money")).to_contain_text("the platform reimburses the creator $19.00")
    expect(second.locator(".decision-money")).to_contain_text("final")
    second.get_by_label("Rationale").fill(FINAL_RATIONALE)
    second.get_by_role("button", name="Confirm: Creator wins").click()
    expect(second.locator(".status-badge")).to_have_text("Creator won")

    for page in (buyer, creator, second):
        page.reload()
        expect(page.get_by_text(FINAL_RATIONALE)).to_be_visible()
        expect(page.locator(".next-step-headline")).to_contain_text("Final decision")
        expect(page.locator(".case-actions")).to_have_count(0)  # nobody has any action left
        expect(page.locator(".composer")).to_have_count(0)  # the chat is closed
    expect(creator.locator(".money-line").filter(has_text="reimbursed by the platform")).to_contain_text("$19.00")
    expect(buyer.locator(".money-line")).to_have_count(1)  # the buyer keeps the refund; reimbursement is not theirs
    buyer.goto("/purchases")
    expect(buyer.locator(".purchase-row").filter(has_text="PayPal").filter(has_text="$19.00")).to_contain_text(
        "Refunded"
    )
