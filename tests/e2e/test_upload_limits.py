"""Reflex's real upload endpoint behind the guard, on the production server: refusals come before the body."""

import socket
import time
from urllib.parse import urlsplit

import httpx
from playwright.sync_api import Page

from resolution_app.api.upload_guard import NOT_SIGNED_IN, TOO_LARGE, TOO_MANY_PARTS, Limits
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.services.accounts import SESSION_COOKIE, SESSION_HEADER
from resolution_app.state.buyer import BuyerCaseState

CAP = Limits.of(DEFAULT_POLICY).body_bytes
BOUNDARY = "----e2eguard"
HANDLER = f"{BuyerCaseState.get_full_name()}.send"  # a real upload handler: the guard stands before it


def _headers(token: str) -> dict[str, str]:
    return {
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
        "Reflex-Client-Token": "e2e-guard",
        "Reflex-Event-Handler": HANDLER,
        SESSION_HEADER: token,
    }


def _files(count: int) -> bytes:
    part = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="a.png"\r\n\r\nx\r\n'
    return (part * count + f"--{BOUNDARY}--\r\n").encode()


def _session(page: Page) -> str:
    return next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == SESSION_COOKIE)


def test_without_a_session_the_upload_is_refused(app_url: str):
    response = httpx.post(f"{app_url}/_upload", content=_files(1), headers=_headers("not-a-session"))
    assert (response.status_code, response.text) == (401, NOT_SIGNED_IN)


def test_more_parts_than_a_submission_are_refused(app_url: str, buyer_page: Page):
    response = httpx.post(f"{app_url}/_upload", content=_files(5), headers=_headers(_session(buyer_page)))
    assert (response.status_code, response.text) == (400, TOO_MANY_PARTS)


def test_a_body_over_the_cap_is_refused_before_a_byte_of_it_is_sent(app_url: str, buyer_page: Page):
    """Only the request's head goes out; the answer comes at once, without waiting for 150 MB that never come."""
    url = urlsplit(app_url)
    head = ["POST /_upload HTTP/1.1", f"Host: {url.netloc}", f"Content-Length: {CAP + 1}"]
    head += [f"{name}: {value}" for name, value in _headers(_session(buyer_page)).items()]
    started = time.monotonic()
    with socket.create_connection((url.hostname, url.port), timeout=10) as connection:
        connection.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        answer = connection.recv(65536).decode()
    assert answer.startswith("HTTP/1.1 413") and answer.endswith(TOO_LARGE)
    assert time.monotonic() - started < 5
