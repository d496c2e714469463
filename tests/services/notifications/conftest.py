"""A real SMTP server for every mail test, and the demo world with the emails its seeding queued already out."""

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from resolution_app.infra import mail
from resolution_app.infra.db import transaction
from tests.services.notifications.smtp_server import SmtpServer

SMTP_TIMEOUT_SECONDS = 2.0  # per SMTP step; the local server answers in milliseconds


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """An aiosmtpd server that records what it takes; the app sends to it."""
    with SmtpServer() as server:
        mail.use_mailer(mail.SmtpMailer(server.url, timeout=SMTP_TIMEOUT_SECONDS))
        try:
            yield server
        finally:
            mail.use_mailer(None)


def send_through(url: str, timeout: float = SMTP_TIMEOUT_SECONDS) -> None:
    """From now on the app sends to `url` (another server, or none); the fixture's teardown resets it."""
    mail.use_mailer(mail.SmtpMailer(url, timeout=timeout))


@pytest.fixture
def mail_world(world, smtp):
    """The demo world, whose seeding queued emails for its own cases: those count as sent long ago, so each test
    sees only the emails its own steps queue."""
    with transaction() as session:
        seeded = session.execute(
            text("UPDATE outbound_email SET status = 'sent', sent_at = not_before WHERE status = 'pending'")
        ).rowcount
    assert seeded, "the seeded world's cases should have queued emails"
    return world
