"""The guard in front of Reflex's upload endpoint refuses, before the body is parsed: no session, a declared size
over the cap, and, while the body streams in, too many bytes or too many parts. What passes reaches Reflex whole.

The app behind it here parses the form the way Reflex's endpoint does; tests/e2e check the real one.
"""

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from resolution_app.api.upload_guard import NOT_SIGNED_IN, TOO_LARGE, TOO_MANY_PARTS, Limits, UploadGuard
from resolution_app.domain.policy import Policy
from resolution_app.services import accounts
from resolution_app.services.demo_data import DEMO_PASSWORD

POLICY = Policy(max_files_per_submission=3, max_file_bytes=4096)
CAP = Limits.of(POLICY).body_bytes
BOUNDARY = "----guardtest"
parsed: list[int] = []  # how many files the app behind the guard parsed, per request that reached it


async def reflex_like_upload(request: Request) -> Response:
    try:
        form = await request.form()
    except ClientDisconnect:
        return Response()  # what Reflex answers when the body stops coming
    parsed.append(len(form.getlist("files")))
    return PlainTextResponse("parsed")


guarded = UploadGuard(Starlette(routes=[Route("/_upload", reflex_like_upload, methods=["POST"])]), POLICY)


def _multipart(files: int, size: int = 10) -> bytes:
    parts = [f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="__reflex_event_args"\r\n\r\n{{}}\r\n']
    parts += [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="f{number}.png"\r\n'
        f"Content-Type: image/png\r\n\r\n{'x' * size}\r\n"
        for number in range(files)
    ]
    return ("".join(parts) + f"--{BOUNDARY}--\r\n").encode()


async def _in_chunks(body: bytes, size: int) -> AsyncIterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


def _post(body, token: str | None, **headers: str) -> httpx.Response:
    headers = {"content-type": f"multipart/form-data; boundary={BOUNDARY}", **headers}
    if token is not None:
        headers[accounts.SESSION_HEADER] = token

    async def send() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=guarded), base_url="http://app") as client:
            return await client.post("/_upload", content=body, headers=headers)

    return asyncio.run(send())


@pytest.fixture
def token(world) -> str:
    parsed.clear()
    return accounts.log_in("buyer@example.com", DEMO_PASSWORD).token


def test_three_files_within_the_cap_reach_the_app(token):
    response = _post(_multipart(3), token)
    assert (response.status_code, response.text, parsed) == (200, "parsed", [3])


@pytest.mark.parametrize("session", [None, "", "not-a-session"])
def test_no_valid_session_is_refused_before_the_body_is_read(token, session):
    response = _post(_multipart(1), session)
    assert (response.status_code, response.text, parsed) == (401, NOT_SIGNED_IN, [])


def test_a_session_that_was_revoked_is_refused(token):
    accounts.log_out(token)
    assert _post(_multipart(1), token).status_code == 401


def test_a_declared_length_over_the_cap_is_refused_before_the_body_is_read(token):
    response = _post(_multipart(1), token, **{"content-length": str(CAP + 1)})
    assert (response.status_code, response.text, parsed) == (413, TOO_LARGE, [])


def test_a_streamed_body_that_grows_past_the_cap_is_cut_off(token):
    body = _multipart(3, size=CAP // 3 + 1)  # no Content-Length: only counting the bytes finds it
    response = _post(_in_chunks(body, 1000), token)
    assert (response.status_code, response.text, parsed) == (413, TOO_LARGE, [])


@pytest.mark.parametrize("chunk_size", [7, 64, 100_000])  # delimiters split across chunks count too
def test_more_parts_than_a_submission_has_are_refused(token, chunk_size):
    response = _post(_in_chunks(_multipart(4), chunk_size), token)
    assert (response.status_code, response.text, parsed) == (400, TOO_MANY_PARTS, [])
    assert _post(_in_chunks(_multipart(3), chunk_size), token).status_code == 200


def test_a_body_that_is_no_multipart_form_is_refused(token):
    response = _post(b"{}", token, **{"content-type": "application/json"})
    assert (response.status_code, parsed) == (400, [])
