"""Webhook endpoints: added, listed, removed and enabled again on the developers page by a business's owners and
managers, with each endpoint's delivery log and Resend. Any member may see them; nobody sees a secret twice."""

import base64
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from resolution_app.domain import webhooks as rules
from resolution_app.domain.errors import InvalidInput, NotFound
from resolution_app.domain.ids import is_row_id
from resolution_app.infra.clock import clock
from resolution_app.infra.db import read, transaction
from resolution_app.infra.job_queue import defer_with
from resolution_app.infra.settings import get_settings
from resolution_app.infra.webhook_http import TargetRefused, check_target
from resolution_app.models import User, WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from resolution_app.services.access import ACTING_ROLES, membership
from resolution_app.services.creator.businesses import creator_business
from resolution_app.services.developers.api_keys import managers_business
from resolution_app.services.developers.webhook_events import DELIVER_TASK

SECRET_PREFIX = "whsec_"
MAX_ENDPOINTS = 10
LOG_ROWS = 50
ENDPOINT_NOT_FOUND = "Endpoint not found."


@dataclass(frozen=True)
class NewEndpoint:
    endpoint_id: int
    secret: str  # shown once; the page can't show it again


@dataclass(frozen=True)
class EndpointRow:
    endpoint_id: int
    url: str
    events: list[str]
    events_label: str
    created_at: datetime
    failing_since: datetime | None
    disabled: bool


@dataclass(frozen=True)
class AttemptRow:
    attempt_id: int
    delivery_id: int
    at: datetime
    event_id: str
    event_type: str
    case_id: int
    attempt: int
    status_code: int | None
    latency_ms: int
    error: str
    delivery_status: str


@dataclass(frozen=True)
class WebhooksView:
    endpoints: list[EndpointRow]
    may_manage: bool


def add_endpoint(user: User, url: str, events: list[str]) -> NewEndpoint:
    """A new endpoint, subscribed to `events`; its signing secret is in the answer, and only there."""
    chosen = [kind for kind in rules.EVENT_TYPES if kind in set(events)]
    if not chosen or len(chosen) != len(set(events)):
        raise InvalidInput("Choose at least one of the events.", field="events")
    try:
        checked = check_target(url.strip(), allow_private=get_settings().webhook_allow_private_urls)
    except TargetRefused as refused:
        raise InvalidInput(refused.message, field="url") from None
    # Standard Webhooks secrets are base64 after the prefix: the library decodes them so.
    secret = SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()
    with transaction() as session:
        business = managers_business(session, user)
        live = session.exec(select(func.count()).select_from(WebhookEndpoint).where(*_live(business.id))).one()
        if live >= MAX_ENDPOINTS:
            raise InvalidInput(f"A business has at most {MAX_ENDPOINTS} endpoints. Remove one first.")
        endpoint = WebhookEndpoint(
            business_id=business.id,
            url=checked,
            events=chosen,
            secret=secret,
            created_by_id=user.id,
            created_at=clock.now(),
        )
        session.add(endpoint)
        session.flush()
        return NewEndpoint(endpoint.id, secret)


def _live(business_id: int) -> tuple:
    return (WebhookEndpoint.business_id == business_id, WebhookEndpoint.deleted_at.is_(None))


def webhooks_view(user: User) -> WebhooksView:
    """The business's endpoints, newest first, for any of its members; never their secrets."""
    with read() as session:
        business = creator_business(session, user)
        member = membership(session, user, business.id)
        found = session.exec(select(WebhookEndpoint).where(*_live(business.id)).order_by(WebhookEndpoint.id.desc()))
        rows = [
            EndpointRow(
                endpoint_id=endpoint.id,
                url=endpoint.url,
                events=list(endpoint.events),
                events_label=", ".join(kind.removeprefix("resolution_center_case.") for kind in endpoint.events),
                created_at=endpoint.created_at,
                failing_since=endpoint.failing_since,
                disabled=endpoint.disabled_at is not None,
            )
            for endpoint in found
        ]
        return WebhooksView(endpoints=rows, may_manage=member.role in ACTING_ROLES)


def _business_endpoint(
    session: Session,
    business_id: int,
    endpoint_id: int | None,
    *,
    lock: bool = False,
    missing: str = ENDPOINT_NOT_FOUND,
) -> WebhookEndpoint:
    """The business's live endpoint; NotFound for another business's, as for one that doesn't exist."""
    endpoint = session.get(WebhookEndpoint, endpoint_id, with_for_update=lock) if is_row_id(endpoint_id) else None
    if endpoint is None or endpoint.business_id != business_id or endpoint.deleted_at is not None:
        raise NotFound(missing)
    return endpoint


def _managed_endpoint(session: Session, user: User, endpoint_id: int) -> WebhookEndpoint:
    return _business_endpoint(session, managers_business(session, user).id, endpoint_id, lock=True)


def remove_endpoint(user: User, endpoint_id: int) -> None:
    """Removed at once: nothing more is sent to it. Its log is kept with the events it got."""
    with transaction() as session:
        endpoint = _managed_endpoint(session, user, endpoint_id)
        endpoint.deleted_at = clock.now()
        session.add(endpoint)


def enable_endpoint(user: User, endpoint_id: int) -> None:
    """Switch a disabled endpoint back on; what waited for it is sent again from now."""
    with transaction() as session:
        endpoint = _managed_endpoint(session, user, endpoint_id)
        endpoint.disabled_at, endpoint.failing_since = None, None
        session.add(endpoint)
        waiting = select(WebhookDelivery).where(
            WebhookDelivery.endpoint_id == endpoint.id, WebhookDelivery.status == "pending"
        )
        for delivery in session.exec(waiting):
            delivery.next_attempt_at = clock.now()
            session.add(delivery)
        defer_with(session, DELIVER_TASK)


def delivery_log(user: User, endpoint_id: int) -> list[AttemptRow]:
    """The endpoint's latest tries, newest first, for any member of its business."""
    with read() as session:
        endpoint = _business_endpoint(session, creator_business(session, user).id, endpoint_id)
        found = session.exec(
            select(WebhookAttempt, WebhookDelivery.status, WebhookEvent)
            .join(WebhookDelivery, WebhookDelivery.id == WebhookAttempt.delivery_id)
            .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id)
            .where(WebhookAttempt.endpoint_id == endpoint.id)
            .order_by(WebhookAttempt.at.desc(), WebhookAttempt.id.desc())
            .limit(LOG_ROWS)
        ).all()
        return [
            AttemptRow(
                attempt_id=attempt.id,
                delivery_id=attempt.delivery_id,
                at=attempt.at,
                event_id=sent.message_id,
                event_type=sent.type,
                case_id=sent.case_id,
                attempt=attempt.attempt,
                status_code=attempt.status_code,
                latency_ms=attempt.latency_ms,
                error=attempt.error,
                delivery_status=status,
            )
            for attempt, status, sent in found
        ]


def resend(user: User, delivery_id: int) -> None:
    """Send a delivery again now, with the same webhook-id and payload, and a fresh round of retries."""
    with transaction() as session:
        business = managers_business(session, user)
        delivery = session.get(WebhookDelivery, delivery_id, with_for_update=True) if is_row_id(delivery_id) else None
        endpoint_id = delivery.endpoint_id if delivery else None
        endpoint = _business_endpoint(session, business.id, endpoint_id, missing="Delivery not found.")
        if endpoint.disabled_at is not None:
            raise InvalidInput("This endpoint is disabled. Enable it first.")
        if delivery.status == "sending":
            raise InvalidInput("This delivery is being sent right now.")
        delivery.status, delivery.attempts, delivery.next_attempt_at = "pending", 0, clock.now()
        session.add(delivery)
        defer_with(session, DELIVER_TASK)
