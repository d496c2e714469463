"""The developers page, as the demo creator uses it: a key made, shown once, listed, revoked."""

from playwright.sync_api import expect

from tests.e2e.conftest import log_in


def test_a_key_is_shown_once_listed_and_revoked(new_page):
    page = new_page()
    log_in(page, "creator@example.com", "/creator/resolutions")
    page.goto("/creator/settings/developers")
    expect(page.get_by_text("No keys yet.")).to_be_visible()

    page.get_by_role("button", name="Create API key").click()
    expect(page.get_by_role("alert")).to_contain_text("Name the key")
    expect(page.get_by_label("Name")).to_be_focused()

    page.get_by_label("Name").fill("Help desk")
    page.get_by_label("Access").select_option(label="Read and write")
    page.get_by_role("button", name="Create API key").click()
    secret = page.locator("#new-api-key")
    expect(secret).to_contain_text("rc_key_")
    key = secret.inner_text()
    row = page.locator(".api-key-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Help desk")
    expect(row).to_contain_text("Read and write")
    expect(row).to_contain_text("Never")
    expect(row).to_contain_text(key[:13])
    assert key not in row.inner_text()  # the list shows the key's start, never the key
    expect(page.get_by_label("Name")).to_have_value("")

    page.get_by_role("button", name="I have copied it").click()
    expect(page.locator("#new-api-key")).to_have_count(0)
    page.reload()
    expect(page.locator(".api-key-row")).to_have_count(1)
    expect(page.locator("#new-api-key")).to_have_count(0)
    assert key not in page.content()

    page.get_by_role("button", name="Revoke Help desk").click()
    page.get_by_role("button", name="Revoke now").click()
    expect(page.get_by_role("status")).to_contain_text("Help desk is revoked")
    expect(page.get_by_text("No keys yet.")).to_be_visible()
