"""The transactional outbox: what each person is told, written in the same transaction as the change it is about.

A `Notification` is the in-app line in someone's bell; it always exists. An `OutboundEmail` is the email about one
or more of them (chat messages are gathered into one digest); the delivery job sends it and records the outcome.
"""

from datetime import datetime

from sqlalchemy import Index, String, Text, text
from sqlmodel import Field, SQLModel

from resolution_app.domain.enums import Party
from resolution_app.models.base import UTCDateTime


class OutboundEmail(SQLModel, table=True):
    __tablename__ = "outbound_email"
    __table_args__ = (
        Index("ix_outbound_email_due", "status", "next_attempt_at"),
        # One open digest per person and case: the next chat message joins it instead of making another email.
        Index(
            "ux_outbound_email_open_digest",
            "user_id",
            "case_id",
            unique=True,
            postgresql_where=text("kind = 'digest' AND status = 'pending'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    case_id: int | None = Field(default=None, foreign_key="case.id", index=True)
    kind: str = Field(sa_type=String(10))  # "single" (one notification) | "digest" (chat messages)
    message_id: str = Field(sa_type=String(200), unique=True)  # the Message-ID header: a repeat is the same mail
    created_at: datetime = Field(sa_type=UTCDateTime)
    not_before: datetime = Field(sa_type=UTCDateTime)  # a digest waits for its window; other emails go at once
    # "pending" → "sending" (claimed by a worker until lease_until) → "sent" | "failed" | "skipped" (emails off)
    status: str = Field(default="pending", sa_type=String(10))
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=UTCDateTime)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str = Field(default="", sa_type=String(500))


class Notification(SQLModel, table=True):
    __table_args__ = (
        Index("ix_notification_user_created", "user_id", "created_at"),
        Index("ix_notification_unread", "user_id", postgresql_where=text("read_at IS NULL")),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id")
    case_id: int | None = Field(default=None, foreign_key="case.id", index=True)
    party: Party = Field(sa_type=String(20))  # the recipient's side in the case: it picks the portal the link opens
    kind: str = Field(sa_type=String(40))  # "opened", a CaseAction value, "message", "reminder"
    title: str = Field(sa_type=String(200))
    status_label: str = Field(default="", sa_type=String(80))  # the case's status just after the change
    body: str = Field(default="", sa_type=Text)  # the words that came with it (a statement, a rationale, a message)
    author: str = Field(default="", sa_type=String(40))  # whose words: "The buyer", "The platform" …
    created_at: datetime = Field(sa_type=UTCDateTime)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    email_id: int | None = Field(default=None, foreign_key="outbound_email.id", index=True)
