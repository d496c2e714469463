"""GET /api/creator/analytics.csv and /api/review/analytics.csv: who may export, what a bad range gets, and the
figures in the file, on the demo world (the clock at 2026-11-22 12:00 UTC)."""

import csv
import io
from datetime import date

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from resolution_app.api.routes import api
from resolution_app.domain.analytics import DateRange
from resolution_app.domain.enums import MemberRole
from resolution_app.infra.clock import clock
from resolution_app.infra.db import transaction
from resolution_app.models import Business, BusinessMember, Product
from resolution_app.services import accounts
from resolution_app.services.accounts import SESSION_COOKIE
from resolution_app.services.analytics.creator import creator_analytics
from resolution_app.services.analytics.export import REVIEW_HEADER
from resolution_app.services.analytics.review import review_analytics
from resolution_app.services.demo_data import DEMO_PASSWORD

CREATOR_URL, REVIEW_URL = "/api/creator/analytics.csv", "/api/review/analytics.csv"
LAST_90_DAYS = DateRange(date(2026, 8, 25), date(2026, 11, 22), "UTC")


@pytest.fixture
def client() -> TestClient:
    return TestClient(api)


def _sign_in(client: TestClient, email: str, password: str = DEMO_PASSWORD) -> TestClient:
    client.cookies.set(SESSION_COOKIE, accounts.log_in(email, password).token)
    return client


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.text)))


@pytest.mark.parametrize("url", [CREATOR_URL, REVIEW_URL])
def test_no_session_is_401(world, client, url):
    assert client.get(url).status_code == 401


def test_the_creators_export_refuses_a_buyer_and_the_reviewers_refuses_a_creator(world, client):
    assert _sign_in(client, "buyer@example.com").get(CREATOR_URL).status_code == 403
    response = _sign_in(TestClient(api), "creator@example.com").get(REVIEW_URL)
    assert (response.status_code, response.text) == (404, "Page not found.")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"from": "2026-13-01"}, "Dates look like 2026-11-22."),
        ({"from": "2026-11-22", "to": "2026-11-01"}, "The start date is after the end date."),
        ({"from": "2024-01-01", "to": "2026-11-22"}, "Choose at most 366 days."),
        ({"time_zone": "Mars/Olympus"}, "Unknown time zone."),
        ({"to": "9999-12-31"}, "Dates go from 2000-01-01 to 2999-12-31."),
    ],
)
@pytest.mark.parametrize(("url", "email"), [(CREATOR_URL, "creator@example.com"), (REVIEW_URL, "reviewer@example.com")])
def test_a_bad_range_is_400_with_the_reason(world, client, url, email, query, message):
    response = _sign_in(client, email).get(url, params=query)
    assert (response.status_code, response.text) == (400, message)


def test_the_creator_downloads_the_last_90_days_by_default(world, client):
    response = _sign_in(client, "creator@example.com").get(CREATOR_URL, params={"time_zone": "UTC"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="analytics-2026-08-25-to-2026-11-22.csv"'
    assert response.headers["cache-control"] == "no-store"
    header, *rows = _rows(response)
    assert header[:4] == ["Group", "Item", "Cases opened", "Payments"]
    assert "Amount refunded (USD)" in header and header[-1] == "Open"
    expected = creator_analytics(world.creator, LAST_90_DAYS, product_limit=None).total
    whole = dict(zip(header, rows[0], strict=True))
    assert (whole["Group"], whole["Item"]) == ("All", "2026-08-25 to 2026-11-22")
    assert int(whole["Cases opened"]) == expected.cases > 0
    assert int(whole["Buyer won"]) == expected.buyer_won
    groups = [row[0] for row in rows]
    assert groups.count("Week") == 13 and groups.count("Reason") == 5 and groups.count("Product") == 3


def test_another_business_exports_only_its_own(world, client):
    signed = accounts.sign_up("Otto Other", "otto@example.com", "a-long-password-1")
    with transaction() as session:
        business = Business(name="Other Academy", currency="USD", created_at=clock.now())
        session.add(business)
        session.flush()
        session.add(BusinessMember(business_id=business.id, user_id=signed.user.id, role=MemberRole.OWNER))
    client.cookies.set(SESSION_COOKIE, signed.token)
    header, whole, *rows = _rows(client.get(CREATOR_URL))
    assert dict(zip(header, whole, strict=True))["Cases opened"] == "0"
    assert [row for row in rows if row[0] == "Product"] == []  # none of Pickaxe Academy's


def test_product_names_cannot_become_formulas(world, client):
    with transaction() as session:
        product = session.exec(select(Product).where(Product.name == "Redstone Masterclass")).one()
        product.name = '=HYPERLINK("http://evil.example")'
        session.add(product)
    _, *rows = _rows(_sign_in(client, "creator@example.com").get(CREATOR_URL))
    assert ["Product", '\'=HYPERLINK("http://evil.example")'] in [row[:2] for row in rows]


def test_a_reviewer_downloads_the_queue_and_the_decisions(world, client):
    response = _sign_in(client, "reviewer@example.com").get(REVIEW_URL, params={"time_zone": "UTC"})
    assert response.status_code == 200
    assert (
        response.headers["content-disposition"]
        == 'attachment; filename="review-analytics-2026-08-25-to-2026-11-22.csv"'
    )
    header, whole, *rows = _rows(response)
    assert header == REVIEW_HEADER
    expected = review_analytics(world.reviewer, LAST_90_DAYS)
    assert whole[:5] == [
        "All",
        "2026-08-25 to 2026-11-22",
        str(expected.queue_now),
        str(expected.overdue_now),
        str(expected.total.decisions),
    ]
    assert [row[0] for row in rows].count("Day") == 90
    assert [row[1] for row in rows if row[0] == "Decision"] == [
        "Refund (creator pays)",
        "Credit buyer balance",
        "Creator wins",
        "Partial refund",
    ]
