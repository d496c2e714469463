"""The transactional outbox: a row per person to tell, written in the same transaction as the change it is about
(delivering them is the notifications issue's work; nothing sends them yet)."""

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlmodel import Field, SQLModel

from resolution_app.models.base import UTCDateTime


class Notification(SQLModel, table=True):
    __table_args__ = (Index("ix_notification_email_due", "email_status", "email_next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    case_id: int | None = Field(default=None, foreign_key="case.id", index=True)
    kind: str = Field(sa_type=String(40))
    title: str = Field(sa_type=String(200))
    body: str = Field(sa_type=Text)
    created_at: datetime = Field(sa_type=UTCDateTime)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # "pending" → "sent" | "skipped" (emails off) | "failed" (gave up after retries)
    email_status: str = Field(default="pending", sa_type=String(10))
    email_attempts: int = 0
    email_next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    email_sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    email_last_error: str = Field(default="", sa_type=String(500))
