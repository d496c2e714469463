"""Column types shared by the tables."""

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """Stores UTC, always hands back an aware UTC datetime."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:  # noqa: ANN001
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:  # noqa: ANN001
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# Indexes that only migrations describe, because autogenerate can't compare them faithfully: the creator table's sort
# orders (b0ff11492012, with NULLS LAST), the customer search's trigram index and the covering index its count reads
# (4b8d0e2c6a91), and the analytics' partial covering indexes (b5d1e9c4a7f3). alembic/env.py keeps autogenerate from
# dropping them.
MIGRATION_ONLY_INDEXES = frozenset(
    {"ix_case_business_reason", "ix_user_search_text_trgm", "ix_case_business_buyer"}
    | {"ix_case_event_case_facts", "ix_case_event_review_moves", "ix_message_creator_first"}
    | {f"ix_case_business_{key}_desc" for key in ("opened", "due", "resolved", "amount")}
    | {f"ix_case_business_{key}_asc" for key in ("due", "resolved", "amount")}
)
