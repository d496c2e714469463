"""case buyer opened index

The creator's and the reviewer's case pages count the buyer's claims across the platform in the last 12 months
(issue 15): one range of (buyer_id, opened_at). It also serves the buyer's own case list, newest first, and every
other look-up by buyer, so the single-column index on buyer_id goes.

Revision ID: 6d4e8b2a1f73
Revises: 2d6f8a1c4e7b
Create Date: 2026-12-04 10:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "6d4e8b2a1f73"
down_revision: str | None = "2d6f8a1c4e7b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_case_buyer_opened", "case", ["buyer_id", "opened_at"])
    op.drop_index("ix_case_buyer_id", table_name="case")


def downgrade() -> None:
    op.create_index("ix_case_buyer_id", "case", ["buyer_id"])
    op.drop_index("ix_case_buyer_opened", table_name="case")
