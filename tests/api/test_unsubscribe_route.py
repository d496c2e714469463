"""The emails' one-click unsubscribe link (RFC 8058), /api/notifications/unsubscribe/{token}: opening it in a browser
asks first and changes nothing (a link scanner's GET turns nothing off); the mail client's POST turns that person's
Resolution Center emails off. A link altered, too old, signed with another key or minted for something else (a
download) is a 404 that changes nothing; and an unsubscribe token opens no file."""

from datetime import timedelta

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from resolution_app.api.routes import api
from resolution_app.domain.enums import Party, PaymentMethod
from resolution_app.infra import signing
from resolution_app.infra.db import transaction
from resolution_app.infra.settings import get_settings
from resolution_app.models import LegalDocument, Notification
from resolution_app.services import files
from resolution_app.services.cases import case_views, claims
from resolution_app.services.notifications import preferences
from resolution_app.services.notifications.preferences import UNSUBSCRIBE_LINK_LIFETIME, unsubscribe_url
from tests.conftest import NOW
from tests.services.factories import DESCRIPTION, png
from tests.services.review.flows import opened

ONE_CLICK = {"content": "List-Unsubscribe=One-Click", "headers": {"Content-Type": "application/x-www-form-urlencoded"}}
PEOPLE = ("buyer@example.com", "creator@example.com", "reviewer@example.com", "alice@example.com")


@pytest.fixture
def client() -> TestClient:
    return TestClient(api)


def _path(url: str) -> str:
    return url[url.index("/api/") :]


def _token(url: str) -> str:
    return url.rsplit("/", 1)[1]


def _route(token: str) -> str:
    return preferences.UNSUBSCRIBE_PATH + token


def _switches(world) -> dict[str, bool]:
    return {email: world.user(email).emails_enabled for email in PEOPLE}


def _signed(payload: str, expires=NOW + timedelta(days=30), secret: str | None = None) -> str:
    return signing.sign(payload, secret or get_settings().signing_secret, expires)


def test_the_link_points_at_the_route_and_opening_it_asks_first(world, client):
    url = unsubscribe_url(world.buyer.id, NOW)
    assert url.startswith(get_settings().public_api_url.rstrip("/") + "/api/notifications/unsubscribe/")
    before = _switches(world)
    response = client.get(_path(url))
    assert response.status_code == 200
    assert "Turn off Resolution Center emails?" in response.text
    assert '<form method="post">' in response.text
    assert '<input type="hidden" name="List-Unsubscribe" value="One-Click">' in response.text
    assert response.headers["cache-control"] == "no-store"
    assert "form-action 'self'" in response.headers["content-security-policy"]
    assert _switches(world) == before and before["buyer@example.com"] is True  # opening it changed nothing


def test_the_one_click_post_turns_that_persons_emails_off(world, client):
    url = unsubscribe_url(world.buyer.id, NOW)
    before = _switches(world)
    response = client.post(_path(url), **ONE_CLICK)
    assert response.status_code == 200
    assert "Resolution Center emails to buyer@example.com are off" in response.text
    assert "/settings/notifications" in response.text
    assert _switches(world) == {**before, "buyer@example.com": False}
    again = client.post(_path(url), **ONE_CLICK)  # a mail client may send it twice
    assert again.status_code == 200 and _switches(world) == {**before, "buyer@example.com": False}


def test_once_unsubscribed_the_next_change_writes_no_email_but_still_notifies(world, client):
    assert client.post(_path(unsubscribe_url(world.creator.id, NOW)), **ONE_CLICK).status_code == 200
    case_id = opened(world)
    with transaction() as session:
        rows = session.exec(select(Notification).where(Notification.case_id == case_id)).all()
    assert [(row.user_id, row.email_id) for row in rows] == [(world.creator.id, None)]


def test_a_link_from_an_email_of_almost_a_year_ago_still_works(world, client):
    url = unsubscribe_url(world.buyer.id, NOW - UNSUBSCRIBE_LINK_LIFETIME + timedelta(minutes=1))
    assert client.get(_path(url)).status_code == 200
    assert client.post(_path(url), **ONE_CLICK).status_code == 200
    assert world.buyer.emails_enabled is False


def _altered(world) -> dict[str, str]:
    token = _token(unsubscribe_url(world.buyer.id, NOW))
    payload, expiry, mac = token.split(".")
    someone_else = _token(unsubscribe_url(world.creator.id, NOW)).split(".")[0]
    flipped = mac[:-1] + ("A" if mac[-1] != "A" else "B")
    return {
        "expired": _token(unsubscribe_url(world.buyer.id, NOW - UNSUBSCRIBE_LINK_LIFETIME)),
        "long expired": _token(unsubscribe_url(world.buyer.id, NOW - 3 * UNSUBSCRIBE_LINK_LIFETIME)),
        "mac changed": f"{payload}.{expiry}.{flipped}",
        "mac cut": f"{payload}.{expiry}.{mac[:-2]}",
        "no mac": f"{payload}.{expiry}.",
        "expiry moved": f"{payload}.{int(expiry) + 86400}.{mac}",
        "payload of another person": f"{someone_else}.{expiry}.{mac}",
        "other key": _signed(f"unsubscribe:{world.buyer.id}", secret="not-our-secret"),
        "not a user id": _signed("unsubscribe:all"),
        "negative id": _signed("unsubscribe:-1"),
        "garbage": "not-a-token",
        "non-ascii": "é.1.x",
    }


@pytest.mark.parametrize(
    "which",
    [
        "expired",
        "long expired",
        "mac changed",
        "mac cut",
        "no mac",
        "expiry moved",
        "payload of another person",
        "other key",
        "not a user id",
        "negative id",
        "garbage",
        "non-ascii",
    ],
)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_link_that_isnt_ours_as_minted_is_404_and_changes_nothing(world, client, which, method):
    token = _altered(world)[which]
    before = _switches(world)
    response = client.request(method, _route(token), **(ONE_CLICK if method == "POST" else {}))
    assert response.status_code == 404
    assert "Link not valid" in response.text and "Settings → Notifications" in response.text
    assert "<form" not in response.text
    assert _switches(world) == before


def test_a_link_for_an_account_that_is_gone_turns_nothing_off(world, client):
    before = _switches(world)
    response = client.post(_route(_signed("unsubscribe:999999")), **ONE_CLICK)
    assert response.status_code == 404 and "Link not valid" in response.text
    assert _switches(world) == before


def _download_tokens(world) -> dict[str, str]:
    """Tokens the app mints for downloads, and ones shaped like them whose subject is a user's id."""
    payment = world.payment("buyer@example.com", PaymentMethod.CARD, 1900)
    case_id = claims.open_claim(world.buyer, payment.id, "not_as_described", DESCRIPTION, [png()])
    attachment_link = case_views.case_detail(world.buyer, case_id, Party.BUYER).thread[0].files[0].url
    with transaction() as session:
        document_id = session.exec(select(LegalDocument.id)).first()
    buyer = world.buyer.id
    return {
        "attachment link": _token(attachment_link),
        "legal link": _token(files.signed_legal_link(document_id)),
        "legal of the buyer's id": _signed(f"legal:{buyer}"),
        "attachment of the buyer's id": _signed(f"attachment:{buyer}"),
        "file of the buyer's id": _signed(f"file:{buyer}"),
        "bare id": _signed(f"{buyer}"),
        "unsubscribe as a suffix": _signed(f"legal:unsubscribe:{buyer}"),
    }


def test_a_download_token_unsubscribes_nobody(world, store, client):
    tokens = _download_tokens(world)
    assert client.get(_path(f"/api/files/{tokens['attachment link']}")).status_code == 200  # genuine downloads
    assert client.get(f"/api/files/{tokens['legal link']}").status_code == 200
    before = _switches(world)
    for name, token in tokens.items():
        for method in ("GET", "POST"):
            response = client.request(method, _route(token), **(ONE_CLICK if method == "POST" else {}))
            assert response.status_code == 404, (name, method)
    assert _switches(world) == before


def test_an_unsubscribe_token_opens_no_file(world, store, client):
    token = _token(unsubscribe_url(world.buyer.id, NOW))
    response = client.get(f"/api/files/{token}")
    assert response.status_code == 404
    assert response.text == files.BAD_LINK
    assert world.buyer.emails_enabled is True
