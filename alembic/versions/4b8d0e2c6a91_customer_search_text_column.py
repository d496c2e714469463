"""customer search text column

A search by customer took 130-170 ms at 1,000,000 cases (bench/creator_table.py), 350 for a common name. PostgreSQL
rechecked each trigram match by computing lower(name) || email || lower(username) afresh, then read the heap of every
case of the business for its buyer. The search text is now a stored generated column under the trigram index, and
ix_case_business_buyer holds what a search's page needs of each case of a business (its filters' and sorts' columns),
so the matched customers' cases are found from that index alone: 10-50 ms. It is about as big as the case table's
other indexes together (100 MB at 1,000,000 cases), the price of a search that stays fast as the business grows.

Revision ID: 4b8d0e2c6a91
Revises: 9a6c3e1f2b7d
Create Date: 2026-12-03 07:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "4b8d0e2c6a91"
down_revision: str | None = "9a6c3e1f2b7d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEARCH_TEXT = "lower(name) || ' ' || email || ' ' || lower(username)"
SEARCHED_CASE = "id, status, reason, opened_at, due_at, resolved_at, amount_minor"  # services/creator_cases._searched_query


def upgrade() -> None:
    op.execute(f'ALTER TABLE "user" ADD COLUMN search_text text GENERATED ALWAYS AS ({SEARCH_TEXT}) STORED')
    op.execute('CREATE INDEX ix_user_search_text_trgm ON "user" USING gin (search_text gin_trgm_ops)')
    op.execute("DROP INDEX IF EXISTS ix_user_search_trgm")
    op.execute(f'CREATE INDEX ix_case_business_buyer ON "case" (business_id, buyer_id) INCLUDE ({SEARCHED_CASE})')


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_case_business_buyer")
    op.execute(f'CREATE INDEX ix_user_search_trgm ON "user" USING gin (({SEARCH_TEXT}) gin_trgm_ops)')
    op.execute('ALTER TABLE "user" DROP COLUMN search_text')  # its index goes with it
