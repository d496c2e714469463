"""GET /api/creator/cases.csv: who may export, what a bad query gets, and the file a creator downloads."""

import itertools

import httpx
import pytest
from sqlalchemy.exc import OperationalError
from starlette.testclient import TestClient

from resolution_app.api.routes import api
from resolution_app.domain.csv_cells import EXPORT_HEADER
from resolution_app.services import accounts
from resolution_app.services.accounts import SESSION_COOKIE
from resolution_app.services.creator import exports
from resolution_app.services.creator.creator_cases import CaseFilter
from resolution_app.services.demo_data import CASES as DEMO_CASES
from resolution_app.services.demo_data import DEMO_PASSWORD
from tests.served import served
from tests.services.export_rows import csv_rows, table_rows

URL = "/api/creator/cases.csv"


@pytest.fixture
def client() -> TestClient:
    return TestClient(api)


def _sign_in(client: TestClient, email: str) -> TestClient:
    client.cookies.set(SESSION_COOKIE, accounts.log_in(email, DEMO_PASSWORD).token)
    return client


@pytest.mark.parametrize("token", [None, "not-a-session"])
def test_no_valid_session_is_401(world, client, token):
    if token:
        client.cookies.set(SESSION_COOKIE, token)
    response = client.get(URL)
    assert response.status_code == 401
    assert "Log in" in response.text


def test_a_buyer_is_403(world, client):
    response = _sign_in(client, "buyer@example.com").get(URL)
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"opened_from": "2026-13-01"}, "Dates look like 2026-11-22."),
        ({"opened_from": "2026-11-22", "opened_to": "2026-11-01"}, "The start date is after the end date."),
        ({"status": "lost"}, "Unknown status filter."),
        ({"sort": "password_hash"}, "Unknown sort."),
        ({"descending": "yes"}, "The sort direction is 1 (descending) or 0 (ascending)."),
        ({"time_zone": "Mars/Olympus"}, "Unknown time zone."),
        ({"opened_to": "9999-12-31"}, "Dates go from 2000-01-01 to 2999-12-31."),
        ({"search": "bob\x00"}, "The search can't contain control characters."),
    ],
)
def test_a_bad_parameter_is_400_with_the_reason(world, client, query, message):
    response = _sign_in(client, "creator@example.com").get(URL, params=query)
    assert response.status_code == 400
    assert response.text == message


def test_the_creator_downloads_the_filtered_table(world, client):
    query = {"status": "waiting", "search": "example.com", "sort": "amount", "descending": "0"}
    response = _sign_in(client, "creator@example.com").get(URL, params=query)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="resolutions-2026-11-22.csv"'
    assert response.headers["cache-control"] == "no-store"
    rows = csv_rows(response.text)
    f = CaseFilter(status="waiting", search="example.com", sort="amount", descending=False)
    assert rows == table_rows(world.creator, f)
    assert 1 < len(rows) < 5  # filtered: some of the four demo cases, not all


def test_all_ignores_the_filters_but_keeps_the_order(world, client):
    query = {"all": "1", "status": "lost", "opened_from": "never", "sort": "amount", "descending": "1"}
    response = _sign_in(client, "creator@example.com").get(URL, params=query)
    assert response.status_code == 200
    assert csv_rows(response.text) == table_rows(world.creator, CaseFilter(sort="amount"))
    assert len(csv_rows(response.text)) == 1 + len(DEMO_CASES)  # the header and every demo case


def test_the_file_is_dated_in_the_viewers_time_zone(world, client):
    response = _sign_in(client, "creator@example.com").get(URL, params={"time_zone": "Pacific/Kiritimati"})
    assert response.headers["content-disposition"] == 'attachment; filename="resolutions-2026-11-23.csv"'


def test_an_export_that_fails_midway_is_cut_off_not_ended_like_a_complete_file(world, monkeypatch):
    """On the production server: the header and first rows went out, then the database failed."""
    real_pages = exports.creator_cases.iter_pages

    def failing_pages(user, f, batch):
        yield from itertools.islice(real_pages(user, f, 2), 1)
        raise OperationalError("SELECT ...", {}, Exception("server closed the connection unexpectedly"))

    monkeypatch.setattr(exports.creator_cases, "iter_pages", failing_pages)
    token = accounts.log_in("creator@example.com", DEMO_PASSWORD).token
    received = b""
    with served(api) as url, httpx.stream("GET", f"{url}{URL}", cookies={SESSION_COOKIE: token}) as response:
        assert response.status_code == 200  # sent before the first row was read: a download under way
        with pytest.raises(httpx.RemoteProtocolError, match="incomplete chunked read"):
            for chunk in response.iter_raw():
                received += chunk
    assert received.startswith(",".join(EXPORT_HEADER).encode())  # what came was real; the client knows it isn't all
