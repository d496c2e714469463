"""Sending the emails of the outbox, from any number of workers at once.

A worker claims a batch of due emails (row locks with SKIP LOCKED, then a lease: claimed rows are "sending" until it
runs out), sends them over one connection and records each outcome as soon as it is known. A worker that dies
mid-batch leaves its emails to be claimed again when the lease ends; only the email it was sending then can go out
twice, with the same Message-ID.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import text, update
from sqlmodel import Session, select

from resolution_app.domain.money import format_money
from resolution_app.domain.notifications import email_retry_at
from resolution_app.infra.clock import clock
from resolution_app.infra.db import read, transaction
from resolution_app.infra.mail import MailConnection, PermanentFailure, TemporaryFailure, get_mailer
from resolution_app.models import Case, Notification, OutboundEmail, Payment, Product, User
from resolution_app.services.notifications.email_content import EmailFacts, Item, render
from resolution_app.services.notifications.preferences import unsubscribe_url

BATCH = 50
LEASE = timedelta(minutes=10)  # far longer than a batch takes; a hung server fails its first email within seconds

_CLAIM = text(
    """
    WITH due AS (
        SELECT id FROM outbound_email
        WHERE (status = 'pending' AND next_attempt_at <= :now) OR (status = 'sending' AND lease_until <= :now)
        ORDER BY next_attempt_at
        LIMIT :limit
        FOR UPDATE SKIP LOCKED
    )
    UPDATE outbound_email SET status = 'sending', lease_until = :lease_until, attempts = attempts + 1
    FROM due WHERE outbound_email.id = due.id
    RETURNING outbound_email.id
    """
)


@dataclass(frozen=True)
class Claimed:
    email_id: int
    attempts: int
    created_at: datetime
    lease_until: datetime  # the claim's own lease: its outcome is recorded only while the lease is still this one
    facts: EmailFacts


@dataclass
class Report:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0


def deliver_due(batch: int = BATCH) -> Report:
    """Send every email that is due now, batch after batch, until none is left or the server stops taking them."""
    report = Report()
    while True:
        claimed = _claim(clock.now(), batch, report)
        if claimed is None:
            return report
        with get_mailer().connect() as connection:
            if not _send_all(connection, claimed, report):
                return report  # the server is away: the rest waits for its retry time


def _send_all(connection: MailConnection, claimed: list[Claimed], report: Report) -> bool:
    """Send a claimed batch; False when the connection was lost (everything not yet sent is retried later)."""
    for index, email in enumerate(claimed):
        try:
            envelope = render(email.facts)
        except ValueError as error:  # an address no header can hold: no server would ever take it
            _record_failure(email, f"The recipient's address can't be used: {error}", report)
            continue
        try:
            connection.send(envelope)
        except PermanentFailure as failure:
            _record_failure(email, failure.reason, report)
        except TemporaryFailure as failure:
            _record_retry(email, failure.reason, report)
            if failure.connection_lost:
                for waiting in claimed[index + 1 :]:
                    _record_retry(waiting, f"Not tried: {failure.reason}", report)
                return False
        else:
            _record(email, status="sent", sent_at=clock.now(), last_error="")
            report.sent += 1
    return True


def _claim(now: datetime, limit: int, report: Report) -> list[Claimed] | None:
    """The next batch, claimed; None when nothing is due. Emails of people who turned emails off are skipped."""
    with transaction() as session:
        lease_until = now + LEASE
        ids = list(session.execute(_CLAIM, {"now": now, "limit": limit, "lease_until": lease_until}).scalars())
        if not ids:
            return None
        claimed = _facts(session, ids, lease_until)
        skipped = set(ids) - {email.email_id for email in claimed}
        if skipped:
            session.execute(
                update(OutboundEmail)
                .where(OutboundEmail.id.in_(skipped))
                .values(status="skipped", lease_until=None, last_error="Resolution Center emails are off.")
            )
            report.skipped += len(skipped)
        return claimed


def _facts(session: Session, ids: list[int], lease_until: datetime) -> list[Claimed]:
    emails = session.exec(
        select(OutboundEmail, User).join(User, User.id == OutboundEmail.user_id).where(OutboundEmail.id.in_(ids))
    ).all()
    items: dict[int, list[Notification]] = {}
    for notification in session.exec(
        select(Notification).where(Notification.email_id.in_(ids)).order_by(Notification.created_at, Notification.id)
    ):
        items.setdefault(notification.email_id, []).append(notification)
    case_ids = {email.case_id for email, _ in emails}
    cases = {
        case_id: (product, format_money(amount, currency))
        for case_id, amount, currency, product in session.exec(
            select(Case.id, Case.amount_minor, Case.currency, Product.name)
            .join(Payment, Payment.id == Case.payment_id)
            .join(Product, Product.id == Payment.product_id)
            .where(Case.id.in_(case_ids))
        )
    }
    claimed = []
    for email, user in sorted(emails, key=lambda row: row[0].id):
        notifications = items.get(email.id)
        if not user.emails_enabled or not notifications:
            continue
        product, amount = cases[email.case_id]
        facts = EmailFacts(
            message_id=email.message_id,
            created_at=email.created_at,
            name=user.name,
            address=user.email,
            party=notifications[-1].party,
            case_id=email.case_id,
            product=product,
            amount=amount,
            items=[Item(n.kind, n.title, n.status_label, n.body, n.author) for n in notifications],
            unsubscribe_url=unsubscribe_url(user.id, email.created_at),
        )
        claimed.append(Claimed(email.id, email.attempts, email.created_at, lease_until, facts))  # tries: from _CLAIM
    return claimed


def _record_retry(email: Claimed, reason: str, report: Report) -> None:
    now = clock.now()
    retry_at = email_retry_at(email.attempts, email.created_at, now)
    if retry_at is None:
        _record_failure(email, f"Gave up after {email.attempts} tries; the last: {reason}", report)
        return
    _record(email, status="pending", next_attempt_at=retry_at, last_error=reason)
    report.retried += 1


def _record_failure(email: Claimed, reason: str, report: Report) -> None:
    _record(email, status="failed", last_error=reason[:500])
    report.failed += 1


def _record(email: Claimed, **values: object) -> None:
    """One statement, committed at once: the outcome is kept the moment it is known. Only while the claim is still
    ours: a worker stalled past its lease may find the email taken over by another, whose outcome counts."""
    with read() as session:
        session.execute(
            update(OutboundEmail)
            .where(
                OutboundEmail.id == email.email_id,
                OutboundEmail.status == "sending",
                OutboundEmail.lease_until == email.lease_until,
            )
            .values(lease_until=None, **values)
        )
