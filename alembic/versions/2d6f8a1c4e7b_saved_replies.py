"""saved replies

A business's named replies with placeholders (issue 15): inserted into a case's composer, filled in from the case.
A name is unique within its business whatever its case.

Revision ID: 2d6f8a1c4e7b
Revises: 9a878a9aa317
Create Date: 2026-12-10 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import resolution_app.models.base

revision: str = "2d6f8a1c4e7b"
down_revision: str | None = "9a878a9aa317"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    moment = resolution_app.models.base.UTCDateTime()
    op.create_table(
        "saved_reply",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", moment, nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", moment, nullable=False),
        sa.ForeignKeyConstraint(["business_id"], ["business.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("uq_saved_reply_business_name", "saved_reply", ["business_id", sa.text("lower(name)")], unique=True)


def downgrade() -> None:
    op.drop_index("uq_saved_reply_business_name", table_name="saved_reply")
    op.drop_table("saved_reply")
