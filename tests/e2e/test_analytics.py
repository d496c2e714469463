"""The analytics pages with the demo data: the creator's and the reviewers' charts (recharts SVGs) and figures, the
range in the URL, "Export CSV"; and screenshots of both pages at desktop and phone width (saved under the test's
tmp_path, to look at). Other tests add cases as they run: nothing here counts on exact numbers."""

import csv
import io
import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from tests.e2e.conftest import BROWSER_ZONE, log_in

WIDTHS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}


def _screenshots(page: Page, name: str, folder: Path) -> None:
    for size, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        page.wait_for_timeout(300)  # the charts' containers measure their new width
        width, scroll_width = page.evaluate("[window.innerWidth, document.documentElement.scrollWidth]")
        assert scroll_width <= width, f"{name} scrolls sideways at {size} width"
        page.screenshot(path=str(folder / f"{name}-{size}.png"), full_page=True)
    print(f"Screenshots of {name} in {folder}")


def _downloaded_csv(page: Page) -> list[list[str]]:
    with page.expect_download() as download:
        page.get_by_role("button", name="Export CSV").click()
    return list(csv.reader(io.StringIO(download.value.path().read_text())))


def test_the_creator_sees_charts_and_figures_and_exports_them(new_page, tmp_path):
    page = new_page()
    log_in(page, "creator@example.com", "/creator/resolutions")
    page.get_by_role("link", name="Analytics", exact=True).click()
    page.wait_for_url("**/creator/analytics")

    today = datetime.now(ZoneInfo(BROWSER_ZONE)).date()  # the last 90 days, the browser's today the last
    expect(page.get_by_label("From")).to_have_value((today - timedelta(days=89)).isoformat())
    expect(page.get_by_label("To")).to_have_value(today.isoformat())
    expect(page.locator(".figure-card")).to_have_count(8)
    opened = page.locator(".figure-card").filter(has_text="Cases opened").locator(".figure-value")
    assert int(opened.inner_text().replace(",", "")) >= 8  # the demo's cases, all of the last 90 days
    expect(page.locator(".figure-card").filter(has_text="Outcomes")).to_contain_text("Buyer won")

    # One figure at a time, by week, by reason and by product: three charts (recharts' SVG) with bars drawn.
    expect(page.locator(".chart-panel .recharts-wrapper")).to_have_count(3)
    expect(page.locator(".recharts-bar-rectangle").first).to_be_visible()
    by_reason = page.get_by_role("region", name="Cases opened by reason: the numbers")
    expect(by_reason.get_by_role("rowheader", name="Product not received")).to_be_visible()
    expect(page.get_by_role("region", name="Cases opened by product: the numbers")).to_contain_text(
        "Redstone Masterclass"
    )

    page.get_by_label("Figure").select_option(label="Outcomes")
    expect(page.locator(".figure-outcomes .recharts-legend-item").filter(has_text="Buyer won").first).to_be_visible()
    page.get_by_label("Figure").select_option(label="First response time")
    expect(page.get_by_role("region", name="First response time by week: the numbers")).to_contain_text("Median")
    expect(page.locator(".figure-first_response .recharts-wrapper")).to_have_count(3)

    _screenshots(page, "creator-analytics", tmp_path)
    page.set_viewport_size(WIDTHS["desktop"])

    header, whole, *rows = _downloaded_csv(page)
    assert header[:4] == ["Group", "Item", "Cases opened", "Payments"]
    assert whole[0] == "All" and int(whole[2]) >= 8
    assert "Product not received" in [row[1] for row in rows if row[0] == "Reason"]

    # A narrower range lives in the URL: the figures follow it.
    page.get_by_label("From").fill((today - timedelta(days=6)).isoformat())
    page.wait_for_url(re.compile(f"from={(today - timedelta(days=6)).isoformat()}"))
    expect(page.get_by_label("From")).to_have_value((today - timedelta(days=6)).isoformat())
    expect(page.locator(".figure-card").first).to_be_visible()


def test_a_reviewer_sees_the_queue_and_decisions_and_exports_them(new_page, tmp_path):
    page = new_page()
    log_in(page, "reviewer@example.com", "/review")
    page.get_by_role("link", name="Review analytics").click()
    page.wait_for_url("**/review/analytics")

    expect(page.locator(".figure-card")).to_have_count(6)
    expect(page.locator(".figure-card").filter(has_text="In the queue now")).to_be_visible()
    expect(page.locator(".chart-panel .recharts-wrapper")).to_have_count(5)
    expect(page.locator(".chart-panel .recharts-wrapper > svg.recharts-surface").first).to_be_visible()
    queue = page.get_by_role("region", name="Queue size by day: the numbers")
    expect(queue.get_by_role("row")).to_have_count(91)  # a header and the range's 90 days
    decisions = page.get_by_role("region", name="Decisions by kind: the numbers")
    expect(decisions.get_by_role("rowheader", name="Refund (creator pays)")).to_be_visible()
    # The demo reviewer decided the appealed case: they appear among the reviewers.
    expect(page.get_by_role("region", name="Decisions by reviewer: the numbers")).to_contain_text("Riley Reviewer")

    _screenshots(page, "review-analytics", tmp_path)
    page.set_viewport_size(WIDTHS["desktop"])

    header, whole, *rows = _downloaded_csv(page)
    assert header[:5] == ["Group", "Item", "Cases in review", "Overdue", "Decisions"]
    assert whole[0] == "All" and int(whole[4]) >= 1
    assert len([row for row in rows if row[0] == "Day"]) == 90


def test_the_pages_are_not_for_buyers(new_page):
    buyer = new_page()
    log_in(buyer, "buyer@example.com", "/purchases")
    buyer.goto("/review/analytics")
    expect(buyer.get_by_text("Page not found.")).to_be_visible()
    expect(buyer.locator(".figure-card")).to_have_count(0)
    buyer.goto("/creator/analytics")
    buyer.wait_for_url("**/purchases")
