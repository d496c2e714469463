"""Businesses, what they sell, what buyers paid, and what buyers did with it."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from resolution_app.domain.enums import LegalDocumentKind, MemberRole, PaymentMethod, PaymentStatus, UserLogKind
from resolution_app.models.base import UTCDateTime


class Business(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(120))
    currency: str = Field(default="USD", sa_type=String(3))
    created_at: datetime = Field(sa_type=UTCDateTime)


class BusinessMember(SQLModel, table=True):
    __tablename__ = "business_member"
    __table_args__ = (UniqueConstraint("business_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    role: MemberRole = Field(sa_type=String(20))


class Product(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    name: str = Field(sa_type=String(200))
    price_minor: int
    currency: str = Field(sa_type=String(3))


class Payment(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint("amount_minor > 0", name="payment_amount_positive"),
        # However a case ends, no more than the payment is ever refunded.
        CheckConstraint("refunded_minor BETWEEN 0 AND amount_minor", name="payment_refund_within_amount"),
        Index("ix_payment_business_paid", "business_id", "paid_at", "id"),  # the Payments page, newest first
    )

    id: int | None = Field(default=None, primary_key=True)
    buyer_id: int = Field(foreign_key="user.id", index=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    product_id: int = Field(foreign_key="product.id", index=True)
    method: PaymentMethod = Field(sa_type=String(20))
    status: PaymentStatus = Field(sa_type=String(20))
    amount_minor: int
    currency: str = Field(sa_type=String(3))
    paid_at: datetime = Field(sa_type=UTCDateTime, index=True)
    refunded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # All of amount_minor (status refunded) or part of it (partially refunded).
    refunded_minor: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class LegalDocument(SQLModel, table=True):
    """A version of a business's terms of service or refund policy, as text or as a stored file."""

    __tablename__ = "legal_document"
    __table_args__ = (UniqueConstraint("business_id", "kind", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    kind: LegalDocumentKind = Field(sa_type=String(30))
    version: int
    body_text: str | None = Field(default=None, sa_type=Text)
    storage_key: str | None = Field(default=None, sa_type=String(200))
    display_name: str | None = Field(default=None, sa_type=String(200))
    content_type: str = Field(default="text/plain", sa_type=String(100))
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by: int | None = Field(default=None, foreign_key="user.id")


class UserLog(SQLModel, table=True):
    """What a buyer did with a purchase: the evidence a creator answers a claim with."""

    __tablename__ = "user_log"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    payment_id: int | None = Field(default=None, foreign_key="payment.id", index=True)
    kind: UserLogKind = Field(sa_type=String(30))
    at: datetime = Field(sa_type=UTCDateTime)
    legal_document_id: int | None = Field(default=None, foreign_key="legal_document.id")
    detail: str = Field(default="", sa_type=String(500))  # e.g. "Opened the app", "Access ends 2026-12-01"


class AutoRespondSettings(SQLModel, table=True):
    __tablename__ = "auto_respond_settings"
    __table_args__ = (
        CheckConstraint("card_below_minor IS NULL OR card_below_minor >= 0", name="card_threshold_not_negative"),
        CheckConstraint("paypal_below_minor IS NULL OR paypal_below_minor >= 0", name="paypal_threshold_not_negative"),
    )

    business_id: int = Field(foreign_key="business.id", primary_key=True)
    card_below_minor: int | None = None
    paypal_below_minor: int | None = None
    reasons: str = Field(default="", sa_type=String(300))  # comma-separated Reason values
    custom_message: str = Field(default="", sa_type=Text)
    updated_at: datetime = Field(sa_type=UTCDateTime)
