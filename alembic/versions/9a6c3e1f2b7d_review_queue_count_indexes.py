"""review queue count indexes

The reviewers' queue counts, on every load, the cases unclaimed and claimed by the reviewer, those whose answer the
platform awaits, and the decisions made today. With 1,000,000 cases and their timelines those counts read the heap
of 30,000 cases and scanned every timeline event (about 250 ms); these indexes answer them from the index alone.

Revision ID: 9a6c3e1f2b7d
Revises: b9e4f2a7c1d3
Create Date: 2026-12-02 21:45:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "9a6c3e1f2b7d"
down_revision: str | None = "b9e4f2a7c1d3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_case_status_asked_claimed", "case", ["status", "info_requested_by", "assigned_reviewer_id"])
    op.create_index("ix_case_event_kind_at", "case_event", ["kind", "at"])


def downgrade() -> None:
    op.drop_index("ix_case_event_kind_at", table_name="case_event")
    op.drop_index("ix_case_status_asked_claimed", table_name="case")
