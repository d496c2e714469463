"""What a business's own tools use to reach its cases: API keys, their limits and idempotent writes, and webhooks."""

from datetime import datetime

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from resolution_app.domain.enums import ApiScope
from resolution_app.models.base import UTCDateTime


class ApiKey(SQLModel, table=True):
    """A bearer key of one business. Only its sha256 is kept: the key itself is shown once, when it is made."""

    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    name: str = Field(sa_type=String(80))
    scope: ApiScope = Field(sa_type=String(20))
    key_hash: str = Field(sa_type=String(64), unique=True)
    shown_prefix: str = Field(sa_type=String(16))  # the key's first characters, so people can tell their keys apart
    created_by_id: int = Field(foreign_key="user.id")  # the key acts with this member's rights, never more
    created_at: datetime = Field(sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ApiRequestCount(SQLModel, table=True):
    """Requests per key per minute: the rate limit, held in the database so that it holds across workers."""

    __tablename__ = "api_request_count"

    api_key_id: int = Field(foreign_key="api_key.id", primary_key=True)
    window_start: datetime = Field(sa_type=UTCDateTime, primary_key=True, index=True)
    requests: int = 0


class IdempotentRequest(SQLModel, table=True):
    """A write made with an Idempotency-Key: its repeats get the first answer instead of acting again."""

    __tablename__ = "api_idempotent_request"
    __table_args__ = (UniqueConstraint("api_key_id", "idempotency_key"),)

    id: int | None = Field(default=None, primary_key=True)
    api_key_id: int = Field(foreign_key="api_key.id")
    idempotency_key: str = Field(sa_type=String(255))
    request_hash: str = Field(sa_type=String(64))  # of the method, path and body: another body is refused
    status_code: int | None = None  # None while the first request is still being answered
    response_body: str | None = Field(default=None, sa_type=Text)  # as sent: a repeat gets the same bytes
    created_at: datetime = Field(sa_type=UTCDateTime, index=True)


class WebhookEndpoint(SQLModel, table=True):
    """Where a business wants its case events POSTed. The secret is kept as it is: signing each delivery needs it."""

    __tablename__ = "webhook_endpoint"

    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    url: str = Field(sa_type=String(2000))
    events: list[str] = Field(sa_type=JSONB)
    secret: str = Field(sa_type=String(100))
    created_by_id: int = Field(foreign_key="user.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    failing_since: datetime | None = Field(default=None, sa_type=UTCDateTime)  # the first failure since a success
    disabled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WebhookEvent(SQLModel, table=True):
    """One event, written in the transaction of the change it tells of; its body is fixed then, byte for byte, so
    every delivery and retry sends the same payload under the same webhook-id."""

    __tablename__ = "webhook_event"

    id: int | None = Field(default=None, primary_key=True)
    message_id: str = Field(sa_type=String(40), unique=True)  # the webhook-id header
    business_id: int = Field(foreign_key="business.id")
    case_id: int = Field(foreign_key="case.id", index=True)
    type: str = Field(sa_type=String(60))
    body: str = Field(sa_type=Text)
    created_at: datetime = Field(sa_type=UTCDateTime)


class WebhookDelivery(SQLModel, table=True):
    """One event to one endpoint: "pending" → "sending" (leased by a worker) → "delivered" | "failed"."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (Index("ix_webhook_delivery_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="webhook_event.id", index=True)
    endpoint_id: int = Field(foreign_key="webhook_endpoint.id", index=True)
    status: str = Field(default="pending", sa_type=String(10))
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=UTCDateTime)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WebhookAttempt(SQLModel, table=True):
    """The delivery log: each try, with what the receiver answered and how long it took."""

    __tablename__ = "webhook_attempt"
    __table_args__ = (Index("ix_webhook_attempt_endpoint_at", "endpoint_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="webhook_delivery.id", index=True)
    endpoint_id: int = Field(foreign_key="webhook_endpoint.id")
    attempt: int
    at: datetime = Field(sa_type=UTCDateTime)
    status_code: int | None = None
    latency_ms: int
    error: str = Field(default="", sa_type=String(300))
