"""Cases and everything that happens in them."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, String, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from resolution_app.domain.enums import CaseStatus, OfferState, Outcome, Party, Reason
from resolution_app.models.base import UTCDateTime

COVERED_BY_FILTERS = ["id", "resolved_at", "reason"]


class Case(SQLModel, table=True):
    __tablename__ = "case"
    __table_args__ = (
        # The date and status filters' indexes cover what a page sorted by resolution picks its cases by.
        Index("ix_case_business_opened", "business_id", "opened_at", postgresql_include=COVERED_BY_FILTERS),
        Index("ix_case_business_status_due", "business_id", "status", "due_at", postgresql_include=COVERED_BY_FILTERS),
        Index("ix_case_status_due", "status", "due_at"),
        # The reviewers' queue counts unclaimed, mine and "waiting on a party" from this index alone.
        Index("ix_case_status_asked_claimed", "status", "info_requested_by", "assigned_reviewer_id"),
        # A buyer's cases newest first, and their claims across the platform in the last 12 months (the case
        # pages' buyer history); it serves every look-up by buyer, so buyer_id has no index of its own.
        Index("ix_case_buyer_opened", "buyer_id", "opened_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    payment_id: int = Field(foreign_key="payment.id", unique=True)  # one case per payment, ever
    buyer_id: int = Field(foreign_key="user.id")
    business_id: int = Field(foreign_key="business.id", index=True)
    reason: Reason = Field(sa_type=String(40))
    description: str = Field(sa_type=Text)
    status: CaseStatus = Field(sa_type=String(40))
    due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    info_requested_by: Party | None = Field(default=None, sa_type=String(20))
    decided_by_reviewer: bool = False
    appealed: bool = False
    paid_out: bool = False
    creator_paid: bool = False  # the money paid out was the creator's refund
    paid_partial: bool = Field(default=False, sa_column_kwargs={"server_default": "false"})  # ... only part of it
    outcome: Outcome | None = Field(default=None, sa_type=String(20))
    offer_by: Party | None = Field(default=None, sa_type=String(20))  # whose partial-refund offer awaits an answer
    # Denormalised from the payment so the creator's table sorts and filters on one table.
    amount_minor: int
    currency: str = Field(sa_type=String(3))
    opened_at: datetime = Field(sa_type=UTCDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    version: int = 1  # bumped by every change; a stale writer loses
    assigned_reviewer_id: int | None = Field(default=None, foreign_key="user.id")  # who claimed it for review
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # the claimer's last move: idle claims lapse
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")  # the reviewer of the first decision
    reminded_due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # the deadline a reminder went for


class CaseEvent(SQLModel, table=True):
    """One immutable line of a case's timeline and audit trail."""

    __tablename__ = "case_event"
    __table_args__ = (Index("ix_case_event_kind_at", "kind", "at"),)  # the queue's "decided today"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    at: datetime = Field(sa_type=UTCDateTime)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    party: Party = Field(sa_type=String(20))
    kind: str = Field(sa_type=String(40))  # "opened", a CaseAction value, "auto_message", "claimed"
    from_status: CaseStatus | None = Field(default=None, sa_type=String(40))
    to_status: CaseStatus | None = Field(default=None, sa_type=String(40))
    detail: str = Field(default="", sa_type=Text)


class Message(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    author_id: int | None = Field(default=None, foreign_key="user.id")
    party: Party = Field(sa_type=String(20))
    body: str = Field(sa_type=Text)
    created_at: datetime = Field(sa_type=UTCDateTime)


class Attachment(SQLModel, table=True):
    """An evidence file. Its bytes live in storage under a random key; the name is for display only."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    event_id: int | None = Field(default=None, foreign_key="case_event.id", index=True)
    message_id: int | None = Field(default=None, foreign_key="message.id", index=True)
    uploaded_by: int = Field(foreign_key="user.id")
    party: Party = Field(sa_type=String(20))
    storage_key: str = Field(sa_type=String(200), unique=True)
    display_name: str = Field(sa_type=String(200))
    content_type: str = Field(sa_type=String(100))
    size: int
    sha256: str = Field(sa_type=String(64))
    created_at: datetime = Field(sa_type=UTCDateTime)


class Appeal(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", unique=True)  # one appeal per case in total
    party: Party = Field(sa_type=String(20))
    user_id: int = Field(foreign_key="user.id")
    statement: str = Field(sa_type=Text)
    created_at: datetime = Field(sa_type=UTCDateTime)


class Refund(SQLModel, table=True):
    __table_args__ = (CheckConstraint("amount_minor > 0", name="refund_amount_positive"),)

    id: int | None = Field(default=None, primary_key=True)
    payment_id: int = Field(foreign_key="payment.id", unique=True)  # no payment is ever refunded twice
    case_id: int = Field(foreign_key="case.id", index=True)
    amount_minor: int
    currency: str = Field(sa_type=String(3))
    gateway_reference: str = Field(sa_type=String(100))
    created_at: datetime = Field(sa_type=UTCDateTime)


class BalanceCredit(SQLModel, table=True):
    """Money the platform gives the buyer to spend on it, at no cost to the creator."""

    __tablename__ = "balance_credit"
    __table_args__ = (
        UniqueConstraint("case_id"),
        CheckConstraint("amount_minor > 0", name="credit_amount_positive"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id")
    user_id: int = Field(foreign_key="user.id", index=True)
    amount_minor: int
    currency: str = Field(sa_type=String(3))
    created_at: datetime = Field(sa_type=UTCDateTime)


class PlatformReimbursement(SQLModel, table=True):
    """The platform paying a creator back for a refund an appeal took back; the buyer keeps the refund."""

    __tablename__ = "platform_reimbursement"
    __table_args__ = (CheckConstraint("amount_minor > 0", name="reimbursement_amount_positive"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", unique=True)  # one reimbursement per case, ever
    business_id: int = Field(foreign_key="business.id", index=True)
    amount_minor: int
    currency: str = Field(sa_type=String(3))
    created_at: datetime = Field(sa_type=UTCDateTime)


class RefundOffer(SQLModel, table=True):
    """A partial refund one side put on the table; the case's `offer_by` names the open one, if any."""

    __tablename__ = "refund_offer"
    __table_args__ = (
        CheckConstraint("amount_minor > 0", name="refund_offer_amount_positive"),
        # One offer on the table per case: a second writer racing the first fails here rather than adding another.
        Index("uq_refund_offer_open", "case_id", unique=True, postgresql_where=text("state = 'open'")),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    party: Party = Field(sa_type=String(20))  # who offered: the creator or the buyer
    made_by_id: int = Field(foreign_key="user.id")
    amount_minor: int
    currency: str = Field(sa_type=String(3))
    message: str = Field(default="", sa_type=Text)
    made_at: datetime = Field(sa_type=UTCDateTime)
    due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # the deadline it was made under: lapses with
    state: OfferState = Field(default=OfferState.OPEN, sa_type=String(20))
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ReviewNote(SQLModel, table=True):
    """A reviewer's internal note on a case: only reviewers ever read it."""

    __tablename__ = "review_note"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    author_id: int = Field(foreign_key="user.id")
    body: str = Field(sa_type=Text)
    created_at: datetime = Field(sa_type=UTCDateTime)
