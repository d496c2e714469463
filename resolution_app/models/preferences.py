"""Per-user choices the UI remembers."""

from sqlalchemy import String
from sqlmodel import Field, SQLModel


class TablePreference(SQLModel, table=True):
    __tablename__ = "table_preference"

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    table: str = Field(sa_type=String(40), primary_key=True)
    columns: str = Field(sa_type=String(500))  # comma-separated column keys, in order
