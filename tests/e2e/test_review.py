"""The reviewer portal as the demo reviewer uses it: the queue, claiming, a decision both sides then read."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import log_in


def test_a_reviewer_claims_and_decides_and_both_sides_read_the_rationale(new_page):
    reviewer = new_page()
    log_in(reviewer, "reviewer@example.com", "/review")
    expect(reviewer.locator(".queue-row").filter(has_text="Gina Park")).to_contain_text("$19.00")
    reviewer.get_by_label("Amount from").fill("40")
    reviewer.get_by_role("button", name="Apply").click()
    reviewer.wait_for_url(re.compile(r"amount_from=40"))
    expect(reviewer.locator(".queue-row").filter(has_text="Gina Park")).to_have_count(0)  # $19.00 is below 40
    expect(reviewer.get_by_label("Amount from")).to_have_value("40")  # the URL's view, after the reload
    row = reviewer.locator(".queue-row").filter(has_text="Alice Moreno")
    expect(row).to_contain_text("escalation")
    row.get_by_role("button", name="Claim").click()
    reviewer.wait_for_url(re.compile(r"/review/\d+$"))
    expect(reviewer.locator(".claimed-by")).to_contain_text("Riley Reviewer")
    # escalated 15 days ago, past the 2-business-day target: not promised as if still ahead
    expect(reviewer.locator(".next-step")).to_contain_text("Reviewers aimed to decide by")
    expect(reviewer.locator(".next-step")).to_contain_text("this case is taking longer than usual")
    reviewer.get_by_role("button", name="Creator wins").click()
    expect(reviewer.locator(".decision-money")).to_contain_text("No money moves: the creator keeps the payment.")
    reviewer.get_by_label("Rationale").fill("The membership was used for three weeks; the logs show it.")
    reviewer.get_by_role("button", name="Confirm: Creator wins").click()
    expect(reviewer.locator(".status-badge")).to_have_text("Creator won")

    buyer = new_page()
    log_in(buyer, "alice@example.com", "/purchases")
    buyer.goto(reviewer.url.replace("/review/", "/cases/"))
    expect(buyer.get_by_text("the logs show it")).to_be_visible()
    expect(buyer.get_by_role("button", name="Appeal")).to_be_visible()  # the losing side, within 7 days


def test_the_review_portal_is_not_found_for_anyone_else(new_page):
    buyer = new_page()
    log_in(buyer, "buyer@example.com", "/purchases")
    buyer.goto("/review")
    expect(buyer.get_by_text("Page not found.")).to_be_visible()
    expect(buyer.locator(".queue-row")).to_have_count(0)
