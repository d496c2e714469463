"""Real SMTP servers for the mail tests: an aiosmtpd that records what it receives and can be told to refuse, one
that accepts connections and never says a word, and a port where nothing listens.

    with SmtpServer() as server:                # smtp://127.0.0.1:<port>
        server.answer_next("RCPT", "451 4.3.0 Try again later")
        ...
        server.received                          # every message taken, in order
"""

import asyncio
import email
import email.policy
import socket
import ssl
import subprocess
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Received:
    """One message the server took: the envelope and the bytes exactly as they came."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    tls: bool  # it came over a TLS connection (STARTTLS or implicit)
    login: str | None  # the user the client logged in as, if it did
    at: float  # time.time() on arrival

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.data, policy=email.policy.default)

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])


class RecordingHandler:
    """The aiosmtpd handler: records every message, and answers the next RCPT or DATA commands as told."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay  # seconds each message takes to be accepted, as a real server's checks would
        self.received: list[Received] = []
        self._replies: dict[str, deque[str]] = {"RCPT": deque(), "DATA": deque()}
        self._lock = threading.Lock()

    def answer_next(self, command: str, reply: str, times: int = 1) -> None:
        """The next `times` RCPT (or DATA) commands get `reply` (e.g. "451 4.3.0 Try later") instead of 250."""
        with self._lock:
            self._replies[command].extend([reply] * times)

    def _told(self, command: str) -> str | None:
        with self._lock:
            return self._replies[command].popleft() if self._replies[command] else None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:  # noqa: N802 (aiosmtpd's)
        reply = self._told("RCPT")
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's)
        reply = self._told("DATA")
        if reply:
            return reply
        if self.delay:
            await asyncio.sleep(self.delay)
        with self._lock:
            self.received.append(
                Received(
                    mail_from=envelope.mail_from,
                    rcpt_tos=list(envelope.rcpt_tos),
                    data=envelope.original_content,
                    tls=session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None,
                    login=session.auth_data if session.authenticated else None,
                    at=time.time(),
                )
            )
        return "250 2.0.0 Message accepted for delivery"


class SmtpServer:
    """An aiosmtpd server on 127.0.0.1 and a free port, in a thread of its own.

    `tls_context`: STARTTLS is offered (and, with `require_tls`, needed before MAIL). `implicit_tls`: TLS from the
    first byte (smtps). `logins`: {user: password} the server accepts, and then requires. `delay`: seconds each
    message takes to be accepted.
    """

    def __init__(
        self,
        *,
        tls_context: ssl.SSLContext | None = None,
        require_tls: bool = False,
        implicit_tls: bool = False,
        logins: dict[str, str] | None = None,
        delay: float = 0.0,
    ) -> None:
        self.handler = RecordingHandler(delay)
        self.port = free_port()
        parameters: dict[str, Any] = {"server_hostname": "rc-test-smtp", "data_size_limit": 0}
        if tls_context is not None and not implicit_tls:
            parameters.update(tls_context=tls_context, require_starttls=require_tls)
        if logins is not None:
            parameters.update(authenticator=_Authenticator(logins), auth_required=True)
        self.controller = Controller(
            self.handler,
            hostname=HOST,
            port=self.port,
            ssl_context=tls_context if implicit_tls else None,
            **parameters,
        )
        self.scheme = "smtps" if implicit_tls else "smtp"

    @property
    def url(self) -> str:
        return f"{self.scheme}://{HOST}:{self.port}"

    @property
    def received(self) -> list[Received]:
        with self.handler._lock:
            return list(self.handler.received)

    def answer_next(self, command: str, reply: str, times: int = 1) -> None:
        self.handler.answer_next(command, reply, times)

    def to(self, address: str) -> list[Received]:
        return [message for message in self.received if address in message.rcpt_tos]

    def message_ids(self) -> list[str]:
        return [message.message_id for message in self.received]

    def clear(self) -> None:
        with self.handler._lock:
            self.handler.received.clear()

    def __enter__(self) -> "SmtpServer":
        self.controller.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.controller.stop()


class _Authenticator:
    def __init__(self, logins: dict[str, str]) -> None:
        self.logins = logins

    def __call__(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            user, password = auth_data.login.decode(), auth_data.password.decode()
            if self.logins.get(user) == password:
                return AuthResult(success=True, auth_data=user)
        return AuthResult(success=False, handled=False)


class HungServer:
    """Accepts every connection and never answers: not even the greeting. Each connection is held until the end."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind((HOST, 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        return f"smtp://{HOST}:{self.port}"

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:  # closed: the test is over
                return
            self.connections.append(connection)

    def __enter__(self) -> "HungServer":
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        self._thread.join(timeout=5)
        for connection in self.connections:
            connection.close()


@contextmanager
def refusing_port() -> Iterator[str]:
    """smtp:// to a port that is bound but not listening: every connection is refused at once, and the port can't
    be taken by anything else while the block runs."""
    with socket.socket() as held:
        held.bind((HOST, 0))
        yield f"smtp://{HOST}:{held.getsockname()[1]}"


@dataclass
class SelfSignedCertificate:
    """A certificate for 127.0.0.1, made with the openssl command line; `cert` is what a client must trust."""

    cert: Path
    key: Path

    @classmethod
    def make(cls, folder: Path) -> "SelfSignedCertificate":
        cert, key = folder / "cert.pem", folder / "key.pem"
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
                "-keyout",
                str(key),
                "-out",
                str(cert),
            ],
            check=True,
            capture_output=True,
        )
        return cls(cert, key)

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context
