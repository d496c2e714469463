"""People, their sessions and sign-in throttling."""

from datetime import datetime

from sqlalchemy import Column, Computed, String, Text
from sqlmodel import Field, SQLModel

from resolution_app.models.base import UTCDateTime


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(sa_type=String(254), unique=True, index=True)  # stored lower-case
    username: str = Field(sa_type=String(64), unique=True, index=True)
    name: str = Field(sa_type=String(120))
    password_hash: str = Field(sa_type=String(255))
    is_reviewer: bool = False  # platform staff
    emails_enabled: bool = True  # "Resolution Center emails": the person's switch for notification emails
    created_at: datetime = Field(sa_type=UTCDateTime)
    # What a creator's "search by customer" matches, kept by the database under a trigram index (4b8d0e2c6a91).
    search_text: str | None = Field(
        default=None,
        sa_column=Column(Text, Computed("lower(name) || ' ' || email || ' ' || lower(username)", persisted=True)),
    )


class UserSession(SQLModel, table=True):
    __tablename__ = "user_session"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(sa_type=String(64), unique=True, index=True)  # sha256 of the token; never the token
    created_at: datetime = Field(sa_type=UTCDateTime)
    last_seen_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)  # absolute expiry
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class LoginThrottle(SQLModel, table=True):
    """Failed log-ins counted per account and address, and per address (domain/login_throttle.py)."""

    __tablename__ = "login_throttle"

    scope: str = Field(sa_type=String(20), primary_key=True)
    key: str = Field(sa_type=String(400), primary_key=True)
    failures: int = 0
    last_failure_at: datetime = Field(sa_type=UTCDateTime, index=True)
