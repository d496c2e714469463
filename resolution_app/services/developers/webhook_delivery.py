"""Sending webhook deliveries, from any number of workers at once, one endpoint never holding up another.

Each endpoint with something due gets a thread of the pool, which claims that endpoint's due deliveries (row locks
with SKIP LOCKED, then a lease) and posts them one after another, oldest first. The first that fails stops the
round for that endpoint: what it did not reach waits for the failed one's retry, so a receiver that is down costs
one request per retry, not one per event. Every try is logged and its outcome kept the moment it is known; a worker
that dies mid-round leaves its deliveries to be claimed again when the lease ends, under the same webhook-id.
"""

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import text, update
from sqlmodel import Session, select
from standardwebhooks import Webhook

from resolution_app.domain import webhooks as rules
from resolution_app.domain.enums import MemberRole, Party
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.infra.clock import clock
from resolution_app.infra.db import read, transaction
from resolution_app.infra.settings import get_settings
from resolution_app.infra.webhook_http import PostResult, post_json
from resolution_app.models import BusinessMember, Notification, WebhookAttempt, WebhookDelivery, WebhookEndpoint

PER_ROUND = 20  # deliveries of one endpoint claimed at a time
PARALLEL = 8  # endpoints sent to at once
LEASE = timedelta(seconds=PER_ROUND * DEFAULT_POLICY.webhook_timeout_seconds + 120)

_DUE = """
    (d.status = 'pending' AND d.next_attempt_at <= :now) OR (d.status = 'sending' AND d.lease_until <= :now)
"""
_ENDPOINTS_DUE = text(
    f"""
    SELECT DISTINCT d.endpoint_id FROM webhook_delivery d JOIN webhook_endpoint e ON e.id = d.endpoint_id
    WHERE ({_DUE}) AND e.disabled_at IS NULL AND e.deleted_at IS NULL
    """
)
_CLAIM = text(
    f"""
    WITH due AS (
        SELECT d.id FROM webhook_delivery d JOIN webhook_endpoint e ON e.id = d.endpoint_id
        WHERE d.endpoint_id = :endpoint AND ({_DUE}) AND e.disabled_at IS NULL AND e.deleted_at IS NULL
        ORDER BY d.event_id
        LIMIT :limit
        FOR UPDATE OF d SKIP LOCKED
    )
    UPDATE webhook_delivery SET status = 'sending', lease_until = :lease_until
    FROM due, webhook_event ev, webhook_endpoint e
    WHERE webhook_delivery.id = due.id AND ev.id = webhook_delivery.event_id AND e.id = webhook_delivery.endpoint_id
    RETURNING webhook_delivery.id, webhook_delivery.attempts, ev.message_id, ev.body, e.url, e.secret
    """
)


@dataclass(frozen=True)
class Claimed:
    delivery_id: int
    endpoint_id: int
    attempts: int  # tries before this one
    message_id: str
    body: str
    url: str
    secret: str
    lease_until: datetime  # the claim's own lease: its outcome is recorded only while the lease is still this one


@dataclass
class Report:
    delivered: int = 0
    retried: int = 0
    failed: int = 0


def deliver_due() -> Report:
    """Send everything due now, each endpoint in its own thread, until nothing due is left."""
    with read() as session:
        endpoints = list(session.execute(_ENDPOINTS_DUE, {"now": clock.now()}).scalars())
    with ThreadPoolExecutor(max_workers=PARALLEL, thread_name_prefix="webhooks") as pool:
        reports = list(pool.map(_deliver_to, endpoints))
    return Report(
        delivered=sum(r.delivered for r in reports),
        retried=sum(r.retried for r in reports),
        failed=sum(r.failed for r in reports),
    )


def _deliver_to(endpoint_id: int) -> Report:
    """Rounds of one endpoint's due deliveries, until none is left or one fails."""
    report = Report()
    while claimed := _claim(endpoint_id, clock.now()):
        for index, delivery in enumerate(claimed):
            if not _send(delivery, report):
                _wait_behind(claimed[index], claimed[index + 1 :])
                return report
    return report


def _claim(endpoint_id: int, now: datetime) -> list[Claimed]:
    lease_until = now + LEASE
    with transaction() as session:
        rows = session.execute(
            _CLAIM, {"endpoint": endpoint_id, "now": now, "limit": PER_ROUND, "lease_until": lease_until}
        ).all()
    found = [
        Claimed(row.id, endpoint_id, row.attempts, row.message_id, row.body, row.url, row.secret, lease_until)
        for row in rows
    ]
    return sorted(found, key=lambda delivery: delivery.delivery_id)


def signed_headers(secret: str, message_id: str, body: str, at: datetime) -> dict[str, str]:
    """The Standard Webhooks headers for one send of `body`."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, at, body),
    }


def _send(delivery: Claimed, report: Report) -> bool:
    # Signed at the wall clock's time, not the app's: the receiver checks the timestamp against its own clock.
    headers = signed_headers(delivery.secret, delivery.message_id, delivery.body, datetime.now(UTC))
    result = post_json(
        delivery.url,
        delivery.body,
        headers,
        allow_private=get_settings().webhook_allow_private_urls,
        timeout_seconds=DEFAULT_POLICY.webhook_timeout_seconds,
    )
    _record(delivery, result, clock.now(), report)
    return result.ok


def _record(delivery: Claimed, result: PostResult, now: datetime, report: Report) -> None:
    """The try in the log, the delivery's outcome and the endpoint's health, in one transaction."""
    attempt = delivery.attempts + 1
    with transaction() as session:
        session.add(
            WebhookAttempt(
                delivery_id=delivery.delivery_id,
                endpoint_id=delivery.endpoint_id,
                attempt=attempt,
                at=now,
                status_code=result.status_code,
                latency_ms=result.latency_ms,
                error=(result.error or "")[:300],
            )
        )
        if result.ok:
            values = {"status": "delivered", "delivered_at": now}
            report.delivered += 1
        elif (retry_at := rules.delivery_retry_at(attempt, now)) is not None:
            values = {"status": "pending", "next_attempt_at": retry_at}
            report.retried += 1
        else:
            values = {"status": "failed"}
            report.failed += 1
        _while_ours(session, [delivery], attempts=attempt, **values)
        _keep_health(session, delivery.endpoint_id, result.ok, now)


def _wait_behind(failed: Claimed, unreached: Iterable[Claimed]) -> None:
    """What a failure kept from being tried waits for the failed delivery's next try (or the first pause)."""
    unreached = list(unreached)
    if not unreached:
        return
    with read() as session:
        retry = session.exec(select(WebhookDelivery.next_attempt_at).where(WebhookDelivery.id == failed.delivery_id))
        retry_at = max(retry.one(), clock.now() + DEFAULT_POLICY.webhook_retry_pauses[0])
        _while_ours(session, unreached, status="pending", next_attempt_at=retry_at)


def _while_ours(session: Session, deliveries: list[Claimed], **values: object) -> None:
    """Only while the claim is still ours: a worker stalled past its lease may find a delivery taken over."""
    for delivery in deliveries:
        session.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.id == delivery.delivery_id,
                WebhookDelivery.status == "sending",
                WebhookDelivery.lease_until == delivery.lease_until,
            )
            .values(lease_until=None, **values)
        )


def _keep_health(session: Session, endpoint_id: int, ok: bool, now: datetime) -> None:
    """A success clears the endpoint's failing streak; a streak of the policy's days turns it off, owners told."""
    endpoint = session.get(WebhookEndpoint, endpoint_id, with_for_update=True)
    if ok:
        endpoint.failing_since = None
    else:
        endpoint.failing_since = endpoint.failing_since or now
        if endpoint.disabled_at is None and rules.should_disable(endpoint.failing_since, now):
            endpoint.disabled_at = now
            _tell_owners(session, endpoint, now)
    session.add(endpoint)


def _tell_owners(session: Session, endpoint: WebhookEndpoint, now: datetime) -> None:
    owners = session.exec(
        select(BusinessMember.user_id).where(
            BusinessMember.business_id == endpoint.business_id, BusinessMember.role == MemberRole.OWNER
        )
    )
    days = DEFAULT_POLICY.webhook_disable_after.days
    for user_id in owners:
        session.add(
            Notification(
                user_id=user_id,
                party=Party.CREATOR,
                kind=rules.ENDPOINT_DISABLED,
                title="A webhook endpoint was turned off",
                body=f"Every delivery to {endpoint.url} failed for {days} days, so nothing more is sent to it. "
                "Fix the receiver, then enable the endpoint in Settings → Developers; what waited is sent then.",
                created_at=now,
            )
        )
