"""case indexes for the creator table sorts

The Resolution center lists a business's cases by opened, due, resolved or amount, either way, empty values last,
then newest id first (services/creator/creator_cases.py). Without an index in that very order every page, and every keyset
page of the CSV export, sorts all of the business's cases; and counting a reason filter read every case row.
bench/creator_table.py, PostgreSQL, one business with 100,000 of 1,000,000 cases: a page took 150-230 ms before and
~20 ms after, the reason filter ~260 ms before and ~18 ms after, the export 67 s before and 22 s after.

Revision ID: b0ff11492012
Revises: 3f49372cf088
Create Date: 2026-11-22 04:12:29.580732
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b0ff11492012"
down_revision: str | None = "3f49372cf088"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SORT_COLUMNS = {"opened": "opened_at", "due": "due_at", "resolved": "resolved_at", "amount": "amount_minor"}


def _indexes() -> dict[str, list]:
    # PostgreSQL sorts NULL as the largest value and must be told NULLS LAST for a descending order.
    indexes = {"ix_case_business_reason": ["business_id", "reason"]}
    for key, column in SORT_COLUMNS.items():
        descending = sa.text(f"{column} DESC NULLS LAST")
        indexes[f"ix_case_business_{key}_desc"] = ["business_id", descending, sa.text("id DESC")]
        if key != "opened":  # ix_case_business_opened has that order; opened_at ties are too rare to need the id
            indexes[f"ix_case_business_{key}_asc"] = ["business_id", column, sa.text("id DESC")]
    return indexes


def upgrade() -> None:
    for name, columns in _indexes().items():
        op.create_index(name, "case", columns)


def downgrade() -> None:
    for name in _indexes():
        op.drop_index(name, table_name="case")
