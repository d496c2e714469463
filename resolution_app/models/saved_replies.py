"""A business's saved replies: named texts its members insert into a case's composer."""

from datetime import datetime

from sqlalchemy import Index, String, Text, text
from sqlmodel import Field, SQLModel

from resolution_app.models.base import UTCDateTime


class SavedReply(SQLModel, table=True):
    """A named text with placeholders (domain/saved_replies.py), checked when saved and filled in from a case."""

    __tablename__ = "saved_reply"
    # A name is unique within its business whatever its case: "Thanks" and "thanks" would be told apart by nobody.
    # The index also serves the business's list, in name order.
    __table_args__ = (Index("uq_saved_reply_business_name", "business_id", text("lower(name)"), unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id")
    name: str = Field(sa_type=String(80))
    body: str = Field(sa_type=Text)
    created_by_id: int = Field(foreign_key="user.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_by_id: int = Field(foreign_key="user.id")
    updated_at: datetime = Field(sa_type=UTCDateTime)
