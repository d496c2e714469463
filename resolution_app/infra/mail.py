"""Sending email: over SMTP (`SMTP_URL`), or, by default, as `.eml` files under `DATA_DIR/mail/`.

Both are handed the same bytes. A failure is either temporary (the server is down, slow, or answers 4xx: try again
later) or permanent (5xx: this message or address will never be taken; record it and stop).
"""

import os
import smtplib
import ssl
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from resolution_app.infra.settings import get_settings


class MailFailure(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason[:500]


class TemporaryFailure(MailFailure):
    """Try again later. `connection_lost`: nothing more can go over this connection."""

    def __init__(self, reason: str, *, connection_lost: bool = False) -> None:
        super().__init__(reason)
        self.connection_lost = connection_lost


class PermanentFailure(MailFailure):
    """The server will never take this message."""


@dataclass(frozen=True)
class Envelope:
    sender: str  # the bare address, for MAIL FROM
    recipient: str
    message_id: str
    data: bytes  # the whole message, headers and body, CRLF line ends


class MailConnection(Protocol):
    def send(self, envelope: Envelope) -> None: ...


class Mailer(Protocol):
    def connect(self) -> AbstractContextManager[MailConnection]: ...


class FileMailer:
    """Each email as `<message-id>.eml`: a repeat of the same email replaces its file, never adds one."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @contextmanager
    def connect(self) -> Iterator["FileMailer"]:
        self.folder.mkdir(parents=True, exist_ok=True)
        yield self

    def send(self, envelope: Envelope) -> None:
        name = "".join(char for char in envelope.message_id if char.isalnum() or char in "-_.@") + ".eml"
        descriptor, temporary = tempfile.mkstemp(dir=self.folder, suffix=".part")
        with os.fdopen(descriptor, "wb") as file:
            file.write(envelope.data)
        os.replace(temporary, self.folder / name)  # whole or not at all


class SmtpMailer:
    """`smtp://user:password@host:port` (STARTTLS when the server offers it) or `smtps://…` (TLS from the start)."""

    def __init__(self, url: str, timeout: float) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("SMTP_URL must look like smtp://user:password@host:port or smtps://…")
        self.implicit_tls = parts.scheme == "smtps"
        self.host, self.port = parts.hostname, parts.port or (465 if self.implicit_tls else 587)
        self.user, self.password = unquote(parts.username or ""), unquote(parts.password or "")
        self.timeout = timeout

    @contextmanager
    def connect(self) -> Iterator["_SmtpConnection"]:
        connection = _SmtpConnection(self)
        try:
            yield connection
        finally:
            connection.close()


class _SmtpConnection:
    """Opened at the first email, so a batch with nothing to send never dials the server."""

    def __init__(self, mailer: SmtpMailer) -> None:
        self.mailer = mailer
        self.smtp: smtplib.SMTP | None = None

    def send(self, envelope: Envelope) -> None:
        try:
            if self.smtp is None:
                self.smtp = self._open()
            refused = self.smtp.sendmail(envelope.sender, [envelope.recipient], envelope.data)
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()))
            raise _by_code(code, reply) from None
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
            raise _by_code(error.smtp_code, error.smtp_error) from None
        except smtplib.SMTPAuthenticationError as error:
            # The account is wrong, not the email: it goes once the settings are put right.
            raise TemporaryFailure(f"SMTP login refused: {_text(error.smtp_error)}", connection_lost=True) from None
        except smtplib.SMTPResponseException as error:  # a greeting or handshake refused
            self.smtp = None
            raise _by_code(error.smtp_code, error.smtp_error, connection_lost=True) from None
        except (OSError, smtplib.SMTPException) as error:  # refused, unreachable, timed out, hung up, TLS failed
            self.smtp = None
            raise TemporaryFailure(f"{type(error).__name__}: {error}".rstrip(": "), connection_lost=True) from None
        if refused:
            code, reply = next(iter(refused.values()))
            raise _by_code(code, reply)

    def _open(self) -> smtplib.SMTP:
        mailer = self.mailer
        # A context only for TLS: made afresh (it reads the system's CAs, or SSL_CERT_FILE), it costs ~25 ms of CPU.
        if mailer.implicit_tls:
            context = ssl.create_default_context()
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(mailer.host, mailer.port, timeout=mailer.timeout, context=context)
        else:
            smtp = smtplib.SMTP(mailer.host, mailer.port, timeout=mailer.timeout)
        try:
            smtp.ehlo()
            if not mailer.implicit_tls and smtp.has_extn("starttls"):
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if mailer.user:
                smtp.login(mailer.user, mailer.password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _by_code(code: int, reply: bytes | str, *, connection_lost: bool = False) -> MailFailure:
    reason = f"{code} {_text(reply)}"
    if 500 <= code < 600:
        return PermanentFailure(reason)
    return TemporaryFailure(reason, connection_lost=connection_lost)


_override: list[Mailer] = []


def use_mailer(mailer: Mailer | None) -> None:
    """Send through another mailer (tests, the benchmark)."""
    _override.clear()
    if mailer is not None:
        _override.append(mailer)


def get_mailer() -> Mailer:
    if _override:
        return _override[0]
    settings = get_settings()
    if settings.smtp_url:
        return SmtpMailer(settings.smtp_url, settings.smtp_timeout_seconds)
    return FileMailer(settings.data_dir / "mail")
