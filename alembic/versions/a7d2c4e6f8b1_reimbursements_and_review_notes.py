"""reimbursements and review notes

`case.creator_paid` remembers that a case's payout was the creator's refund, so an appeal the creator wins has the
platform pay them back (`platform_reimbursement`, one per case). `review_note` holds reviewers' internal notes.

Revision ID: a7d2c4e6f8b1
Revises: f1c2d3e4a5b6
Create Date: 2026-12-02 08:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import resolution_app.models.base

revision: str = "a7d2c4e6f8b1"
down_revision: str | None = "f1c2d3e4a5b6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("case", sa.Column("creator_paid", sa.Boolean(), nullable=False, server_default=sa.false()))
    # Cases refunded before this column existed: the creator paid those (credits are the platform's).
    op.execute("UPDATE \"case\" SET creator_paid = true WHERE id IN (SELECT case_id FROM refund)")
    op.alter_column("case", "creator_paid", server_default=None)
    op.create_table(
        "platform_reimbursement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("amount_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("created_at", resolution_app.models.base.UTCDateTime(), nullable=False),
        sa.CheckConstraint("amount_minor > 0", name="reimbursement_amount_positive"),
        sa.ForeignKeyConstraint(["business_id"], ["business.id"]),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id"),
    )
    op.create_index(
        op.f("ix_platform_reimbursement_business_id"), "platform_reimbursement", ["business_id"], unique=False
    )
    op.create_table(
        "review_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", resolution_app.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_review_note_case_id"), "review_note", ["case_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_review_note_case_id"), table_name="review_note")
    op.drop_table("review_note")
    op.drop_index(op.f("ix_platform_reimbursement_business_id"), table_name="platform_reimbursement")
    op.drop_table("platform_reimbursement")
    op.drop_column("case", "creator_paid")
