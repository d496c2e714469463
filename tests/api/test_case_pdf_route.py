"""GET /api/creator/cases/<id>.pdf and /api/review/cases/<id>.pdf: who gets the case PDF, and how it is sent."""

import io

import pytest
from pypdf import PdfReader
from sqlmodel import select
from starlette.testclient import TestClient

from resolution_app.api.routes import api
from resolution_app.domain.enums import MemberRole
from resolution_app.infra.clock import clock
from resolution_app.infra.db import transaction
from resolution_app.models import Business, BusinessMember, User
from resolution_app.services import accounts
from resolution_app.services.accounts import SESSION_COOKIE
from resolution_app.services.cases import case_actions
from resolution_app.services.demo_data import DEMO_PASSWORD
from resolution_app.services.review.notes import add_note
from tests.services.review.flows import B, opened

NOTE = "INTERNAL-route-5b2: compare with case 3."
OTHER_PASSWORD = "another-long-password-7"


@pytest.fixture
def client() -> TestClient:
    return TestClient(api)


@pytest.fixture
def case_id(world) -> int:
    case_id = opened(world)
    case_actions.send_message(world.buyer, case_id, B, "The videos stop after module 3.")
    add_note(world.reviewer, case_id, NOTE)
    return case_id


def _sign_in(client: TestClient, email: str) -> TestClient:
    client.cookies.set(SESSION_COOKIE, accounts.log_in(email, DEMO_PASSWORD).token)
    return client


def _text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def test_the_creator_downloads_the_case_as_an_attachment(client, case_id):
    response = _sign_in(client, "creator@example.com").get(
        f"/api/creator/cases/{case_id}.pdf", params={"time_zone": "Europe/Paris"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == f'attachment; filename="case-{case_id}.pdf"'
    assert response.headers["cache-control"] == "no-store"
    assert int(response.headers["content-length"]) == len(response.content)
    assert response.content.startswith(b"%PDF-")
    text = _text(response.content)
    assert "The videos stop after module 3." in text
    assert "Europe/Paris" in text
    assert "INTERNAL-route-5b2" not in text


def test_the_reviewer_downloads_the_reviewers_copy_with_the_notes(client, case_id):
    response = _sign_in(client, "reviewer@example.com").get(f"/api/review/cases/{case_id}.pdf")
    assert response.status_code == 200
    text = _text(response.content)
    assert "The videos stop after module 3." in text
    assert NOTE in text
    assert "All times are in UTC" in text


@pytest.mark.parametrize(
    ("email", "path"),
    [
        ("buyer@example.com", "creator"),  # the buyer of the case
        ("buyer@example.com", "review"),
        ("creator@example.com", "review"),  # a creator is no reviewer
        ("other.creator@example.com", "creator"),  # another business's owner
    ],
)
def test_anyone_else_gets_404(world, client, case_id, email, path):
    if email.startswith("other"):
        _owner_of_another_business(email)
        client.cookies.set(SESSION_COOKIE, accounts.log_in(email, OTHER_PASSWORD).token)
    else:
        _sign_in(client, email)
    response = client.get(f"/api/{path}/cases/{case_id}.pdf")
    assert response.status_code == 404
    assert response.text == "Case not found."


def _owner_of_another_business(email: str) -> None:
    accounts.sign_up("Olive Other", email, OTHER_PASSWORD)
    with transaction() as session:
        user = session.exec(select(User).where(User.email == email)).one()
        business = Business(name="Other Academy", currency="USD", created_at=clock.now())
        session.add(business)
        session.flush()
        session.add(BusinessMember(business_id=business.id, user_id=user.id, role=MemberRole.OWNER))


@pytest.mark.parametrize("token", [None, "not-a-session"])
def test_no_valid_session_is_401(client, case_id, token):
    if token:
        client.cookies.set(SESSION_COOKIE, token)
    response = client.get(f"/api/creator/cases/{case_id}.pdf")
    assert response.status_code == 401
    assert response.text == "Log in to download the case."


def test_an_unknown_case_or_time_zone(client, case_id):
    _sign_in(client, "creator@example.com")
    assert client.get("/api/creator/cases/99999999999999999999.pdf").status_code == 404
    assert client.get("/api/creator/cases/abc.pdf").status_code == 404  # no such route
    response = client.get(f"/api/creator/cases/{case_id}.pdf", params={"time_zone": "Mars/Olympus"})
    assert response.status_code == 400
    assert response.text == "Unknown time zone."
