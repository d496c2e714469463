"""partial refunds

Offers of part of the money between the parties, and reviewers' partial refund decisions (issue 15): the offer table
(one open offer per case, checked by a partial unique index), the case's open offer and whether its refund was
partial, and how much of each payment has been refunded (never more than the payment, checked by the database).

Revision ID: 8c3f5e7a9b21
Revises: 6d4e8b2a1f73
Create Date: 2026-12-06 19:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import resolution_app.models.base

revision: str = "8c3f5e7a9b21"
down_revision: str | None = "6d4e8b2a1f73"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "refund_offer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("party", sa.String(length=20), nullable=False),
        sa.Column("made_by_id", sa.Integer(), nullable=False),
        sa.Column("amount_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("made_at", resolution_app.models.base.UTCDateTime(), nullable=False),
        sa.Column("due_at", resolution_app.models.base.UTCDateTime(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("answered_at", resolution_app.models.base.UTCDateTime(), nullable=True),
        sa.CheckConstraint("amount_minor > 0", name="refund_offer_amount_positive"),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"]),
        sa.ForeignKeyConstraint(["made_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_refund_offer_case_id"), "refund_offer", ["case_id"], unique=False)
    op.create_index(
        "uq_refund_offer_open", "refund_offer", ["case_id"], unique=True, postgresql_where=sa.text("state = 'open'")
    )
    op.add_column("case", sa.Column("paid_partial", sa.Boolean(), server_default="false", nullable=False))
    op.add_column("case", sa.Column("offer_by", sa.String(length=20), nullable=True))
    op.add_column("payment", sa.Column("refunded_minor", sa.Integer(), server_default="0", nullable=False))
    # Payments refunded before partial refunds existed were refunded in full.
    op.execute("UPDATE payment SET refunded_minor = amount_minor WHERE status = 'refunded'")
    op.create_check_constraint("payment_refund_within_amount", "payment", "refunded_minor BETWEEN 0 AND amount_minor")


def downgrade() -> None:
    op.drop_constraint("payment_refund_within_amount", "payment", type_="check")
    op.drop_column("payment", "refunded_minor")
    op.drop_column("case", "offer_by")
    op.drop_column("case", "paid_partial")
    op.drop_index("uq_refund_offer_open", table_name="refund_offer", postgresql_where=sa.text("state = 'open'"))
    op.drop_index(op.f("ix_refund_offer_case_id"), table_name="refund_offer")
    op.drop_table("refund_offer")
