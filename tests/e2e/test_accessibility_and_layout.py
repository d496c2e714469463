"""Every page of both portals at 1440×900 and 390×844: nothing scrolls sideways, nothing claims to be empty while its
data is on the way, the browser's console shows no error (a failed load included), and axe-core finds no serious or
critical violation of WCAG 2.2 AA."""

import json
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.e2e.conftest import DEMO_PASSWORD, ROOT

AXE_DIR = Path(__file__).parent / "axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
# Who sees which pages. The demo data is seeded into a fresh database, so its cases have the same ids every run.
PAGES = {
    "": ["/login", "/signup"],
    # Frank's payment is claimable until test_creator.py claims it; this module sorts (and runs) before it.
    "frank@example.com": ["/purchases", "/purchases/{claimable}/claim"],
    "bob@example.com": ["/cases", "/cases/1", "/notifications"],
    "reviewer@example.com": ["/review", "/review/3", "/review/analytics"],
    "creator@example.com": [
        "/creator/resolutions",
        "/creator/payments",
        "/creator/analytics",
        "/creator/resolutions/1",
        "/creator/resolutions/3",
        "/creator/settings/auto-respond",
        "/creator/settings/legal",
        "/creator/settings/saved-replies",
        "/creator/settings/developers",
        "/notifications",
        "/settings/notifications",
    ],
}
EMPTY_STATES = ["No purchases yet", "You have no cases", "0 cases", "No cases match"]
# Records every empty-state text that was ever on screen, from the first paint on.
WATCH_EMPTY_STATES = f"""
window.__emptySeen = [];
new MutationObserver(() => {{
  const text = document.body ? document.body.innerText : "";
  for (const phrase of {json.dumps(EMPTY_STATES)}) {{
    if (text.includes(phrase) && !window.__emptySeen.includes(phrase)) window.__emptySeen.push(phrase);
  }}
}}).observe(document, {{subtree: true, childList: true, characterData: true}});
"""
AXE_RUN = """axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}).then(result =>
  result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v =>
    `${v.id} (${v.impact}): ${v.nodes.map(n => n.html.slice(0, 120)).join(' | ')}`))"""


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core from npm, pinned in tests/e2e/axe/package-lock.json and installed on first use."""
    if not AXE_JS.exists():
        npm = ROOT / ".venv" / "bin" / "npm"
        subprocess.run([str(npm), "ci", "--no-audit", "--no-fund"], cwd=AXE_DIR, check=True)
    return AXE_JS


def _signed_in(browser: Browser, app_url: str, viewport: dict, email: str) -> Page:
    page = browser.new_context(base_url=app_url, viewport=viewport, timezone_id="America/Los_Angeles").new_page()
    page.add_init_script(WATCH_EMPTY_STATES)
    if email:
        page.goto("/login")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: "/login" not in url)
    return page


def _claimable_payment(page: Page) -> str:
    page.goto("/purchases")
    expect(page.get_by_role("button", name="Open a claim").first).to_be_visible()
    page.get_by_role("button", name="Open a claim").first.click()
    page.wait_for_url("**/claim")
    return page.url.rsplit("/", 2)[-2]


def _described(message: ConsoleMessage) -> str:
    """A console error and where it came from (a failed load names only its status)."""
    return f"{message.text!r} ({message.location.get('url') or 'the page'})"


@pytest.mark.parametrize("size", VIEWPORTS)
@pytest.mark.parametrize("email", PAGES, ids=lambda email: email.split("@")[0] or "signed-out")
def test_every_page_fits_loads_honestly_and_passes_axe(browser, app_url, axe_script, size, email):
    page = _signed_in(browser, app_url, VIEWPORTS[size], email)
    claimable = _claimable_payment(page) if "{claimable}" in " ".join(PAGES[email]) else ""
    problems, errors = [], []
    page.on("console", lambda message: message.type == "error" and errors.append(_described(message)))
    for path in PAGES[email]:
        page.goto(path.format(claimable=claimable))
        expect(page.locator(".loading-placeholder")).to_have_count(0)
        page.wait_for_load_state("networkidle")
        problems += [f"{path}: the console says {error}" for error in errors]
        errors.clear()
        if email:  # every signed-in persona here has data: an empty state would be a lie
            problems += [f"{path}: showed {phrase!r}" for phrase in page.evaluate("window.__emptySeen")]
        scroll_width, width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll_width > width:
            problems.append(f"{path}: scrolls sideways ({scroll_width} px wide in {width} px)")
        page.add_script_tag(path=str(axe_script))
        problems += [f"{path}: {violation}" for violation in page.evaluate(AXE_RUN)]
    page.context.close()
    assert problems == []


# Phones, a tablet, small and common laptops, the desktop: the header's links and menus must fit all of them.
HEADER_WIDTHS = (390, 760, 1024, 1280, 1366, 1440)
CUT_OFF = """[...document.querySelectorAll('.site-header a, .site-header button')]
  .filter(element => element.getClientRects().length > 0)
  .map(element => [element.getAttribute('aria-label') || element.textContent.trim(), element.getBoundingClientRect()])
  .filter(([, box]) => box.left < 0 || box.right > window.innerWidth)
  .map(([name, box]) => `${name} (${Math.round(box.left)}-${Math.round(box.right)} px)`)"""


@pytest.mark.parametrize("email", ["buyer@example.com", "creator@example.com", "reviewer@example.com"])
def test_the_header_fits_every_width_and_always_offers_log_out(browser, app_url, email):
    page = _signed_in(browser, app_url, VIEWPORTS["desktop"], email)
    page.goto("/notifications")  # a page every persona has, with the portal's full header
    problems = []
    for width in HEADER_WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        problems += [f"{width} px: {name} is cut off" for name in page.evaluate(CUT_OFF)]
        # The user's menu at the right, or on narrow screens the menu that holds everything: the last button shown.
        page.locator(".site-header").get_by_role("button").filter(visible=True).last.click()
        try:
            page.get_by_role("menuitem", name="Log out").wait_for(state="visible", timeout=5_000)
        except PlaywrightTimeoutError:
            problems.append(f"{width} px: no Log out in the header's menu")
        page.keyboard.press("Escape")
        expect(page.get_by_role("menuitem", name="Log out")).to_have_count(0)
    page.context.close()
    assert problems == []
