"""Webhooks end to end: the creator adds a key and an endpoint on the developers page and copies the secret, a buyer
opens a claim, the test's receiver gets a correctly signed created event, and the delivery log shows it."""

import time

import httpx
from playwright.sync_api import expect

from resolution_app.domain.enums import PaymentMethod
from tests.e2e.buyer_steps import fill_claim, fresh_purchase, start_claim, submit_claim
from tests.e2e.conftest import log_in
from tests.webhook_receiver import Receiver

BUYER = "lena@example.com"
# A purchase of this test's own, so no other test claims it first; above the $25 card auto-refund that
# test_creator sets, so the case stays open and its created event is the only one.
AMOUNT_MINOR, AMOUNT = 3400, "$34.00"


def _wait_for(receiver: Receiver, case_id: int, seconds: float = 60) -> list:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = [item for item in receiver.received if item.payload["data"]["id"] == case_id]
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"no event for case {case_id} in {seconds} s; got {receiver.types()}")


def test_a_claim_reaches_the_creator_s_endpoint_signed(new_page, app_url, e2e_database_url):
    receiver = Receiver().start()
    try:
        fresh_purchase(e2e_database_url, BUYER, PaymentMethod.CARD, AMOUNT_MINOR)
        creator = new_page()
        creator.context.grant_permissions(["clipboard-read", "clipboard-write"])
        log_in(creator, "creator@example.com", "/creator/resolutions")
        creator.goto("/creator/settings/developers")
        creator.get_by_label("Name").fill("Support desk")
        creator.get_by_role("button", name="Create API key").click()
        key = creator.locator("#new-api-key").inner_text()

        creator.get_by_label("Endpoint URL").fill("ftp://example.com/hooks")
        creator.get_by_role("button", name="Add endpoint").click()
        expect(creator.get_by_role("alert")).to_contain_text("http(s) URL")
        creator.get_by_label("Endpoint URL").fill(receiver.url)
        creator.get_by_role("button", name="Add endpoint").click()
        expect(creator.locator("#new-webhook-secret")).to_contain_text("whsec_")
        creator.get_by_role("button", name="Copy secret").click()
        receiver.secret = creator.evaluate("navigator.clipboard.readText()")
        assert receiver.secret == creator.locator("#new-webhook-secret").inner_text()
        row = creator.locator(".webhook-endpoint-row").filter(has_text=receiver.url)
        expect(row).to_contain_text("Active")

        buyer = new_page()
        log_in(buyer, BUYER, "/purchases")
        start_claim(buyer, "Card", AMOUNT)
        fill_claim(buyer, "Product not as described", "The course stops halfway through the second module.")
        case_id = int(submit_claim(buyer))

        (created,) = _wait_for(receiver, case_id)
        assert created.verified and created.payload["type"] == "resolution_center_case.created"
        assert created.payload["data"]["buyer"]["email"] == BUYER
        read = httpx.get(
            f"{app_url}/api/v1/resolution_center_cases/{case_id}", headers={"Authorization": f"Bearer {key}"}
        )
        assert read.status_code == 200 and read.json()["status"] == created.payload["data"]["status"]

        row.get_by_role("button", name="Deliveries").click()
        logged = creator.locator(".webhook-attempt-row").filter(has_text=created.webhook_id)
        expect(logged).to_contain_text("resolution_center_case.created")
        expect(logged).to_contain_text(f"#{case_id}")
        expect(logged).to_contain_text("200")

        row.get_by_role("button", name=f"Remove {receiver.url}").click()
        creator.get_by_role("button", name="Remove now").click()
        expect(creator.locator(".webhook-endpoint-row")).to_have_count(0)
        creator.get_by_role("button", name="Revoke Support desk").click()  # the other tests share this app
        creator.get_by_role("button", name="Revoke now").click()
        expect(creator.locator(".api-key-row")).to_have_count(0)
    finally:
        receiver.stop()
