"""What a buyer does on the way to a case, as steps the e2e tests share."""

import re
from pathlib import Path

from playwright.sync_api import Locator, Page

FILES = Path(__file__).parent / "files"


def purchase_row(page: Page, method: str, amount: str) -> Locator:
    return page.locator(".purchase-row").filter(has_text=method).filter(has_text=amount)


def start_claim(page: Page, method: str, amount: str) -> None:
    """From /purchases, open the claim form of the payment made by `method` for `amount`."""
    purchase_row(page, method, amount).get_by_role("button", name="Open a claim").click()
    page.wait_for_url(re.compile(r"/purchases/\d+/claim$"))


def fill_claim(page: Page, reason: str, description: str) -> None:
    page.get_by_label("Reason").select_option(label=reason)
    page.get_by_label("Describe the issue").fill(description)


def submit_claim(page: Page) -> str:
    """Submit the form and land on the new case; returns its id."""
    page.get_by_role("button", name="Submit claim").click()
    page.wait_for_url(re.compile(r"/cases/\d+$"))
    return page.url.rsplit("/", 1)[1]
