"""A guard in front of Reflex's upload endpoint: nothing is parsed or spooled before it knows who is sending
and while the body stays within what one submission may hold.

Reflex parses a multipart body in full (to disk past 1 MB, up to 1,000 parts) before any handler runs, so the
handlers' own checks come too late to protect the server. This middleware refuses, before Reflex reads a byte:
a request without a valid session (401) and a declared length over the cap (413); and while the body streams
in: more bytes than the cap (413) or more parts than a submission has (400).
"""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from python_multipart.multipart import parse_options_header
from reflex.config import get_config
from reflex.constants import Endpoint
from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from resolution_app.domain.policy import DEFAULT_POLICY, MB, Policy
from resolution_app.services import accounts

BODY_MARGIN_BYTES = 1 * MB  # multipart headers and the handler's arguments, beside the files themselves
TOO_LARGE = "This upload is larger than a submission may be."
TOO_MANY_PARTS = "This upload has more parts than a submission may have."
NOT_SIGNED_IN = "Log in to upload files."


@dataclass(frozen=True)
class Limits:
    body_bytes: int
    parts: int

    @classmethod
    def of(cls, policy: Policy) -> "Limits":
        files = policy.max_files_per_submission
        # One part per file and one for Reflex's field of handler arguments.
        return cls(body_bytes=files * policy.max_file_bytes + BODY_MARGIN_BYTES, parts=files + 1)


class UploadGuard:
    def __init__(self, app: ASGIApp, policy: Policy = DEFAULT_POLICY) -> None:
        self.app = app
        self.limits = Limits.of(policy)
        self.path = get_config().prepend_backend_path(str(Endpoint.UPLOAD))  # where Reflex serves uploads

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        refusal = await self._refusal_up_front(headers)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        body = BoundedBody(receive, self.limits, _boundary(headers))
        await self.app(scope, body.receive, body.unless_refused(send))
        if body.refusal is not None and not body.response_started:
            await body.refusal(scope, receive, send)

    async def _refusal_up_front(self, headers: Headers) -> PlainTextResponse | None:
        length = headers.get("content-length", "")
        if length and (not length.isdigit() or int(length) > self.limits.body_bytes):
            return PlainTextResponse(TOO_LARGE, status_code=413)
        if not _boundary(headers):
            return PlainTextResponse("An upload is sent as multipart/form-data.", status_code=400)
        token = headers.get(accounts.SESSION_HEADER, "")
        if not token or await asyncio.to_thread(accounts.viewer_for_token, token) is None:
            return PlainTextResponse(NOT_SIGNED_IN, status_code=401)
        return None


class BoundedBody:
    """The request body as the app reads it, cut off (as if the client had gone) once it breaks a limit."""

    def __init__(self, receive: Receive, limits: Limits, boundary: bytes) -> None:
        self._receive, self._limits = receive, limits
        self._delimiter = b"--" + boundary
        self._tail = b""  # the last bytes of the previous chunk, so a delimiter split across chunks still counts
        self._bytes = self._delimiters = 0
        self.refusal: PlainTextResponse | None = None
        self.response_started = False

    async def receive(self) -> Message:
        if self.refusal is not None:
            return {"type": "http.disconnect"}
        message = await self._receive()
        if message["type"] == "http.request":
            self._count(message.get("body", b""))
            if self.refusal is not None:
                return {"type": "http.disconnect"}  # Reflex then gives up on the body without parsing any more
        return message

    def _count(self, chunk: bytes) -> None:
        self._bytes += len(chunk)
        window = self._tail + chunk
        self._delimiters += window.count(self._delimiter)
        self._tail = window[-(len(self._delimiter) - 1) :]
        if self._bytes > self._limits.body_bytes:
            self.refusal = PlainTextResponse(TOO_LARGE, status_code=413)
        elif self._delimiters > self._limits.parts + 1:  # n parts have n delimiters and a closing one
            self.refusal = PlainTextResponse(TOO_MANY_PARTS, status_code=400)

    def unless_refused(self, send: Send) -> Callable[[Message], Awaitable[None]]:
        """`send`, except for what the app answers to a body it was refused: the refusal goes out instead."""

        async def guarded(message: Message) -> None:
            if self.refusal is not None and not self.response_started:
                return
            self.response_started = True
            await send(message)

        return guarded


def _boundary(headers: Headers) -> bytes:
    kind, parameters = parse_options_header(headers.get("content-type", ""))
    return parameters.get(b"boundary", b"") if kind == b"multipart/form-data" else b""
