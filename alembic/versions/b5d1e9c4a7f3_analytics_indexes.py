"""analytics indexes

The analytics pages (services/analytics/) look up, for each case of a range, the timeline events and messages that
make its figures, and the reviewers' page walks the moves into and out of review by time. With 1,000,000 cases and
2.2 million timeline events, those look-ups read the events' heap for every case (a creator's 90 days: 12,000
cases), and the queue's moves were a scan of every event. These partial indexes hold only the rows the figures
read, with the columns they need, so each look-up is an index-only scan:

- ix_case_event_case_facts: per case, the creator's actions, auto-refunds and every move into or out of platform
  review (the creator's first response, auto-refunded, escalated; the reviewers' time to decision and first decision);
- ix_case_event_review_moves: the moves into and out of platform review by time (the queue size by day);
- ix_message_creator_first: per case, the messages a creator's team wrote (the first response).

Revision ID: b5d1e9c4a7f3
Revises: 8c3f5e7a9b21
Create Date: 2026-12-10 19:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "b5d1e9c4a7f3"
down_revision: str | None = "8c3f5e7a9b21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REVIEW = "'under_platform_review'"


def upgrade() -> None:
    op.execute(
        "CREATE INDEX ix_case_event_case_facts ON case_event (case_id)"
        " INCLUDE (at, party, kind, from_status, to_status)"
        f" WHERE party = 'creator' OR kind = 'auto_refund' OR to_status = {REVIEW} OR from_status = {REVIEW}"
    )
    op.execute(
        "CREATE INDEX ix_case_event_review_moves ON case_event (at) INCLUDE (from_status, to_status)"
        f" WHERE to_status = {REVIEW} OR from_status = {REVIEW}"
    )
    op.execute(
        "CREATE INDEX ix_message_creator_first ON message (case_id, created_at)"
        " WHERE party = 'creator' AND author_id IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_index("ix_message_creator_first", table_name="message")
    op.drop_index("ix_case_event_review_moves", table_name="case_event")
    op.drop_index("ix_case_event_case_facts", table_name="case_event")
