"""payments page index

The creator's Payments page lists a business's payments newest first, a page at a time: one index range per page.

Revision ID: e3b7c9d1f4a2
Revises: d8e5f1a2b3c4
Create Date: 2026-12-01 23:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "e3b7c9d1f4a2"
down_revision: str | None = "d8e5f1a2b3c4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_payment_business_paid", "payment", ["business_id", "paid_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_payment_business_paid", table_name="payment")
