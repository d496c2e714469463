"""The bell, the notifications page and the email switch, as a creator uses them while a buyer opens a claim."""

import re
import time
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import create_engine, text

from tests.e2e.buyer_steps import fill_claim, start_claim, submit_claim
from tests.e2e.conftest import log_in

BELL = ".notification-bell"


def _unread(page: Page) -> int:
    """The bell's count, once the header has fetched it (the demo creator always has some unread)."""
    bell = page.locator(BELL)
    expect(bell).to_have_attribute("aria-label", re.compile(r"Notifications: [1-9]\d* unread"))
    return int(re.search(r"(\d+) unread", bell.get_attribute("aria-label")).group(1))


def _expect_unread(page: Page, count: int) -> None:
    expect(page.locator(BELL)).to_have_attribute("aria-label", f"Notifications: {count} unread")


def _emails_to_creator(database_url: str, case_id: str) -> list[tuple[str, int | None]]:
    """(kind, email id) of every notification the demo creator got about the case."""
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as connection:
            return connection.execute(
                text(
                    'SELECT kind, email_id FROM notification JOIN "user" ON "user".id = notification.user_id '
                    "WHERE \"user\".email = 'creator@example.com' AND case_id = :case ORDER BY notification.id"
                ),
                {"case": int(case_id)},
            ).all()
    finally:
        engine.dispose()


def _wait_for_eml(folder: Path, needle: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for eml in folder.glob("*.eml") if folder.exists() else []:
            content = eml.read_bytes().decode("utf-8", "replace")
            if needle in content:
                return content
        time.sleep(0.5)
    raise AssertionError(f"no email containing {needle!r} in {folder} within {timeout:g} s")


def _switch_emails(page: Page, on: bool) -> None:
    page.goto("/settings/notifications")
    switch = page.get_by_role("switch", name="Resolution Center emails")
    expect(switch).to_have_attribute("aria-checked", "false" if on else "true")
    switch.click()
    expect(switch).to_have_attribute("aria-checked", "true" if on else "false")
    expect(page.get_by_role("status")).to_have_text(f"Resolution Center emails are {'on' if on else 'off'}.")


def test_the_bell_counts_a_new_case_and_the_email_switch_stops_only_email(new_page, app_data_dir, e2e_database_url):
    creator = new_page()
    log_in(creator, "creator@example.com", "/creator/resolutions")
    before = _unread(creator)

    buyer = new_page()
    log_in(buyer, "lena@example.com", "/purchases")
    start_claim(buyer, "Card", "$99.00")
    fill_claim(buyer, "Product not received", "The bundle's download page says the order does not exist.")
    case_id = submit_claim(buyer)

    creator.reload()
    _expect_unread(creator, before + 1)
    # The email went out too, written by the app's job worker as an .eml file in its data folder.
    eml = _wait_for_eml(app_data_dir / "mail", f"case #{case_id}")
    assert "To: Casey Creator <creator@example.com>" in eml
    assert f"/creator/resolutions/{case_id}" in eml

    creator.locator(BELL).click()
    creator.wait_for_url("**/notifications")
    newest = creator.locator(".notification").first
    expect(newest).to_contain_text("New case opened")
    expect(newest).to_contain_text("The bundle's download page says the order does not exist.")
    newest.get_by_role("link", name="New case opened").click()
    creator.wait_for_url(f"**/creator/resolutions/{case_id}")
    _expect_unread(creator, before)  # read: the count falls

    _switch_emails(creator, on=False)
    try:
        buyer.get_by_label("Message").fill("Here is the error the download page shows me.")
        buyer.get_by_role("button", name="Send").click()
        expect(buyer.get_by_text("Here is the error the download page shows me.")).to_be_visible()
        creator.reload()
        _expect_unread(creator, before + 1)  # the bell still counts
        told = _emails_to_creator(e2e_database_url, case_id)
        assert [kind for kind, _ in told] == ["opened", "message"]
        assert told[0][1] is not None and told[1][1] is None  # the case's email; none for the message
    finally:
        _switch_emails(creator, on=True)


def test_notifications_page_marks_all_read(new_page):
    page = new_page()
    log_in(page, "carol@example.com", "/purchases")  # the creator asked her a question: she has news
    _unread(page)
    page.goto("/notifications")
    expect(page.locator(".notification.unread").first).to_be_visible()
    page.get_by_role("button", name="Mark all read").click()
    expect(page.locator(".notification.unread")).to_have_count(0)
    _expect_unread(page, 0)
    expect(page.get_by_role("button", name="Mark all read")).to_be_disabled()
