"""What a business's own tools use to reach its cases: API keys (issue 14; webhooks follow)."""

from datetime import datetime

from sqlalchemy import String
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
